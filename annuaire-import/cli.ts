/**
 * `npm run annuaire -- import | search | fetch`: the command contract of issue 5.
 *   import --mssante <file> [--activite <file>] [--savoir-faire <file>] [--db <path>] [--force]
 *   search "<text>" [--profession <code>] [--specialite <code>] [--departement <code>]
 *          [--type PER|ORG|APP|CAB] [--limit <n>] [--offset <n>] [--facets] [--db <path>] [--json]
 *   fetch [--out <dir>] [--ca <pem>]… [--base-url <url>] [--import] [--db <path>] [--force]
 * Exit codes: 0 done, 1 refused or failed (message on stderr), 2 bad usage.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isAppError } from '../src/lib/server/errors.ts';
import { defaultDirectoryDbPath, resolveDataDir } from '../search/data-dir.ts';
import { EmbeddedEngine } from '../search/embedded-engine.ts';
import { MAILBOX_TYPES, type DirectoryEntry, type MailboxType } from '../search/types.ts';
import { importAnnuaire, type ImportSummary } from './importer.ts';
import { fetchExtracts, progressBar } from './fetch.ts';
import { syncMeilisearch } from '../search/meilisearch-sync.ts';

class UsageError extends Error {}

const USAGE = `Usage :
  npm run annuaire -- import --mssante <fichier> [--activite <fichier>] [--savoir-faire <fichier>] [--db <chemin>] [--force]
  npm run annuaire -- search "<texte>" [--profession <code>] [--specialite <code>] [--departement <code>] [--type PER|ORG|APP|CAB] [--limit <n>] [--db <chemin>] [--json]
  npm run annuaire -- fetch [--out <dossier>] [--ca <fichier.pem>] [--base-url <url>] [--import] [--db <chemin>]`;

/** With MEILI_URL set, Meilisearch gets the new snapshot too (same documents, swapped in). */
async function syncMeiliIfConfigured(dbPath: string): Promise<void> {
	const host = process.env.MEILI_URL;
	if (!host) return;
	const { documents } = await syncMeilisearch({ host, apiKey: process.env.MEILI_KEY, dbPath });
	process.stdout.write(`Meilisearch : ${documents} documents indexés.\n`);
}

function printSummary(s: ImportSummary): void {
	for (const f of s.files) {
		process.stdout.write(
			`${f.file} : ${f.linesRead} lignes lues, ${f.accepted} acceptées, ${f.rejected} rejetées${f.redListed ? `, ${f.redListed} en liste rouge (non indexées)` : ''}\n`
		);
	}
	process.stdout.write(
		`Import terminé : ${s.linesRead} lignes lues, ${s.entries} entrées (${s.mailboxes} BAL, ${s.withoutMailbox} sans BAL publiée), ${s.rejected} rejetées.\n` +
			`BAL ajoutées : ${s.added}, modifiées : ${s.changed}, supprimées : ${s.removed}.\nIndex : ${s.dbPath}\n`
	);
}

async function runImport(argv: string[]): Promise<void> {
	const { values } = parseArgs({
		args: argv,
		options: {
			mssante: { type: 'string' },
			activite: { type: 'string' },
			'savoir-faire': { type: 'string' },
			db: { type: 'string' },
			force: { type: 'boolean', default: false }
		}
	});
	if (!values.mssante) throw new UsageError('--mssante <fichier> est obligatoire.');
	const summary = await importAnnuaire({
		mssante: values.mssante,
		activite: values.activite,
		savoirFaire: values['savoir-faire'],
		dbPath: values.db,
		force: values.force,
		onReject: (file, line, reason) => process.stderr.write(`${file}:${line}: ${reason}\n`),
		onProgress: (message) => process.stderr.write(`${message}\n`)
	});
	printSummary(summary);
	await syncMeiliIfConfigured(summary.dbPath);
}

/** The JSON contract's fields, in its order. */
function contractHit(e: DirectoryEntry) {
	return {
		mailbox: e.mailbox,
		mailboxType: e.mailboxType,
		idNational: e.idNational,
		lastName: e.lastName,
		firstName: e.firstName,
		professionCode: e.professionCode,
		professionLabel: e.professionLabel,
		savoirFaire: e.savoirFaire,
		organization: e.organization,
		service: e.service,
		postalCode: e.postalCode,
		city: e.city,
		department: e.department
	};
}

function positiveInt(value: string | undefined, name: string): number | undefined {
	if (value === undefined) return undefined;
	if (!/^\d+$/.test(value))
		throw new UsageError(`--${name} attend un entier positif (reçu « ${value} »).`);
	return Number(value);
}

