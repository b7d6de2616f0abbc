/**
 * `npm run xdm -- build …` and `npm run xdm -- read …` (issue 6, command contract).
 *   build --pdf <file> --patient <patient.json> --author <author.json> --type <LOINC>
 *         --title "<title>" --date <AAAAMMJJ> --out <dir> [--confidentiality N|R|V]
 *     writes IHE_XDM.ZIP and the named PDF into <dir>, prints the mail headers (`Name: value`,
 *     subject included); exits 2 with a French message naming the field on bad input.
 *   read <IHE_XDM.ZIP | message.eml> [--json]
 * Exit codes: 0 ok, 1 unexpected failure, 2 bad input or refused archive.
 */
import { parseArgs } from 'node:util';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isAppError } from '../errors.ts';
import { buildXdmPackage } from './xdm-build.ts';
import { readXdmPackage, type XdmReadResult } from './xdm-read.ts';
import { toJsonSummary } from './xdm-summary.ts';
import { findXdmAttachments } from './attachments.ts';
import { parseMessage } from '../mail/mime/parse.ts';
import type { Confidentiality } from './value-sets/codes.ts';

const USAGE = `Usage :
  npm run xdm -- build --pdf <fichier.pdf> --patient <patient.json> --author <author.json> --type <LOINC> --title "<titre>" --date <AAAAMMJJ> --out <dossier>
  npm run xdm -- read <IHE_XDM.ZIP | message.eml> [--json]`;

class UsageError extends Error {}

async function readJson(file: string, what: string): Promise<unknown> {
	let text: string;
	try {
		text = await readFile(file, 'utf8');
	} catch {
		throw new UsageError(`Fichier ${what} illisible : ${file}`);
	}
	try {
		return JSON.parse(text);
	} catch {
		throw new UsageError(`Fichier ${what} (${file}) : JSON invalide.`);
	}
}

async function build(args: string[]): Promise<void> {
	const { values } = parseArgs({
		args,
		options: {
			pdf: { type: 'string' },
			patient: { type: 'string' },
			author: { type: 'string' },
			type: { type: 'string' },
			title: { type: 'string' },
			date: { type: 'string' },
			out: { type: 'string' },
			confidentiality: { type: 'string' }
		}
	});
	for (const k of ['pdf', 'patient', 'author', 'type', 'title', 'date', 'out'] as const) {
		if (!values[k]) throw new UsageError(`Option --${k} manquante.\n${USAGE}`);
	}
	const patient = await readJson(values.patient!, 'patient');
	const author = await readJson(values.author!, 'auteur');
	let pdf: Uint8Array;
	try {
		pdf = new Uint8Array(await readFile(values.pdf!));
	} catch {
		throw new UsageError(`Fichier PDF illisible : ${values.pdf}`);
	}
	const pkg = await buildXdmPackage({
		pdf,
		patient,
		author,
		type: values.type!,
		title: values.title!,
		date: values.date!,
		confidentiality: (values.confidentiality ?? 'N') as Confidentiality
	});
	await mkdir(values.out!, { recursive: true });
	await writeFile(join(values.out!, pkg.zipName), pkg.zip);
	await writeFile(join(values.out!, pkg.pdfName), pkg.pdf);
	const lines = [
		`Subject: ${pkg.subject}`,
		...Object.entries(pkg.headers).map(([k, v]) => `${k}: ${v}`)
	];
	process.stdout.write(`${lines.join('\n')}\n`);
}

function printHuman(r: XdmReadResult): void {
	for (const s of r.submissionSets) {
		process.stdout.write(
			`Soumission ${s.path || '(racine)'} — patient ${s.patientId ?? 'inconnu'}\n`
		);
		for (const d of s.documents) {
			const p = d.patient;
			process.stdout.write(
				`  ${d.typeCode ?? '?'} ${d.title ?? ''} [${d.mimeType ?? '?'}] empreinte ${d.hashOk ? 'OK' : 'NON VÉRIFIÉE'}\n` +
					`    ${p.birthName ?? '?'} ${p.firstName ?? ''} ${p.sex ?? ''} ${p.birthDate ?? ''} INS ${p.ins ?? '—'} ${p.oidLabel ? `(${p.oidLabel})` : ''}\n`
			);
			for (const w of d.warnings) process.stdout.write(`    ! ${w}\n`);
		}
	}
	for (const w of r.warnings) process.stdout.write(`! ${w}\n`);
}

async function read(args: string[]): Promise<void> {
	const { values, positionals } = parseArgs({
		args,
		allowPositionals: true,
		options: { json: { type: 'boolean' } }
	});
	const file = positionals[0];
	if (!file) throw new UsageError(`Fichier à lire manquant.\n${USAGE}`);
	let bytes: Buffer;
	try {
		bytes = await readFile(file);
	} catch {
		throw new UsageError(`Fichier illisible : ${file}`);
	}
	// A ZIP starts with "PK"; anything else is read as a message (.eml).
	const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b;
	const result: XdmReadResult = { submissionSets: [], warnings: [] };
	if (isZip) {
		Object.assign(result, readXdmPackage(bytes));
	} else {
		const message = await parseMessage(bytes);
		const xdm = findXdmAttachments(message);
		if (xdm.length === 0) result.warnings.push('Aucune pièce jointe IHE_XDM.ZIP dans ce message.');
		for (const a of xdm) {
			try {
				const r = readXdmPackage(a.content);
				result.submissionSets.push(...r.submissionSets);
				result.warnings.push(...r.warnings);
			} catch (e) {
				if (!isAppError(e)) throw e;
				result.warnings.push(e.message);
			}
		}
	}
	if (values.json) process.stdout.write(`${JSON.stringify(toJsonSummary(result), null, 2)}\n`);
	else printHuman(result);
}

async function main(argv: string[]): Promise<number> {
	const [command, ...rest] = argv;
	try {
		if (command === 'build') await build(rest);
		else if (command === 'read') await read(rest);
		else throw new UsageError(USAGE);
		return 0;
	} catch (e) {
		if (
			e instanceof UsageError ||
			isAppError(e) ||
			(e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
		) {
			process.stderr.write(`Erreur : ${(e as Error).message}\n`);
			return 2;
		}
		process.stderr.write(`Erreur inattendue : ${(e as Error).message}\n`);
		return 1;
	}
}

process.exitCode = await main(process.argv.slice(2));
