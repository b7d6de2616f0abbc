/**
 * Downloads the official extracts (ANS, Nouvelles extractions en libre accès v1.2 §2.3.2). The
 * host's certificate chains to the IGC-Santé root, absent from public trust stores: the CA PEMs
 * are given explicitly (certs/anchors/*.pem by default, or --ca). Each file is written to a
 * `.part` file and renamed when complete, so a cut download never looks like an extract.
 */
import {
	createWriteStream,
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	renameSync,
	rmSync
} from 'node:fs';
import { request } from 'node:https';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ImportError, ERROR_CODES } from '../src/lib/server/errors.ts';

export const ANS_EXTRACTION_BASE =
	'https://service.annuaire.sante.fr/annuaire-sante-webservices/V300/services/extraction';

export const EXTRACTS = {
	mssante: 'Extraction_Correspondance_MSSante',
	ps: 'PS_LibreAcces'
} as const;
export type ExtractName = keyof typeof EXTRACTS;

export interface FetchOptions {
	outDir: string;
	baseUrl?: string;
	/** CA certificates (PEM text); defaults to the PEM files of certs/anchors/. */
	ca?: string[];
	which?: ExtractName[];
	onProgress?: (name: string, received: number, total: number | undefined) => void;
	/** Redirects followed at most (the ANS answers directly today). */
	maxRedirects?: number;
}

export interface FetchedFile {
	name: ExtractName;
	path: string;
	bytes: number;
}

/** PEM files of certs/anchors/ (public CA certificates only), if that folder has any. */
export function defaultAnchors(): string[] {
	const dir = fileURLToPath(new URL('../certs/anchors/', import.meta.url));
	if (!existsSync(dir)) return [];
	return readdirSync(dir)
		.filter((f) => f.endsWith('.pem') || f.endsWith('.crt'))
		.map((f) => readFileSync(join(dir, f), 'utf8'));
}

/** `attachment; filename=Extraction_Correspondance_MSSante_202608260230.zip` → that file name. */
export function fileNameFromDisposition(header: string | undefined, fallback: string): string {
	const m = header?.match(/filename\*?=(?:UTF-8'')?"?([^";]+)"?/i);
	const name = m?.[1]?.trim();
	return name && /^[\w.-]+$/.test(name) ? name : fallback;
}

function download(
	url: string,
	opts: FetchOptions,
	name: ExtractName,
	redirects: number
): Promise<FetchedFile> {
	return new Promise((resolvePromise, rejectPromise) => {
		const fail = (message: string, cause?: unknown) =>
			rejectPromise(
				new ImportError(ERROR_CODES.IMPORT_FAILED, message, { cause, details: { extract: name } })
			);
		const req = request(
			url,
			{ ca: opts.ca && opts.ca.length > 0 ? opts.ca : undefined, timeout: 60_000 },
			(res) => {
				const status = res.statusCode ?? 0;
				if (status >= 300 && status < 400 && res.headers.location) {
					res.resume();
					if (redirects <= 0) return fail(`${url}: trop de redirections.`);
					const next = new URL(res.headers.location, url).toString();
					download(next, opts, name, redirects - 1).then(resolvePromise, rejectPromise);
					return;
				}
				if (status !== 200) {
					res.resume();
					return fail(`${url}: le serveur a répondu ${status}.`);
				}
				const fileName = fileNameFromDisposition(
					res.headers['content-disposition'],
					`${EXTRACTS[name]}.zip`
				);
				const target = join(opts.outDir, fileName);
				const part = `${target}.part`;
				const total = res.headers['content-length']
					? Number(res.headers['content-length'])
					: undefined;
				let received = 0;
				const out = createWriteStream(part);
				res.on('data', (chunk: Buffer) => {
					received += chunk.length;
					opts.onProgress?.(name, received, total);
				});
				res.on('aborted', () => out.destroy(new Error('connexion interrompue')));
				res.pipe(out);
				out.on('error', (err) => {
					rmSync(part, { force: true });
					fail(`${url}: téléchargement interrompu (${err.message}).`, err);
				});
				out.on('finish', () => {
					if (total !== undefined && received !== total) {
						rmSync(part, { force: true });
						return fail(`${url}: téléchargement incomplet (${received} octets sur ${total}).`);
					}
					renameSync(part, target);
					resolvePromise({ name, path: target, bytes: received });
				});
			}
		);
		req.on('timeout', () => req.destroy(new Error('délai dépassé')));
		req.on('error', (err: NodeJS.ErrnoException) => {
			const tls = /certificate|self.signed|UNABLE_TO|CERT_/i.test(`${err.code} ${err.message}`);
			fail(
				tls
					? `${url}: certificat du serveur non reconnu (${err.code ?? err.message}) ; fournissez l’AC IGC-Santé avec --ca <fichier.pem> ou dans certs/anchors/.`
					: `${url}: ${err.message}`,
				err
			);
		});
		req.end();
	});
}

export async function fetchExtracts(opts: FetchOptions): Promise<FetchedFile[]> {
	const outDir = resolve(opts.outDir);
	mkdirSync(outDir, { recursive: true });
	const base = (opts.baseUrl ?? ANS_EXTRACTION_BASE).replace(/\/+$/, '');
	const options = { ...opts, outDir, ca: opts.ca ?? defaultAnchors() };
	const out: FetchedFile[] = [];
	for (const name of opts.which ?? (Object.keys(EXTRACTS) as ExtractName[])) {
		out.push(await download(`${base}/${EXTRACTS[name]}`, options, name, opts.maxRedirects ?? 3));
	}
	return out;
}

/** `[#########.........]  45 %  9,2/20,4 Mo` on one stderr line, redrawn in place. */
export function progressBar(received: number, total: number | undefined, width = 30): string {
	const mb = (n: number) => (n / 1e6).toFixed(1).replace('.', ',');
	if (!total) return `${mb(received)} Mo`;
	const ratio = Math.min(received / total, 1);
	const filled = Math.round(ratio * width);
	return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)} %  ${mb(received)}/${mb(total)} Mo`;
}
