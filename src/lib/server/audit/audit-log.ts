/**
 * The audit trail of every operation on an MSSanté mailbox (ECO.4.1.1, ECO.4.1.2, SC.MSS/UX.37):
 * who (the authenticated person), when (stored as epoch ms, shown in local time), which mailbox,
 * what action, a summary of the request made to the server and of its answer — never message
 * content, subjects, attachment names or patient identities.
 *
 * Append-only and tamper-evident: each entry carries `hash = HMAC-SHA256(key, prev_hash ‖ fields)`
 * where the key is derived from the server secret, so a row changed, removed or inserted in the
 * middle breaks the chain and cannot be re-sealed without the secret. SQLite triggers also refuse
 * UPDATE, and DELETE of entries younger than the retention (6 months by default). Pruning the
 * oldest entries records the hash the chain continues from in `audit_anchor`.
 * Framework-free: the app binds it to its database in `index.ts`; `cli.ts` verifies and exports.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { AppError } from '../errors.ts';

export const AUDIT_ACTIONS = [
	'sign-in',
	'sign-out',
	'token',
	'read',
	'download',
	'send',
	'draft',
	'move',
	'copy',
	'delete',
	'flag',
	'folder',
	'assign',
	'note',
	'certificate',
	'trust',
	'settings',
	'member'
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditOutcome = 'ok' | 'failure';

export interface AuditEvent {
	/** The authenticated person: an RPPS-based PSC subject, a local account, or a mailbox address. */
	actor: string;
	/** The MSSanté mailbox concerned, when there is one. */
	mailbox?: string;
	action: AuditAction;
	/** What was asked of the server, e.g. `UID MOVE 42 INBOX → Archives` (no content). */
	request: string;
	outcome: AuditOutcome;
	/** The server's answer or our reason, e.g. `OK`, `NO [AUTHENTICATIONFAILED]`, `CERT_REVOKED`. */
	answer?: string;
}

export interface AuditEntry extends Required<AuditEvent> {
	seq: number;
	at: number;
	hash: string;
}

export interface AuditFilter {
	from?: number;
	to?: number;
	actor?: string;
	mailbox?: string;
	/** Only these mailboxes (what the viewer may see); an empty list matches nothing. */
	mailboxes?: readonly string[];
	action?: AuditAction;
	outcome?: AuditOutcome;
	limit?: number;
	offset?: number;
}

export interface ChainReport {
	ok: boolean;
	entries: number;
	/** First entry whose hash does not match, or whose predecessor is missing. */
	brokenAt?: number;
	reason?: string;
}

export const AUDIT_SCHEMA = `
CREATE TABLE audit_entry (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	at INTEGER NOT NULL,
	actor TEXT NOT NULL,
	mailbox TEXT NOT NULL DEFAULT '',
	action TEXT NOT NULL,
	request TEXT NOT NULL,
	outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'failure')),
	answer TEXT NOT NULL DEFAULT '',
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);
CREATE INDEX audit_entry_at ON audit_entry (at);
CREATE INDEX audit_entry_actor ON audit_entry (actor, at);
CREATE INDEX audit_entry_mailbox ON audit_entry (mailbox, at);
CREATE TABLE audit_anchor (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	seq INTEGER NOT NULL,
	prev_hash TEXT NOT NULL
);
CREATE TABLE audit_settings (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	retention_ms INTEGER NOT NULL
);
INSERT INTO audit_settings (id, retention_ms) VALUES (1, ${183 * 86_400_000});
CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;
CREATE TRIGGER audit_entry_no_early_delete BEFORE DELETE ON audit_entry
WHEN OLD.at > CAST(strftime('%s', 'now') AS INTEGER) * 1000
	- (SELECT retention_ms FROM audit_settings WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'audit entries are kept for the retention period'); END;
`;

const GENESIS = '0'.repeat(64);
const FIELD_MAX = 500;
const MAX_PAGE = 1000;

/** The HMAC key of the chain, derived from the server secret (never the secret itself). */
export function auditKey(secret: string): Buffer {
	if (secret.length < 32) {
		throw new AppError('CONFIG_INVALID', 'SESSION_SECRET doit faire au moins 32 caractères.');
	}
	return Buffer.from(hkdfSync('sha256', secret, 'confrere-audit', 'audit-chain/v1', 32));
}

function clip(value: string): string {
	// One line, bounded: a summary, never a payload.
	const line = value.replace(/[\r\n\t]+/g, ' ').trim();
	return line.length > FIELD_MAX ? `${line.slice(0, FIELD_MAX - 1)}…` : line;
}

function seal(key: Buffer, prevHash: string, entry: Omit<AuditEntry, 'hash'>): string {
	const fields = [
		entry.seq,
		entry.at,
		entry.actor,
		entry.mailbox,
		entry.action,
		entry.request,
		entry.outcome,
		entry.answer
	];
	return createHmac('sha256', key).update(prevHash).update(JSON.stringify(fields)).digest('hex');
}

