/**
 * Final ordering of the embedded engine's candidate window: an exact surname match first
 * (the user typed the name), then fewer approximations (prefix, typo, synonym), then first-name
 * matches, then entries that have a mailbox, then the bucket order (exact words before the rest).
 */
import { indexTokens } from './fold.ts';
import type { QueryWord } from './embedded-query.ts';
import type { DirectoryEntry, MailboxType, SavoirFaire } from './types.ts';

export interface EntryRow {
	id: number;
	mailbox: string | null;
	mailbox_type: string | null;
	id_national: string | null;
	last_name: string | null;
	first_name: string | null;
	profession_code: string | null;
	profession_label: string | null;
	sf_json: string;
	organization: string | null;
	service: string | null;
	address: string | null;
	postal_code: string | null;
	city: string | null;
	department: string | null;
}

export function rowToEntry(row: EntryRow): DirectoryEntry {
	return {
		mailbox: row.mailbox,
		mailboxType: row.mailbox_type as MailboxType | null,
		idNational: row.id_national,
		lastName: row.last_name,
		firstName: row.first_name,
		professionCode: row.profession_code,
		professionLabel: row.profession_label,
		savoirFaire: JSON.parse(row.sf_json) as SavoirFaire[],
		organization: row.organization,
		service: row.service,
		address: row.address,
		postalCode: row.postal_code,
		city: row.city,
		department: row.department
	};
}

interface Scored {
	entry: DirectoryEntry;
	surnameExact: number;
	firstExact: number;
	penalty: number;
	hasMailbox: number;
	rank: number;
}

export function rankHits(rows: (EntryRow & { rank: number })[], words: QueryWord[]): DirectoryEntry[] {
	const scored: Scored[] = rows.map((row) => {
		const surname = new Set(indexTokens(row.last_name));
		const first = new Set(indexTokens(row.first_name));
		const all = new Set([
			...surname,
			...indexTokens(row.first_name),
			...indexTokens(row.city),
			...indexTokens(row.organization),
			...indexTokens(row.profession_label)
		]);
		let surnameExact = 0;
		let firstExact = 0;
		let penalty = 0;
		for (const w of words) {
			if (surname.has(w.word)) surnameExact++;
			else if (first.has(w.word)) firstExact++;
			if (all.has(w.word)) continue;
			penalty += [...all].some((t) => t.startsWith(w.word)) ? 1 : 2;
		}
		return { entry: rowToEntry(row), surnameExact, firstExact, penalty, hasMailbox: row.mailbox ? 1 : 0, rank: row.rank };
	});
	scored.sort(
		(a, b) =>
			b.surnameExact - a.surnameExact || a.penalty - b.penalty || b.firstExact - a.firstExact || b.hasMailbox - a.hasMailbox || a.rank - b.rank
	);
	return scored.map((s) => s.entry);
}
