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
	/** The whole surname is what was typed (MARTIN before SAINT-MARTIN for "martin"). */
	surnameWhole: number;
	surnameExact: number;
	penalty: number;
	surnameAny: number;
	firstExact: number;
	hasMailbox: number;
	rank: number;
}

/** 0 exact, 1 prefix, 2 typo, 3 none: how a typed word matches a set of tokens. */
function matchKind(w: QueryWord, tokens: Set<string>): number {
	if (tokens.has(w.word)) return 0;
	if (w.isPrefix) for (const t of tokens) if (t.startsWith(w.word)) return 1;
	for (const c of w.typoCandidates) if (tokens.has(c)) return 2;
	return 3;
}

export function rankHits(
	rows: (EntryRow & { rank: number })[],
	words: QueryWord[]
): DirectoryEntry[] {
	const typed = words.map((w) => w.word);
	const scored: Scored[] = rows.map((row) => {
		const surnameTokens = indexTokens(row.last_name);
		const surname = new Set(surnameTokens);
		const first = new Set(indexTokens(row.first_name));
		const other = new Set([
			...indexTokens(row.city),
			...indexTokens(row.organization),
			...indexTokens(row.profession_label),
			...indexTokens(row.service)
		]);
		const whole = surnameTokens.join(' ');
		let surnameExact = 0;
		let surnameAny = 0;
		let firstExact = 0;
		let penalty = 0;
		for (const w of words) {
			const s = matchKind(w, surname);
			const f = matchKind(w, first);
			const o = matchKind(w, other);
			if (s === 0) surnameExact++;
			if (s < 3) surnameAny++;
			if (f === 0) firstExact++;
			// A word matched by none of these came through a synonym or a specialty.
			penalty += Math.min(s, f, o, 2);
		}
		const surnameWhole = whole !== '' && typed.join(' ').includes(whole) ? 1 : 0;
		return {
			entry: rowToEntry(row),
			surnameWhole,
			surnameExact,
			penalty,
			surnameAny,
			firstExact,
			hasMailbox: row.mailbox ? 1 : 0,
			rank: row.rank
		};
	});
	scored.sort(
		(a, b) =>
			b.surnameWhole - a.surnameWhole ||
			b.surnameExact - a.surnameExact ||
			a.penalty - b.penalty ||
			b.surnameAny - a.surnameAny ||
			b.firstExact - a.firstExact ||
			b.hasMailbox - a.hasMailbox ||
			a.rank - b.rank
	);
	return scored.map((s) => s.entry);
}