function whereClause(filter: AuditFilter): { where: string[]; params: (string | number)[] } {
	const where: string[] = [];
	const params: (string | number)[] = [];
	const add = (sql: string, value: string | number): void => {
		where.push(sql);
		params.push(value);
	};
	if (filter.from !== undefined) add('at >= ?', filter.from);
	if (filter.to !== undefined) add('at < ?', filter.to);
	if (filter.actor) add('actor = ?', filter.actor);
	if (filter.mailbox) add('mailbox = ?', filter.mailbox.toLowerCase());
	if (filter.mailboxes) {
		where.push(`mailbox IN (${filter.mailboxes.map(() => '?').join(', ') || 'NULL'})`);
		params.push(...filter.mailboxes.map((m) => m.toLowerCase()));
	}
	if (filter.action) add('action = ?', filter.action);
	if (filter.outcome) add('outcome = ?', filter.outcome);
	return { where, params };
}

export class AuditLog {
	readonly #db: DatabaseSync;
	readonly #key: Buffer;
	readonly #now: () => number;

	constructor(options: { db: DatabaseSync; key: Buffer; now?: () => number }) {
		this.#db = options.db;
		this.#key = options.key;
		this.#now = options.now ?? Date.now;
	}

	/** Appends one entry and returns it. Throws only if the database itself fails. */
	record(event: AuditEvent): AuditEntry {
		if (!AUDIT_ACTIONS.includes(event.action)) {
			throw new AppError('INVALID_INPUT', `Action d'audit inconnue : ${String(event.action)}`);
		}
		const db = this.#db;
		db.exec('BEGIN IMMEDIATE');
		try {
			const last = db
				.prepare('SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1')
				.get() as { seq: number; hash: string } | undefined;
			const anchor = db.prepare('SELECT seq, prev_hash FROM audit_anchor WHERE id = 1').get() as
				{ seq: number; prev_hash: string } | undefined;
			const prevHash = last?.hash ?? anchor?.prev_hash ?? GENESIS;
			const seq = (last?.seq ?? (anchor ? anchor.seq - 1 : 0)) + 1;
			const entry = {
				seq,
				at: this.#now(),
				actor: clip(event.actor),
				mailbox: clip(event.mailbox ?? '').toLowerCase(),
				action: event.action,
				request: clip(event.request),
				outcome: event.outcome,
				answer: clip(event.answer ?? '')
			};
			const hash = seal(this.#key, prevHash, entry);
			db.prepare(
				`INSERT INTO audit_entry (seq, at, actor, mailbox, action, request, outcome, answer, prev_hash, hash)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
			).run(
				entry.seq,
				entry.at,
				entry.actor,
				entry.mailbox,
				entry.action,
				entry.request,
				entry.outcome,
				entry.answer,
				prevHash,
				hash
			);
			db.exec('COMMIT');
			return { ...entry, hash };
		} catch (error) {
			db.exec('ROLLBACK');
			throw error;
		}
	}

	/** Newest first. */
	query(filter: AuditFilter = {}): { entries: AuditEntry[]; total: number } {
		const { where, params } = whereClause(filter);
		const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
		const limit = Math.min(Math.max(filter.limit ?? 100, 1), MAX_PAGE);
		const offset = Math.max(filter.offset ?? 0, 0);
		const total = (
			this.#db.prepare(`SELECT count(*) AS n FROM audit_entry ${clause}`).get(...params) as {
				n: number;
			}
		).n;
		const entries = this.#db
			.prepare(
				`SELECT seq, at, actor, mailbox, action, request, outcome, answer, hash FROM audit_entry
				${clause} ORDER BY seq DESC LIMIT ? OFFSET ?`
			)
			.all(...params, limit, offset) as unknown as AuditEntry[];
		return { entries, total };
	}

	/** Every matching entry, oldest first, read in pages (for the CSV export). */
	*iterate(filter: Omit<AuditFilter, 'limit' | 'offset'> = {}): Generator<AuditEntry> {
		let after = 0;
		for (;;) {
			const { where, params } = whereClause(filter);
			where.push('seq > ?');
			const page = this.#db
				.prepare(
					`SELECT seq, at, actor, mailbox, action, request, outcome, answer, hash FROM audit_entry
					WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`
				)
				.all(...params, after, MAX_PAGE) as unknown as AuditEntry[];
			if (page.length === 0) return;
			after = page[page.length - 1]!.seq;
			yield* page;
		}
	}

	/** Recomputes the whole chain: any changed, removed or inserted row is reported. */
	verify(): ChainReport {
		const anchor = this.#db
			.prepare('SELECT seq, prev_hash FROM audit_anchor WHERE id = 1')
			.get() as { seq: number; prev_hash: string } | undefined;
		let prevHash = anchor?.prev_hash ?? GENESIS;
		let expectedSeq = anchor?.seq ?? 1;
		let entries = 0;
		const rows = this.#db
			.prepare(
				'SELECT seq, at, actor, mailbox, action, request, outcome, answer, prev_hash, hash FROM audit_entry ORDER BY seq'
			)
			.iterate() as Iterable<AuditEntry & { prev_hash: string }>;
		for (const row of rows) {
			if (row.seq !== expectedSeq) {
				return { ok: false, entries, brokenAt: expectedSeq, reason: 'entrée manquante' };
			}
			if (row.prev_hash !== prevHash) {
				return { ok: false, entries, brokenAt: row.seq, reason: 'chaînage rompu' };
			}
			const { hash, prev_hash: _prev, ...fields } = row;
			if (seal(this.#key, prevHash, fields) !== hash) {
				return { ok: false, entries, brokenAt: row.seq, reason: 'entrée modifiée' };
			}
			prevHash = hash;
			expectedSeq = row.seq + 1;
			entries++;
		}
		return { ok: true, entries };
	}

	get retentionMs(): number {
		return (
			this.#db.prepare('SELECT retention_ms FROM audit_settings WHERE id = 1').get() as {
				retention_ms: number;
			}
		).retention_ms;
	}

	setRetention(ms: number): void {
		if (!Number.isInteger(ms) || ms < 86_400_000) {
			throw new AppError('INVALID_INPUT', 'La durée de conservation doit être d’au moins un jour.');
		}
		this.#db.prepare('UPDATE audit_settings SET retention_ms = ? WHERE id = 1').run(ms);
	}

	/**
	 * Removes the entries older than the retention, oldest first, and records the hash the chain
	 * continues from, so `verify()` still proves everything that is kept.
	 */
	prune(): number {
		const db = this.#db;
		const cutoff = this.#now() - this.retentionMs;
		db.exec('BEGIN IMMEDIATE');
		try {
			const firstKept = db
				.prepare('SELECT seq, prev_hash FROM audit_entry WHERE at >= ? ORDER BY seq LIMIT 1')
				.get(cutoff) as { seq: number; prev_hash: string } | undefined;
			const last = db
				.prepare('SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1')
				.get() as { seq: number; hash: string } | undefined;
			if (!last) {
				db.exec('COMMIT');
				return 0;
			}
			// Everything is old: the chain continues after the last entry.
			const next = firstKept ?? { seq: last.seq + 1, prev_hash: last.hash };
			const removed = db.prepare('DELETE FROM audit_entry WHERE seq < ?').run(next.seq).changes;
			if (removed > 0) {
				db.prepare(
					`INSERT INTO audit_anchor (id, seq, prev_hash) VALUES (1, ?, ?)
					ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, prev_hash = excluded.prev_hash`
				).run(next.seq, next.prev_hash);
			}
			db.exec('COMMIT');
			return Number(removed);
		} catch (error) {
			db.exec('ROLLBACK');
			throw error;
		}
	}
}

const CSV_COLUMNS = ['seq', 'date', 'actor', 'mailbox', 'action', 'request', 'outcome', 'answer'];
const localTime = new Intl.DateTimeFormat('sv-SE', {
	timeZone: 'Europe/Paris',
	dateStyle: 'short',
	timeStyle: 'medium'
});

function csvCell(value: string | number): string {
	let text = String(value);
	// Spreadsheet formula injection: a cell must never start like a formula.
	if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
	return /[",;\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The local (Europe/Paris) time of an entry, as `AAAA-MM-JJ HH:MM:SS`. */
export function auditLocalTime(at: number): string {
	return localTime.format(new Date(at));
}

/** Midnight in Paris (UTC+1 in winter, UTC+2 in summer) of an `AAAA-MM-JJ` day; null if invalid. */
export function parisDayStart(value: string): number | null {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
	const utc = Date.parse(`${value}T00:00:00Z`);
	if (Number.isNaN(utc)) return null;
	for (const offsetHours of [1, 2]) {
		const at = utc - offsetHours * 3_600_000;
		if (auditLocalTime(at).startsWith(`${value} 00:00`)) return at;
	}
	return utc;
}

export function auditCsvHeader(): string {
	return `${CSV_COLUMNS.join(';')}\r\n`;
}

export function auditCsvRow(entry: AuditEntry): string {
	return `${[
		entry.seq,
		auditLocalTime(entry.at),
		entry.actor,
		entry.mailbox,
		entry.action,
		entry.request,
		entry.outcome,
		entry.answer
	]
		.map(csvCell)
		.join(';')}\r\n`;
}
