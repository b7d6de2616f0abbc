/**
 * The people a mailbox wrote to, remembered so the recipient field suggests them first. Patient
 * addresses (`<INS>@patient.mssante.fr`) are never kept: an INS is health data.
 */
import type { DatabaseSync } from 'node:sqlite';
import { PATIENT_DOMAIN } from '../mail-types.ts';

export interface RecentCorrespondent {
	address: string;
	name: string;
	uses: number;
}

const MAX_PER_OWNER = 500;

export function recordCorrespondents(
	db: DatabaseSync,
	owner: string,
	recipients: { address: string; name?: string }[]
): void {
	const upsert =
		db.prepare(`INSERT INTO recent_correspondent (owner, address, name, uses, last_used)
		VALUES (?, ?, ?, 1, ?)
		ON CONFLICT (owner, address) DO UPDATE SET uses = uses + 1, last_used = excluded.last_used,
			name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE name END`);
	const now = Date.now();
	db.exec('BEGIN');
	try {
		for (const recipient of recipients) {
			const address = recipient.address.trim().toLowerCase();
			if (!address.includes('@') || address.endsWith(`@${PATIENT_DOMAIN}`)) continue;
			upsert.run(owner.toLowerCase(), address, recipient.name?.trim() ?? '', now);
		}
		// Keep the list bounded: the least recently used go first.
		db.prepare(
			`DELETE FROM recent_correspondent WHERE owner = ? AND address NOT IN (
				SELECT address FROM recent_correspondent WHERE owner = ? ORDER BY last_used DESC LIMIT ?)`
		).run(owner.toLowerCase(), owner.toLowerCase(), MAX_PER_OWNER);
		db.exec('COMMIT');
	} catch (error) {
		db.exec('ROLLBACK');
		throw error;
	}
}

function fold(text: string): string {
	return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Correspondents whose address or name contains every typed word, most used first. */
export function suggestCorrespondents(
	db: DatabaseSync,
	owner: string,
	query: string,
	limit: number
): RecentCorrespondent[] {
	const words = fold(query)
		.split(/[\s,;]+/)
		.filter(Boolean);
	if (words.length === 0) return [];
	const rows = db
		.prepare(
			`SELECT address, name, uses FROM recent_correspondent WHERE owner = ?
			 ORDER BY uses DESC, last_used DESC LIMIT ?`
		)
		.all(owner.toLowerCase(), MAX_PER_OWNER) as unknown as RecentCorrespondent[];
	return rows
		.filter((row) => {
			const haystack = fold(`${row.name} ${row.address}`);
			return words.every((word) => haystack.includes(word));
		})
		.slice(0, limit);
}
