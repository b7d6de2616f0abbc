/**
 * Writes one directory entry: the row the engines return, and its full-text document. The text
 * is folded here (search/fold.ts) so that accents, case, hyphens and apostrophes never matter.
 */
import { createHash } from 'node:crypto';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { indexTokens } from '../search/fold.ts';
import { departmentName } from '../search/departments.ts';
import { codeToken } from '../search/schema.ts';
import type { DirectoryEntry } from '../search/types.ts';

export type NewEntry = DirectoryEntry;

interface Statements {
	entry: StatementSync;
	fts: StatementSync;
}

const cache = new WeakMap<DatabaseSync, Statements>();

function statements(db: DatabaseSync): Statements {
	let s = cache.get(db);
	if (!s) {
		s = {
			entry: db.prepare('INSERT INTO entry VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)'),
			fts: db.prepare('INSERT INTO entry_fts (rowid, name, other, codes) VALUES (?,?,?,?)')
		};
		cache.set(db, s);
	}
	return s;
}

const words = (...parts: (string | null | undefined)[]) => parts.flatMap((p) => indexTokens(p)).join(' ');

export function writeEntry(db: DatabaseSync, e: NewEntry, id: number): void {
	const s = statements(db);
	const sfJson = JSON.stringify(e.savoirFaire);
	const fingerprint = createHash('sha1')
		.update(
			[e.mailboxType, e.idNational, e.lastName, e.firstName, e.professionCode, e.professionLabel, sfJson, e.organization, e.service, e.address, e.postalCode, e.city, e.department].join('\u0001')
		)
		.digest('base64url')
		.slice(0, 16);
	s.entry.run(
		id,
		e.mailbox, e.mailboxType, e.idNational, e.lastName, e.firstName, e.professionCode, e.professionLabel,
		e.savoirFaire.map((x) => x.code).join(' '), sfJson, e.organization, e.service, e.address, e.postalCode,
		e.city, e.department, fingerprint
	);
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
		e.postalCode,
		e.mailbox?.split('@')[0]
	);
	const codes = [
		e.professionCode ? codeToken.profession(e.professionCode) : '',
		...e.savoirFaire.map((x) => codeToken.specialty(x.code)),
		e.department ? codeToken.department(e.department) : '',
		e.mailboxType ? codeToken.type(e.mailboxType) : '',
		codeToken.hasMailbox(e.mailbox !== null)
	].join(' ');
	s.fts.run(id, name, other, codes);
}
