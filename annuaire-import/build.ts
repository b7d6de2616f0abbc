/**
 * Second pass: joins the staged extracts on the Identification nationale PP (a merge over rows
 * sorted by idnps, so memory stays flat) and writes one entry per mailbox, plus one per
 * practitioner without a published mailbox, into the new index file.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { MailboxType, SavoirFaire } from '../search/types.ts';
import { deriveDepartment } from '../search/departments.ts';
import { NO_MAILBOX_ID_BASE } from '../search/schema.ts';
import { writeEntry, type NewEntry } from './entry-writer.ts';

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

/** An iterator one can look at before consuming (for the merge join). */
class Peek<T> {
	readonly #it: Iterator<T>;
	head: T | undefined;
	constructor(stmt: StatementSync) {
		this.#it = stmt.iterate() as unknown as Iterator<T>;
		this.next();
	}
	next(): T | undefined {
		const current = this.head;
		const r = this.#it.next();
		this.head = r.done ? undefined : r.value;
		return current;
	}
	/** Consumes and returns every row whose idnps equals `key`, skipping smaller keys via `onSkip`. */
	take(key: string, idnps: (row: T) => string, onSkip?: (row: T) => void): T[] {
		while (this.head !== undefined && idnps(this.head) < key) {
			const skipped = this.next() as T;
			onSkip?.(skipped);
		}
		const out: T[] = [];
		while (this.head !== undefined && idnps(this.head) === key) out.push(this.next() as T);
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
function placeOf(m: MssRow | undefined, act: ActRow[]): Pick<NewEntry, 'organization' | 'address' | 'postalCode' | 'city' | 'department'> {
	const sid = m?.structure_id ?? '';
	const site =
		(sid !== '' ? act.find((a) => a.structure_id !== '' && (a.structure_id === sid || a.structure_id.endsWith(sid))) : undefined) ??
		(m && m.postal_code !== '' ? undefined : (act.find((a) => a.postal_code !== '' || a.commune !== '') ?? act[0]));
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

export function buildEntries(db: DatabaseSync): BuildCounts {
	const counts: BuildCounts = { entries: 0, mailboxes: 0, withoutMailbox: 0, duplicateMailboxes: 0 };
	const seen = new Set<string>();
	const labels = new Map<string, string>();
	const write = (e: NewEntry) => {
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
		if (e.professionCode && e.professionLabel) labels.set(`profession|${e.professionCode}`, e.professionLabel);
		for (const s of e.savoirFaire) labels.set(`specialite|${s.code}`, s.label);
		writeEntry(db, e, id);
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

	const acts = new Peek<ActRow>(db.prepare("SELECT * FROM stg.act WHERE idnps <> '' ORDER BY idnps, seq"));
	const mss = new Peek<MssRow>(db.prepare("SELECT * FROM stg.mss WHERE idnps <> '' ORDER BY idnps, seq"));
	const sfs = new Peek<SfRow>(db.prepare('SELECT idnps, code, label FROM stg.sf ORDER BY idnps, seq'));
	let skippedKey = '';
	let skippedSf: SfRow[] = [];
	const mailboxOnly = (m: MssRow) => {
		if (m.idnps !== skippedKey) {
			skippedKey = m.idnps;
			skippedSf = sfs.take(m.idnps, (r) => r.idnps);
		}
		write(fromMailbox(m, [], skippedSf, [m]));
	};
	db.exec('BEGIN');
	while (acts.head !== undefined) {
		const key = acts.head.idnps;
		const act = acts.take(key, (r) => r.idnps);
		const boxes = mss.take(key, (r) => r.idnps, mailboxOnly);
		const sf = sfs.take(key, (r) => r.idnps);
		if (boxes.length > 0) {
			for (const m of boxes) write(fromMailbox(m, act, sf, boxes));
		} else {
			const a = act[0] as ActRow;
			write({
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
		const boxes = mss.take(key, (r) => r.idnps);
		const sf = sfs.take(key, (r) => r.idnps);
		for (const m of boxes) write(fromMailbox(m, [], sf, boxes));
	}
	for (const m of db.prepare("SELECT * FROM stg.mss WHERE idnps = '' ORDER BY seq").iterate() as unknown as Iterable<MssRow>) {
		write(fromMailbox(m, [], [], [m]));
	}
	const insertLabel = db.prepare('INSERT OR REPLACE INTO label VALUES (?, ?, ?)');
	for (const [key, label] of labels) {
		const [kind, code] = key.split('|') as [string, string];
		insertLabel.run(kind, code, label);
	}
	db.exec('COMMIT');
	return counts;
}
