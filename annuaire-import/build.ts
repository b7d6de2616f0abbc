/**
 * Second pass: joins the staged extracts on the Identification nationale PP (a merge over rows
 * sorted by idnps, so memory stays flat) and writes one entry per mailbox, plus one per
 * practitioner without a published mailbox, into the new index file.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { MailboxType, SavoirFaire } from '../search/types.ts';
import { deriveDepartment } from '../search/departments.ts';
import { NO_MAILBOX_ID_BASE } from '../search/schema.ts';
import { entryRecord, type NewEntry } from './entry-writer.ts';
import type { EntrySink } from './entry-sink.ts';

interface MssRow {
	seq: number;
	type: string;
	address: string;
	idnps: string;
	structure_id: string;
	service: string;
	last_name: string;
	first_name: string;
	prof_code: string;
	prof_label: string;
	sf_code: string;
	sf_label: string;
	organization: string;
	street: string;
	postal_code: string;
	city: string;
	department: string;
}

interface ActRow {
	seq: number;
	idnps: string;
	last_name: string;
	first_name: string;
	prof_code: string;
	prof_label: string;
	sf_code: string;
	sf_label: string;
	structure_id: string;
	organization: string;
	street: string;
	postal_code: string;
	commune: string;
	city: string;
}

interface SfRow {
	seq: number;
	idnps: string;
	code: string;
	label: string;
}

export interface BuildCounts {
	entries: number;
	mailboxes: number;
	withoutMailbox: number;
	duplicateMailboxes: number;
}

const PAGE = 4096;

/**
 * Rows of a staging table in (idnps, seq) order, read a page at a time by keyset (rows as
 * arrays: node:sqlite builds them much faster than objects), with a look-ahead for the merge join.
 */
class Peek<T extends { idnps: string; seq: number }> {
	readonly #stmt: StatementSync;
	readonly #columns: string[];
	#page: unknown[][] = [];
	#i = 0;
	#after: [string, number] = ['', -1];
	head: T | undefined;

	constructor(db: DatabaseSync, table: string) {
		this.#stmt = db.prepare(
			`SELECT * FROM ${table} WHERE idnps <> '' AND (idnps, seq) > (?, ?) ORDER BY idnps, seq LIMIT ${PAGE}`
		);
		this.#stmt.setReturnArrays(true);
		this.#columns = this.#stmt.columns().map((c) => c.name);
		this.next();
	}

	#row(values: unknown[]): T {
		const row: Record<string, unknown> = {};
		for (let c = 0; c < this.#columns.length; c++) row[this.#columns[c] as string] = values[c];
		return row as T;
	}

	next(): T | undefined {
		const current = this.head;
		if (this.#i >= this.#page.length) {
			this.#page = this.#stmt.all(...this.#after) as unknown as unknown[][];
			this.#i = 0;
		}
		const values = this.#page[this.#i++];
		this.head = values ? this.#row(values) : undefined;
		if (this.head) this.#after = [this.head.idnps, this.head.seq];
		return current;
	}

	/** Consumes and returns every row whose idnps equals `key`, skipping smaller keys via `onSkip`. */
	take(key: string, onSkip?: (row: T) => void): T[] {
		while (this.head !== undefined && this.head.idnps < key) {
			const skipped = this.next() as T;
			onSkip?.(skipped);
		}
		const out: T[] = [];
		while (this.head !== undefined && this.head.idnps === key) out.push(this.next() as T);
		return out;
	}
}

const nz = (s: string | undefined): string | null => (s === undefined || s === '' ? null : s);

function mergeSavoirFaire(sf: SfRow[], act: ActRow[], mss: MssRow[]): SavoirFaire[] {
	const out = new Map<string, string>();
	for (const r of sf) if (!out.has(r.code)) out.set(r.code, r.label);
	for (const r of act) if (r.sf_code && !out.has(r.sf_code)) out.set(r.sf_code, r.sf_label);
	for (const r of mss) if (r.sf_code && !out.has(r.sf_code)) out.set(r.sf_code, r.sf_label);
	return [...out].map(([code, label]) => ({ code, label: label || code }));
}

