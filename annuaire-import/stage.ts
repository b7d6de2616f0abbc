/**
 * First pass: each extract is streamed once into a staging table of a scratch SQLite file, line
 * by line, with per-line validation. A malformed line is reported as `file:line: reason` and
 * counted; it never aborts the import. Joining happens afterwards, in SQL order (build.ts), so
 * memory does not grow with the extract.
 */
import type { DatabaseSync } from 'node:sqlite';
import { ImportError, ERROR_CODES } from '../src/lib/server/errors.ts';
import { readLines } from './line-reader.ts';
import { field, mapHeader, type FileSpec, type HeaderMap } from './header.ts';
import { ACTIVITE_SPEC, MSSANTE_SPEC, SAVOIR_FAIRE_SPEC } from './extract-specs.ts';
import { MAILBOX_TYPES } from '../search/types.ts';

export type RejectHandler = (file: string, line: number, reason: string) => void;

export interface StageCounts {
	linesRead: number;
	accepted: number;
	rejected: number;
	/** Mailboxes flagged "liste rouge": never indexed. */
	redListed: number;
}

export const STAGING_SCHEMA = `
CREATE TABLE mss (seq INTEGER PRIMARY KEY, type TEXT, address TEXT, idnps TEXT, structure_id TEXT, service TEXT,
	last_name TEXT, first_name TEXT, prof_code TEXT, prof_label TEXT, sf_code TEXT, sf_label TEXT,
	organization TEXT, street TEXT, postal_code TEXT, city TEXT, department TEXT);
CREATE TABLE act (seq INTEGER PRIMARY KEY, idnps TEXT, last_name TEXT, first_name TEXT, prof_code TEXT, prof_label TEXT,
	sf_code TEXT, sf_label TEXT, structure_id TEXT, organization TEXT, street TEXT, postal_code TEXT, commune TEXT, city TEXT);
CREATE TABLE sf (seq INTEGER PRIMARY KEY, idnps TEXT, code TEXT, label TEXT);
`;

export const STAGING_INDEXES = `
CREATE INDEX act_idnps ON act (idnps, seq);
CREATE INDEX mss_idnps ON mss (idnps, seq);
CREATE INDEX sf_idnps ON sf (idnps, seq);
`;

const ADDRESS_RE = /^[^@\s|]{1,64}@[^@\s|]{1,255}$/;
const ID_RE = /^[0-9A-Za-z]{1,20}$/;
/** Marker returned for a red-listed mailbox line: skipped and counted, not an error. */
const RED_LISTED = { redListed: true } as const;
const TRUE_RE = /^(1|true|oui|o|y|yes)$/i;

/** Street line "12 bis Rue de la Paix" from its parts. */
export function streetLine(parts: string[]): string {
	return parts.filter((p) => p !== '').join(' ');
}

/** "69003 LYON CEDEX 03" → "LYON": the city part of an AFNOR L6 / bureau cedex line. */
export function cityFromDeliveryLine(line: string): string {
	return line
		.replace(/^\d{5}\s*/, '')
		.replace(/\s+CEDEX(\s+\d+)?$/i, '')
		.trim();
}

interface StageOptions<K extends string> {
	db: DatabaseSync;
	path: string;
	label: string;
	spec: FileSpec<K>;
	entryHint?: string;
	onReject: RejectHandler;
	onBytes?: (bytes: number) => void;
	/** Returns a rejection reason, RED_LISTED to skip (counted), or the values to insert. */
	row: (get: (key: K) => string) => string | typeof RED_LISTED | (string | null)[];
	insertSql: string;
}

async function stageFile<K extends string>(opts: StageOptions<K>): Promise<StageCounts> {
	const counts: StageCounts = { linesRead: 0, accepted: 0, rejected: 0, redListed: 0 };
	const insert = opts.db.prepare(opts.insertSql);
	let header: HeaderMap<K> | undefined;
	opts.db.exec('BEGIN');
	try {
		for await (const { text, lineNo } of readLines(opts.path, {
			entryHint: opts.entryHint,
			onBytes: opts.onBytes
		})) {
			if (!header) {
				if (text.trim() === '') throw emptyFile(opts.label);
				header = mapHeader(opts.spec, text, opts.label);
				continue;
			}
			if (text.trim() === '') continue; // a final blank line is not a record
			counts.linesRead++;
			const raw = text.split('|');
			// The ANS ends every line with `|`; files written without it are accepted as well.
			const ok =
				raw.length === header.width ||
				(raw.length === header.width + 1 && raw[header.width] === '');
			if (!ok) {
				const n = raw[raw.length - 1] === '' ? raw.length - 1 : raw.length;
				const reason = n < header.width ? 'trop peu de champs' : 'trop de champs';
				reject(opts, counts, lineNo, `${reason} (${n} au lieu de ${header.width})`);
				continue;
			}
			const map = header;
			const result = opts.row((key) => field(raw, map, key));
			if (typeof result === 'string') reject(opts, counts, lineNo, result);
			else if (Array.isArray(result)) {
				insert.run(...result);
				counts.accepted++;
			} else counts.redListed++;
		}
		if (!header) throw emptyFile(opts.label);
		if (counts.linesRead === 0) {
			throw new ImportError(
				ERROR_CODES.IMPORT_FAILED,
				`${opts.label}: aucune ligne de données après l’en-tête (extraction vide ?).`,
				{ file: opts.label }
			);
		}
		opts.db.exec('COMMIT');
	} catch (error) {
		opts.db.exec('ROLLBACK');
		throw error;
	}
	return counts;
}

