/**
 * Imports the Annuaire Santé extracts into the directory index, without downtime: the new index
 * is built in a new file next to the live one and renamed over it only once complete (rename is
 * atomic), so searches keep hitting the previous index until then, and a failed or refused import
 * leaves it untouched. The extracts are full snapshots (ANS v1.2 §2.2): the new snapshot replaces
 * the old one, and added/changed/removed mailboxes are counted by diffing the two files.
 */
import { existsSync, mkdirSync, openSync, closeSync, renameSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { ImportError, ERROR_CODES } from '../src/lib/server/errors.ts';
import { defaultDirectoryDbPath } from '../search/data-dir.ts';
import { DIRECTORY_INDEXES, DIRECTORY_SCHEMA, SCHEMA_VERSION } from '../search/schema.ts';
import {
	STAGING_INDEXES,
	STAGING_SCHEMA,
	stageActivite,
	stageMssante,
	stageSavoirFaire,
	type RejectHandler,
	type StageCounts
} from './stage.ts';
import { buildEntries } from './build.ts';
import { EntrySink } from './entry-sink.ts';
import { buildVocabulary } from './vocabulary.ts';

export interface ImportOptions {
	mssante: string;
	activite?: string;
	savoirFaire?: string;
	/** Defaults to `<data dir>/annuaire.sqlite`. */
	dbPath?: string;
	/** Accept an extract whose mailbox count is far off the previous import's. */
	force?: boolean;
	onReject?: RejectHandler;
	/** Coarse progress messages (French, for the CLI's stderr). */
	onProgress?: (message: string) => void;
	onBytes?: (file: string, bytes: number) => void;
}

export interface FileSummary extends StageCounts {
	file: string;
}

export interface ImportSummary {
	dbPath: string;
	files: FileSummary[];
	linesRead: number;
	rejected: number;
	redListed: number;
	entries: number;
	mailboxes: number;
	withoutMailbox: number;
	duplicateMailboxes: number;
	added: number;
	changed: number;
	removed: number;
}

/** The size check applies once an index of national relevance exists (not to test/demo sets). */
export const SIZE_CHECK_MIN_PREVIOUS = 1000;
export const SIZE_CHECK_BAND: readonly [number, number] = [0.7, 1.3];

function readPrevious(dbPath: string): { mailboxLines: number } | undefined {
	if (!existsSync(dbPath)) return undefined;
	try {
		const db = new DatabaseSync(dbPath, { readOnly: true });
		try {
			const row = db.prepare("SELECT value FROM meta WHERE key = 'mailbox_lines'").get() as
				{ value: string } | undefined;
			return row ? { mailboxLines: Number(row.value) } : undefined;
		} finally {
			db.close();
		}
	} catch {
		return undefined; // an unreadable previous index is replaced, not compared
	}
}

function diffWithPrevious(
	db: DatabaseSync,
	previousPath: string
): { added: number; changed: number; removed: number } {
	const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
	const mailboxes = count('SELECT count(*) AS n FROM entry WHERE mailbox IS NOT NULL');
	try {
		db.exec(`ATTACH DATABASE '${previousPath.replace(/'/g, "''")}' AS prev`);
	} catch {
		return { added: mailboxes, changed: 0, removed: 0 };
	}
	try {
		return {
			added: count(
				'SELECT count(*) AS n FROM entry n WHERE n.mailbox IS NOT NULL AND NOT EXISTS (SELECT 1 FROM prev.entry o WHERE o.mailbox = n.mailbox)'
			),
			changed: count(
				'SELECT count(*) AS n FROM entry n JOIN prev.entry o ON o.mailbox = n.mailbox WHERE n.fingerprint <> o.fingerprint'
			),
			removed: count(
				'SELECT count(*) AS n FROM prev.entry o WHERE o.mailbox IS NOT NULL AND NOT EXISTS (SELECT 1 FROM entry n WHERE n.mailbox = o.mailbox)'
			)
		};
	} catch {
		return { added: mailboxes, changed: 0, removed: 0 };
	} finally {
		db.exec('DETACH DATABASE prev');
	}
}

export async function importAnnuaire(opts: ImportOptions): Promise<ImportSummary> {
	const dbPath = resolve(opts.dbPath ?? defaultDirectoryDbPath());
	mkdirSync(dirname(dbPath), { recursive: true });
	const lockPath = `${dbPath}.lock`;
	let lock: number;
	try {
		lock = openSync(lockPath, 'wx');
	} catch (cause) {
		throw new ImportError(
			ERROR_CODES.IMPORT_FAILED,
			`Un import est déjà en cours (${lockPath}) ; supprimez ce fichier s’il est resté d’un import interrompu.`,
			{ cause }
		);
	}
	const tmpPath = `${dbPath}.importing-${process.pid}`;
	const stagingPath = `${dbPath}.staging-${process.pid}`;
	const cleanup = () => {
		for (const p of [tmpPath, stagingPath, `${tmpPath}-journal`, `${stagingPath}-journal`])
			rmSync(p, { force: true });
	};
	cleanup();
	const progress = opts.onProgress ?? (() => {});
	const onReject = opts.onReject ?? (() => {});
	let staging: DatabaseSync | undefined;
	let db: DatabaseSync | undefined;
	let sink: EntrySink | undefined;
	try {
		staging = new DatabaseSync(stagingPath);
		staging.exec(
			'PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536;'
		);
		staging.exec(STAGING_SCHEMA);
		const files: FileSummary[] = [];
		const stage = async (path: string, fn: typeof stageMssante) => {
			progress(`lecture de ${path}…`);
			const counts = await fn({
				db: staging as DatabaseSync,
				path,
				label: path,
				onReject,
				onBytes: (b) => opts.onBytes?.(path, b)
			});
			files.push({ file: path, ...counts });
			return counts;
		};
		const mss = await stage(opts.mssante, stageMssante);
		const previous = readPrevious(dbPath);
		if (previous && previous.mailboxLines >= SIZE_CHECK_MIN_PREVIOUS && !opts.force) {
			const ratio = mss.accepted / previous.mailboxLines;
			if (ratio < SIZE_CHECK_BAND[0] || ratio > SIZE_CHECK_BAND[1]) {
				throw new ImportError(
					ERROR_CODES.IMPORT_SIZE_SUSPICIOUS,
					`${opts.mssante}: ${mss.accepted} lignes de BAL contre ${previous.mailboxLines} à l’import précédent (écart de ${Math.round(Math.abs(ratio - 1) * 100)} %) : extraction suspecte, import refusé ; relancez avec --force si elle est correcte.`,
					{
						file: opts.mssante,
						details: { accepted: mss.accepted, previous: previous.mailboxLines }
					}
				);
			}
		}
		if (opts.activite) await stage(opts.activite, stageActivite);
		if (opts.savoirFaire) await stage(opts.savoirFaire, stageSavoirFaire);
		progress('jointure et indexation…');
		staging.exec(STAGING_INDEXES);
		db = new DatabaseSync(tmpPath);
		db.exec(DIRECTORY_SCHEMA);
		db.close();
		db = undefined;
		sink = new EntrySink(tmpPath);
		const built = await buildEntries(staging, sink);
		sink = undefined;
		staging.close();
		staging = undefined;

		db = new DatabaseSync(tmpPath);
		db.exec('PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -131072;');
		progress('index secondaires…');
		db.exec(DIRECTORY_INDEXES);
		progress('index des fautes de frappe…');
		buildVocabulary(db);
		progress('optimisation…');
		db.exec("INSERT INTO entry_fts (entry_fts) VALUES ('optimize')");
		const diff = existsSync(dbPath)
			? diffWithPrevious(db, dbPath)
			: { added: built.mailboxes, changed: 0, removed: 0 };
		const meta = db.prepare('INSERT INTO meta VALUES (?, ?)');
		meta.run('schema_version', SCHEMA_VERSION);
		meta.run('mailbox_lines', String(mss.accepted));
		meta.run('entries', String(built.entries));
		meta.run('imported_at', new Date().toISOString());
		db.exec('PRAGMA journal_mode = DELETE');
		db.close();
		db = undefined;
		renameSync(tmpPath, dbPath);
		progress('index remplacé.');
		return {
			dbPath,
			files,
			linesRead: files.reduce((s, f) => s + f.linesRead, 0),
			rejected: files.reduce((s, f) => s + f.rejected, 0),
			redListed: files.reduce((s, f) => s + f.redListed, 0),
			...built,
			...diff
		};
	} catch (error) {
		if (error instanceof ImportError) throw error;
		throw new ImportError(
			ERROR_CODES.IMPORT_FAILED,
			`Import de l’annuaire échoué : ${(error as Error).message}`,
			{ cause: error }
		);
	} finally {
		await sink?.abort();
		staging?.close();
		db?.close();
		cleanup();
		closeSync(lock);
		rmSync(lockPath, { force: true });
	}
}