/** Where a mailbox is: the activity site of its structure, else the mailbox's own, else any site. */
function placeOf(
	m: MssRow | undefined,
	act: ActRow[]
): Pick<NewEntry, 'organization' | 'address' | 'postalCode' | 'city' | 'department'> {
	const sid = m?.structure_id ?? '';
	const site =
		(sid !== ''
			? act.find(
					(a) => a.structure_id !== '' && (a.structure_id === sid || a.structure_id.endsWith(sid))
				)
			: undefined) ??
		(m && m.postal_code !== ''
			? undefined
			: (act.find((a) => a.postal_code !== '' || a.commune !== '') ?? act[0]));
	if (site) {
		return {
			organization: nz(site.organization) ?? nz(m?.organization),
			address: nz(site.street),
			postalCode: nz(site.postal_code),
			city: nz(site.city),
			department: deriveDepartment(site.commune, site.postal_code) ?? nz(m?.department)
		};
	}
	return {
		organization: nz(m?.organization),
		address: nz(m?.street),
		postalCode: nz(m?.postal_code),
		city: nz(m?.city),
		department: deriveDepartment(null, m?.postal_code) ?? nz(m?.department)
	};
}

/** `db` is the staging file; entries go to `sink` (the writer thread of the new index). */
export async function buildEntries(db: DatabaseSync, sink: EntrySink): Promise<BuildCounts> {
	const counts: BuildCounts = {
		entries: 0,
		mailboxes: 0,
		withoutMailbox: 0,
		duplicateMailboxes: 0
	};
	const seen = new Set<string>();
	const labels = new Map<string, string>();
	const write = async (e: NewEntry): Promise<void> => {
		if (e.mailbox !== null) {
			if (seen.has(e.mailbox)) {
				counts.duplicateMailboxes++;
				return;
			}
			seen.add(e.mailbox);
			counts.mailboxes++;
		} else counts.withoutMailbox++;
		counts.entries++;
		const id = e.mailbox !== null ? counts.mailboxes : NO_MAILBOX_ID_BASE + counts.withoutMailbox;
		if (e.professionCode && e.professionLabel)
			labels.set(`profession|${e.professionCode}`, e.professionLabel);
		for (const s of e.savoirFaire) labels.set(`specialite|${s.code}`, s.label);
		await sink.push(entryRecord(e, id));
	};
	const fromMailbox = (m: MssRow, act: ActRow[], sf: SfRow[], mssOfPerson: MssRow[]): NewEntry => {
		const a = act[0];
		return {
			mailbox: m.address,
			mailboxType: m.type as MailboxType,
			idNational: nz(m.idnps),
			lastName: nz(m.last_name) ?? nz(a?.last_name),
			firstName: nz(m.first_name) ?? nz(a?.first_name),
			professionCode: nz(m.prof_code) ?? nz(a?.prof_code),
			professionLabel: nz(m.prof_label) ?? nz(a?.prof_label),
			savoirFaire: mergeSavoirFaire(sf, act, mssOfPerson),
			service: nz(m.service),
			...placeOf(m, act)
		};
	};

	const acts = new Peek<ActRow>(db, 'act');
	const mss = new Peek<MssRow>(db, 'mss');
	const sfs = new Peek<SfRow>(db, 'sf');
	let skippedKey = '';
	let skippedSf: SfRow[] = [];
	const pending: MssRow[] = [];
	const mailboxOnly = (m: MssRow) => {
		pending.push(m);
	};
	/** Mailboxes whose idnps has no activity row, met while advancing the merge. */
	const flushPending = async () => {
		for (const m of pending.splice(0)) {
			if (m.idnps !== skippedKey) {
				skippedKey = m.idnps;
				skippedSf = sfs.take(m.idnps);
			}
			await write(fromMailbox(m, [], skippedSf, [m]));
		}
	};
	while (acts.head !== undefined) {
		const key = acts.head.idnps;
		const act = acts.take(key);
		const boxes = mss.take(key, mailboxOnly);
		await flushPending();
		const sf = sfs.take(key);
		if (boxes.length > 0) {
			for (const m of boxes) await write(fromMailbox(m, act, sf, boxes));
		} else {
			const a = act[0] as ActRow;
			await write({
				mailbox: null,
				mailboxType: null,
				idNational: key,
				lastName: nz(a.last_name),
				firstName: nz(a.first_name),
				professionCode: nz(a.prof_code),
				professionLabel: nz(a.prof_label),
				savoirFaire: mergeSavoirFaire(sf, act, []),
				service: null,
				...placeOf(undefined, act)
			});
		}
	}
	// Persons with a mailbox but no activity row, then structure mailboxes (no idnps).
	while (mss.head !== undefined) {
		const key = mss.head.idnps;
		const boxes = mss.take(key);
		const sf = sfs.take(key);
		for (const m of boxes) await write(fromMailbox(m, [], sf, boxes));
	}
	for (const m of db
		.prepare("SELECT * FROM mss WHERE idnps = '' ORDER BY seq")
		.iterate() as unknown as Iterable<MssRow>) {
		await write(fromMailbox(m, [], [], [m]));
	}
	await sink.end(
		[...labels].map(([key, label]) => [...(key.split('|') as [string, string]), label])
	);
	return counts;
}
