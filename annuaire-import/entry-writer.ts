/**
 * One directory entry as rows: the `entry` row the engines return and its full-text document.
 * The text is folded here (search/fold.ts) so that accents, case, hyphens and apostrophes never
 * matter. `entryRecord` runs on the join thread; `insertRecords` on the writer thread.
 */
import { createHash } from 'node:crypto';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { indexTokens } from '../search/fold.ts';
import { departmentName } from '../search/departments.ts';
import { codeToken } from '../search/schema.ts';
import type { DirectoryEntry } from '../search/types.ts';

export type NewEntry = DirectoryEntry;

/** The 17 `entry` columns (id first, fingerprint last), then the 3 full-text columns. */
export type EntryRecord = (string | number | null)[];

const ENTRY_VALUES = 17;

const words = (...parts: (string | null | undefined)[]) =>
	parts.flatMap((p) => indexTokens(p)).join(' ');

export function entryRecord(e: NewEntry, id: number): EntryRecord {
	// Structure mailboxes are found by their name: it goes to the name column (ranked first).
	const isPerson = e.lastName !== null;
	const name = isPerson ? words(e.lastName, e.firstName) : words(e.organization, e.service);
	const other = words(
		e.professionLabel,
		...e.savoirFaire.map((x) => x.label),
		isPerson ? e.organization : null,
		isPerson ? e.service : null,
		e.city,
		e.department,
		e.department ? departmentName(e.department) : null,
		e.postalCode
	);
	const codes = [
		e.professionCode ? codeToken.profession(e.professionCode) : '',
		...e.savoirFaire.map((x) => codeToken.specialty(x.code)),
		e.department ? codeToken.department(e.department) : '',
		e.mailboxType ? codeToken.type(e.mailboxType) : '',
		codeToken.hasMailbox(e.mailbox !== null)
	].join(' ');
	const values = [
		id,
		e.mailbox,
		e.mailboxType,
		e.idNational,
		e.lastName,
		e.firstName,
		e.professionCode,
		e.professionLabel,
		e.savoirFaire.map((x) => x.code).join(' '),
		JSON.stringify(e.savoirFaire),
		e.organization,
		e.service,
		e.address,
		e.postalCode,
		e.city,
		e.department
	];
	// The fingerprint (for the added/changed/removed diff) covers every value but the row id.
	const fingerprint = createHash('sha1')
		.update(values.slice(2).join('\u0001'))
		.digest('base64url')
		.slice(0, 16);
	return [...values, fingerprint, name, other, codes];
}

const cache = new WeakMap<DatabaseSync, { entry: StatementSync; fts: StatementSync }>();

/** Inserts records into the new index (writer thread). */
export function insertRecords(db: DatabaseSync, records: EntryRecord[]): void {
	let s = cache.get(db);
	if (!s) {
		s = {
			entry: db.prepare('INSERT INTO entry VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)'),
			fts: db.prepare('INSERT INTO entry_fts (rowid, name, other, codes) VALUES (?,?,?,?)')
		};
		cache.set(db, s);
	}
	for (const r of records) {
		s.entry.run(...r.slice(0, ENTRY_VALUES));
		s.fts.run(r[0] as number, r[17] as string, r[18] as string, r[19] as string);
	}
}
