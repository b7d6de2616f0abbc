/**
 * Revocation by CRL (ECO.1.1.6, RFC 5280 §5 and §6.3): the CRL named by the certificate's CRL
 * Distribution Point is downloaded over http(s), its signature checked against the issuer of the
 * certificate, and cached on disk under `<dataDir>/crl/<sha256(url)>.crl`.
 *
 * ECO.1.1.7: the last non-expired CRL is kept and used when a download fails, so that a CRL
 * server outage does not cut the mailboxes off; once that copy has expired too, the connection is
 * refused with a clear reason. When the certificate names an OCSP responder, it is asked first
 * (ocsp.ts); any OCSP failure falls back to the CRL and is reported as a note.
 * Framework-free.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as pkijs from 'pkijs';
import { CertificateError } from '../src/lib/server/errors.ts';
import { childLogger } from '../src/lib/server/log.ts';
import { formatDateFr } from './chain.ts';
import { queryOcsp } from './ocsp.ts';
import {
	certificateInfo,
	parseCertificate,
	pemBlocks,
	serialHex,
	type ParsedCertificate
} from './x509.ts';

const log = childLogger({ module: 'crl-cache' });

export interface RevocationOptions {
	/** The app's data folder; CRLs go to `<dataDir>/crl/`. */
	dataDir: string;
	now?: Date;
	/** A cached CRL younger than this is used without downloading (default 1 hour). */
	refreshAfterMs?: number;
	/** Download timeout (default 10 s). */
	timeoutMs?: number;
}

export type RevocationSource = 'ocsp' | 'download' | 'cache' | 'cache-fallback';
export type CrlSource = Exclude<RevocationSource, 'ocsp'>;

export interface RevocationStatus {
	/** CN (or subject) of the certificate checked. */
	certificate: string;
	status: 'good' | 'revoked' | 'unchecked';
	crlUrl?: string;
	ocspUrl?: string;
	source?: RevocationSource;
	thisUpdate?: Date;
	nextUpdate?: Date;
	revokedAt?: Date;
	/** French explanation for `unchecked` and `cache-fallback`. */
	note?: string;
}

interface LoadedCrl {
	crl: pkijs.CertificateRevocationList;
	source: CrlSource;
	note?: string;
}

const MAX_CRL_BYTES = 32 * 1024 * 1024;

export function crlCachePath(dataDir: string, url: string): string {
	return join(dataDir, 'crl', createHash('sha256').update(url).digest('hex') + '.crl');
}

function parseCrl(bytes: Uint8Array): pkijs.CertificateRevocationList {
	const text = Buffer.from(bytes.subarray(0, 64)).toString('latin1');
	const der = text.includes('-----BEGIN')
		? pemBlocks(Buffer.from(bytes).toString('latin1'), 'X509 CRL')[0]
		: bytes;
	if (!der) throw new Error('no X509 CRL block in PEM');
	return pkijs.CertificateRevocationList.fromBER(new Uint8Array(der));
}

/** Signature by the certificate's issuer, and still within its nextUpdate (RFC 5280 §6.3.3). */
async function usableReason(
	crl: pkijs.CertificateRevocationList,
	issuer: ParsedCertificate,
	now: Date
): Promise<string | undefined> {
	if (!crl.issuer.isEqual(issuer.cert.subject))
		return "la LCR n'est pas émise par l'autorité du certificat";
	if (!(await crl.verify({ issuerCertificate: issuer.cert })))
		return 'la signature de la LCR est invalide';
	const next = crl.nextUpdate?.value;
	if (!next) return 'la LCR ne donne pas de date de prochaine mise à jour';
	if (next.getTime() < now.getTime()) return `la LCR a expiré le ${formatDateFr(next)}`;
	return undefined;
}

async function download(url: string, timeoutMs: number): Promise<Uint8Array> {
	const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
	if (!response.ok) throw new Error(`HTTP ${response.status}`);
	const body = new Uint8Array(await response.arrayBuffer());
	if (body.length > MAX_CRL_BYTES) throw new Error(`CRL too large (${body.length} bytes)`);
	return body;
}

async function readCache(
	path: string
): Promise<{ bytes: Uint8Array; fetchedAt: Date } | undefined> {
	try {
		const [bytes, info] = await Promise.all([readFile(path), stat(path)]);
		return { bytes, fetchedAt: info.mtime };
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw error;
	}
}

async function writeCache(path: string, bytes: Uint8Array): Promise<void> {
	await mkdir(join(path, '..'), { recursive: true });
	// Unique temporary name: concurrent connections may download the same CRL at once.
	const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
	await writeFile(tmp, bytes);
	await rename(tmp, path);
}