async function runSearch(argv: string[]): Promise<void> {
	const { values, positionals } = parseArgs({
		args: argv,
		allowPositionals: true,
		options: {
			profession: { type: 'string' },
			specialite: { type: 'string' },
			departement: { type: 'string' },
			type: { type: 'string' },
			limit: { type: 'string' },
			offset: { type: 'string' },
			db: { type: 'string' },
			json: { type: 'boolean', default: false },
			facets: { type: 'boolean', default: false }
		}
	});
	const type = values.type?.toUpperCase();
	if (type !== undefined && !(MAILBOX_TYPES as readonly string[]).includes(type)) {
		throw new UsageError(`--type attend PER, ORG, APP ou CAB (reçu « ${values.type} »).`);
	}
	const engine = new EmbeddedEngine(values.db ?? defaultDirectoryDbPath());
	try {
		const result = await engine.search({
			text: positionals.join(' '),
			profession: values.profession,
			specialite: values.specialite,
			departement: values.departement?.toUpperCase(),
			type: type as MailboxType | undefined,
			limit: positiveInt(values.limit, 'limit'),
			offset: positiveInt(values.offset, 'offset'),
			facets: values.facets
		});
		if (values.json) {
			const out: Record<string, unknown> = {
				total: result.total,
				hits: result.hits.map(contractHit)
			};
			if (result.facets) out.facets = result.facets;
			process.stdout.write(`${JSON.stringify(out)}\n`);
			return;
		}
		process.stdout.write(`${result.total} résultat(s)\n`);
		for (const h of result.hits) {
			const who = [h.lastName, h.firstName].filter(Boolean).join(' ') || h.organization || '';
			const what = [h.professionLabel, ...h.savoirFaire.map((s) => s.label)]
				.filter(Boolean)
				.join(', ');
			const where = [h.postalCode, h.city].filter(Boolean).join(' ');
			process.stdout.write(
				`${h.mailbox ?? '(pas de BAL MSSanté publiée)'}  ${who} — ${what} — ${where}\n`
			);
		}
	} finally {
		await engine.close();
	}
}

async function runFetch(argv: string[]): Promise<void> {
	const { values } = parseArgs({
		args: argv,
		options: {
			out: { type: 'string' },
			ca: { type: 'string', multiple: true },
			'base-url': { type: 'string' },
			import: { type: 'boolean', default: false },
			db: { type: 'string' },
			force: { type: 'boolean', default: false }
		}
	});
	const outDir = values.out ?? join(resolveDataDir(), 'extracts');
	const ca = values.ca?.map((f) => readFileSync(f, 'utf8'));
	let last = 0;
	const files = await fetchExtracts({
		outDir,
		ca,
		baseUrl: values['base-url'],
		onProgress: (name, received, total) => {
			const now = Date.now();
			if (now - last < 200 && received !== total) return;
			last = now;
			process.stderr.write(`\r${name.padEnd(8)} ${progressBar(received, total)}`);
		}
	});
	process.stderr.write('\n');
	for (const f of files) process.stdout.write(`${f.path} (${f.bytes} octets)\n`);
	if (values.import) {
		const mss = files.find((f) => f.name === 'mssante');
		const ps = files.find((f) => f.name === 'ps');
		if (!mss) throw new Error('extraction MSSanté absente');
		const summary = await importAnnuaire({
			mssante: mss.path,
			activite: ps?.path,
			savoirFaire: ps?.path,
			dbPath: values.db,
			force: values.force,
			onReject: (file, line, reason) => process.stderr.write(`${file}:${line}: ${reason}\n`)
		});
		printSummary(summary);
		await syncMeiliIfConfigured(summary.dbPath);
	}
}

async function main(argv: string[]): Promise<number> {
	const [command, ...rest] = argv;
	try {
		if (command === 'import') await runImport(rest);
		else if (command === 'search') await runSearch(rest);
		else if (command === 'fetch') await runFetch(rest);
		else
			throw new UsageError(command ? `Commande inconnue « ${command} ».` : 'Commande manquante.');
		return 0;
	} catch (error) {
		if (
			error instanceof UsageError ||
			(error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
		) {
			process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
			return 2;
		}
		process.stderr.write(
			`${isAppError(error) ? error.message : `Erreur : ${(error as Error).message}`}\n`
		);
		return 1;
	}
}

process.exitCode = await main(process.argv.slice(2));