function emptyFile(file: string): ImportError {
	return new ImportError(
		ERROR_CODES.IMPORT_FAILED,
		`${file}: fichier vide (pas même une ligne d’en-tête).`,
		{ file, line: 1 }
	);
}

function reject(
	opts: { label: string; onReject: RejectHandler },
	counts: StageCounts,
	line: number,
	reason: string
): void {
	counts.rejected++;
	opts.onReject(opts.label, line, reason);
}

export interface StageInput {
	db: DatabaseSync;
	path: string;
	/** How the file is named in messages (the path as the user gave it). */
	label: string;
	onReject: RejectHandler;
	onBytes?: (bytes: number) => void;
}

export function stageMssante(input: StageInput): Promise<StageCounts> {
	return stageFile({
		...input,
		spec: MSSANTE_SPEC,
		insertSql: 'INSERT INTO mss VALUES (NULL,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
		row: (get) => {
			const type = get('type').toUpperCase();
			if (!(MAILBOX_TYPES as readonly string[]).includes(type))
				return `Type de BAL inconnu « ${type.slice(0, 10)} » (attendu PER, ORG, APP ou CAB)`;
			const address = get('address').toLowerCase();
			if (!ADDRESS_RE.test(address)) return 'Adresse BAL absente ou invalide';
			const idnps = get('idnps');
			if (idnps !== '' && !ID_RE.test(idnps)) return 'Identification nationale PP invalide';
			if (TRUE_RE.test(get('redList'))) return RED_LISTED;
			const cityLine = get('cityLine');
			return [
				type,
				address,
				idnps,
				get('structureId'),
				get('service'),
				get('lastName'),
				get('firstName'),
				get('professionCode'),
				get('professionLabel'),
				get('sfCode'),
				get('sfLabel'),
				get('organization') || get('brand'),
				streetLine([
					get('streetNumber'),
					get('streetRepeat'),
					get('streetType'),
					get('streetName')
				]),
				get('postalCode') || (cityLine.match(/^\d{5}/)?.[0] ?? ''),
				cityFromDeliveryLine(cityLine),
				get('department')
			];
		}
	});
}

export function stageActivite(input: StageInput): Promise<StageCounts> {
	return stageFile({
		...input,
		spec: ACTIVITE_SPEC,
		entryHint: 'personne_activite',
		insertSql: 'INSERT INTO act VALUES (NULL,?,?,?,?,?,?,?,?,?,?,?,?,?)',
		row: (get) => {
			const idnps = get('idnps');
			if (!ID_RE.test(idnps)) return 'Identification nationale PP absente ou invalide';
			if (get('professionCode') === '') return 'Code profession absent';
			const cedex = get('cedex');
			return [
				idnps,
				get('lastName'),
				get('firstName'),
				get('professionCode'),
				get('professionLabel'),
				get('sfCode'),
				get('sfLabel'),
				get('structureId'),
				get('siteName') || get('brand'),
				streetLine([
					get('streetNumber'),
					get('streetRepeat'),
					get('streetType'),
					get('streetName')
				]),
				get('postalCode') || (cedex.match(/^\d{5}/)?.[0] ?? ''),
				get('commune'),
				get('city') || cityFromDeliveryLine(cedex)
			];
		}
	});
}

export function stageSavoirFaire(input: StageInput): Promise<StageCounts> {
	return stageFile({
		...input,
		spec: SAVOIR_FAIRE_SPEC,
		entryHint: 'savoirfaire',
		insertSql: 'INSERT INTO sf VALUES (NULL,?,?,?)',
		row: (get) => {
			const idnps = get('idnps');
			if (!ID_RE.test(idnps)) return 'Identification nationale PP absente ou invalide';
			if (get('sfCode') === '') return 'Code savoir-faire absent';
			return [idnps, get('sfCode'), get('sfLabel')];
		}
	});
}