function errorText(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** ECO.1.1.7: fresh cache → download → last non-expired cached CRL → clear refusal. */
export async function loadCrl(
	url: string,
	issuer: ParsedCertificate,
	options: RevocationOptions
): Promise<LoadedCrl> {
	const now = options.now ?? new Date();
	const path = crlCachePath(options.dataDir, url);
	let cached: pkijs.CertificateRevocationList | undefined;
	let cacheProblem: string | undefined;
	const entry = await readCache(path);
	if (entry) {
		try {
			const crl = parseCrl(entry.bytes);
			cacheProblem = await usableReason(crl, issuer, now);
			if (!cacheProblem) cached = crl;
		} catch (error) {
			cacheProblem = 'la LCR en cache est illisible';
			log.warn({ url, err: errorText(error) }, 'cached CRL unreadable, ignored');
		}
		const age = now.getTime() - entry.fetchedAt.getTime();
		if (cached && age >= 0 && age < (options.refreshAfterMs ?? 3600_000))
			return { crl: cached, source: 'cache' };
	}
	let downloadProblem: string;
	try {
		const bytes = await download(url, options.timeoutMs ?? 10_000);
		const crl = parseCrl(bytes);
		const problem = await usableReason(crl, issuer, now);
		if (!problem) {
			// Never replace a newer cached CRL by an older one (replayed or stale mirror).
			if (cached && cached.thisUpdate.value.getTime() > crl.thisUpdate.value.getTime()) {
				return { crl: cached, source: 'cache' };
			}
			// A read-only or full disk must not turn a good CRL into a refused connection.
			await writeCache(path, bytes).catch((error: unknown) => {
				log.warn({ url, err: errorText(error) }, 'CRL downloaded but not cached');
			});
			return { crl, source: 'download' };
		}
		downloadProblem = problem;
	} catch (error) {
		downloadProblem = `téléchargement impossible (${errorText(error)})`;
	}
	log.warn({ url, reason: downloadProblem, hasCache: Boolean(cached) }, 'CRL download failed');
	if (cached) {
		return {
			crl: cached,
			source: 'cache-fallback',
			note: `LCR ${url} : ${downloadProblem} ; dernière LCR valide en cache utilisée (valable jusqu'au ${formatDateFr(cached.nextUpdate?.value ?? now)}).`
		};
	}
	throw new CertificateError(
		'CERT_REVOCATION_UNKNOWN',
		`Impossible de vérifier la révocation : LCR ${url} : ${downloadProblem}` +
			(cacheProblem ? ` ; cache inutilisable : ${cacheProblem}.` : ' ; aucune LCR en cache.'),
		{ details: { url } }
	);
}

/** Revocation of one certificate by its issuer's CRL. */
export async function checkRevocation(
	certificate: ParsedCertificate,
	issuer: ParsedCertificate,
	options: RevocationOptions & { isLeaf: boolean }
): Promise<RevocationStatus> {
	const info = certificateInfo(certificate, options.now);
	const name = info.commonName ?? info.subject;
	const ocspProblems: string[] = [];
	for (const ocspUrl of info.ocspUrls) {
		try {
			const answer = await queryOcsp({
				url: ocspUrl,
				certificate,
				issuer,
				now: options.now ?? new Date(),
				timeoutMs: options.timeoutMs ?? 10_000
			});
			return { certificate: name, ocspUrl, source: 'ocsp', ...answer };
		} catch (error) {
			ocspProblems.push(`OCSP ${ocspUrl} : ${errorText(error)}`);
			log.warn({ url: ocspUrl, reason: errorText(error) }, 'OCSP check failed, trying the CRL');
		}
	}
	const [url] = info.crlUrls;
	if (!url) {
		// ECO.1.1.6 is a MUST for the operator's certificate; a CA without a distribution point
		// is reported, not refused (the anchors are configured by the administrator).
		if (options.isLeaf) {
			throw new CertificateError(
				'CERT_REVOCATION_UNKNOWN',
				`Le certificat « ${name} » n'indique aucun point de distribution de LCR : révocation invérifiable.` +
					(ocspProblems.length > 0 ? ` (${ocspProblems.join(' ; ')})` : '')
			);
		}
		return { certificate: name, status: 'unchecked', note: `« ${name} » n'indique aucune LCR.` };
	}
	const loaded = await loadCrl(url, issuer, options);
	const serial = serialHex(certificate.cert);
	const entry = (loaded.crl.revokedCertificates ?? []).find(
		(r) =>
			Buffer.from(r.userCertificate.valueBlock.valueHexView)
				.toString('hex')
				.replace(/^(00)+(?=.)/, '') === serial
	);
	const status: RevocationStatus = {
		certificate: name,
		status: entry ? 'revoked' : 'good',
		crlUrl: url,
		source: loaded.source,
		thisUpdate: loaded.crl.thisUpdate.value,
		...(loaded.crl.nextUpdate ? { nextUpdate: loaded.crl.nextUpdate.value } : {}),
		...(entry ? { revokedAt: entry.revocationDate.value } : {})
	};
	const notes = [
		...ocspProblems.map((p) => `${p} ; LCR utilisée.`),
		...(loaded.note ? [loaded.note] : [])
	];
	if (notes.length > 0) status.note = notes.join(' ');
	return status;
}

/**
 * Every non-anchor certificate of a validated path (leaf first, anchor last, as returned by
 * chain.ts). Throws CERT_REVOKED for the first revoked one.
 */
export async function checkPathRevocation(
	pathDer: Uint8Array[],
	options: RevocationOptions
): Promise<RevocationStatus[]> {
	const path = pathDer.map((der) => parseCertificate(der));
	const statuses: RevocationStatus[] = [];
	for (let i = 0; i + 1 < path.length; i++) {
		const cert = path[i];
		const issuer = path[i + 1];
		if (!cert || !issuer) break;
		const status = await checkRevocation(cert, issuer, { ...options, isLeaf: i === 0 });
		if (status.status === 'revoked') {
			throw new CertificateError(
				'CERT_REVOKED',
				`Le certificat « ${status.certificate} » a été révoqué` +
					(status.revokedAt ? ` le ${formatDateFr(status.revokedAt)}.` : '.'),
				{ details: { serialNumber: serialHex(cert.cert), crlUrl: status.crlUrl } }
			);
		}
		statuses.push(status);
	}
	return statuses;
}
