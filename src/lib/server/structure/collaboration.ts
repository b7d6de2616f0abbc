/**
 * Working together in one structure mailbox (issue 7): assignment ("attribué à"), "traité" and
 * internal notes. The state is mirrored as IMAP keywords (`$Attribue`, `$Traite`) so every client
 * of the mailbox sees it; who and when live here. Each state change is compare-and-set on a
 * version: two members acting at once never overwrite each other silently — the second gets the
 * current state and is told who acted. Notes may mention patients: sealed at rest.
 */
import type { DatabaseSync } from 'node:sqlite';
import { open, seal } from '../../../../certs/secret-box.ts';
import { AppError } from '../errors.ts';

/** IMAP keywords (RFC 3501 atoms) mirrored on the message. */
export const KEYWORD_ASSIGNED = '$Attribue';
export const KEYWORD_HANDLED = '$Traite';

const NOTE_MAX = 2000;

export interface MessageState {
	assignee: string | null;
	assignedBy: string | null;
	assignedAt: number | null;
	handledBy: string | null;
	handledAt: number | null;
	version: number;
}

export type StateChange =
	{ ok: true; state: MessageState } | { ok: false; current: MessageState; message: string };

export interface Note {
	id: number;
	author: string;
	at: number;
	text: string;
}

const EMPTY: MessageState = {
	assignee: null,
	assignedBy: null,
	assignedAt: null,
	handledBy: null,
	handledAt: null,
	version: 0
};

interface Row {
	message_key: string;
	assignee: string | null;
	assigned_by: string | null;
	assigned_at: number | null;
	handled_by: string | null;
	handled_at: number | null;
	version: number;
}

function fromRow(row: Row | undefined): MessageState {
	if (!row) return { ...EMPTY };
	return {
		assignee: row.assignee,
		assignedBy: row.assigned_by,
		assignedAt: row.assigned_at,
		handledBy: row.handled_by,
		handledAt: row.handled_at,
		version: row.version
	};
}

/** The key of a message across folders: its Message-ID, as sent. */
export function messageKey(messageId: string | undefined | null): string {
	const key = (messageId ?? '').trim();
	if (!key)
		throw new AppError('INVALID_INPUT', 'Ce message n’a pas de Message-ID : suivi impossible.');
	return key;
}

export class Collaboration {
	readonly #db: DatabaseSync;
	readonly #secret: string;
	readonly #now: () => number;
	readonly #name: (member: string) => string;

	constructor(options: {
		db: DatabaseSync;
		serverSecret: string;
		now?: () => number;
		/** How a member id is shown to people (`psc:…` → "Dr Jeanne MARTIN"). */
		displayName?: (member: string) => string;
	}) {
		this.#db = options.db;
		this.#secret = options.serverSecret;
		this.#now = options.now ?? Date.now;
		this.#name = options.displayName ?? ((member) => member);
	}

	state(mailbox: string, key: string): MessageState {
		return fromRow(
			this.#db
				.prepare('SELECT * FROM message_state WHERE mailbox = ? AND message_key = ?')
				.get(mailbox, key) as Row | undefined
		);
	}

	/** States of a page of messages in one query. */
	states(mailbox: string, keys: string[]): Map<string, MessageState> {
		const result = new Map<string, MessageState>();
		if (keys.length === 0) return result;
		const rows = this.#db
			.prepare(
				`SELECT * FROM message_state WHERE mailbox = ? AND message_key IN (${keys.map(() => '?').join(',')})`
			)
			.all(mailbox, ...keys) as unknown as Row[];
		for (const row of rows) result.set(row.message_key, fromRow(row));
		return result;
	}

	assign(input: {
		mailbox: string;
		key: string;
		assignee: string | null;
		by: string;
		expectedVersion: number;
	}): StateChange {
		return this.#change(input, (s) => ({
			...s,
			assignee: input.assignee,
			assignedBy: input.assignee ? input.by : null,
			assignedAt: input.assignee ? this.#now() : null
		}));
	}

	setHandled(input: {
		mailbox: string;
		key: string;
		handled: boolean;
		by: string;
		expectedVersion: number;
	}): StateChange {
		return this.#change(input, (s) => ({
			...s,
			handledBy: input.handled ? input.by : null,
			handledAt: input.handled ? this.#now() : null
		}));
	}

	/** Message keys assigned to a member (the "attribués à moi" view). */
	assignedTo(mailbox: string, member: string): string[] {
		return (
			this.#db
				.prepare(
					'SELECT message_key FROM message_state WHERE mailbox = ? AND assignee = ? AND handled_at IS NULL ORDER BY assigned_at DESC'
				)
				.all(mailbox, member) as { message_key: string }[]
		).map((r) => r.message_key);
	}

	addNote(input: { mailbox: string; key: string; author: string; text: string }): Note {
		const text = input.text.trim();
		if (!text) throw new AppError('INVALID_INPUT', 'La note est vide.');
		if (text.length > NOTE_MAX) {
			throw new AppError('INVALID_INPUT', `La note dépasse ${NOTE_MAX} caractères.`);
		}
		const at = this.#now();
		const result = this.#db
			.prepare(
				'INSERT INTO message_note (mailbox, message_key, author, at, body) VALUES (?, ?, ?, ?, ?)'
			)
			.run(input.mailbox, input.key, input.author, at, seal(text, this.#secret));
		return { id: Number(result.lastInsertRowid), author: input.author, at, text };
	}

	notes(mailbox: string, key: string): Note[] {
		const rows = this.#db
			.prepare(
				'SELECT id, author, at, body FROM message_note WHERE mailbox = ? AND message_key = ? ORDER BY at, id'
			)
			.all(mailbox, key) as { id: number; author: string; at: number; body: string }[];
		return rows.map((r) => ({
			id: r.id,
			author: r.author,
			at: r.at,
			text: open(r.body, this.#secret).toString('utf8')
		}));
	}

	#conflictMessage(current: MessageState): string {
		if (current.handledBy) {
			return `Entre-temps, ${this.#name(current.handledBy)} a marqué ce message comme traité.`;
		}
		if (current.assignee) {
			return `Entre-temps, ce message a été attribué à ${this.#name(current.assignee)}.`;
		}
		return 'Entre-temps, un autre membre a modifié ce message. Voici son état actuel.';
	}

	#change(
		input: { mailbox: string; key: string; expectedVersion: number },
		apply: (state: MessageState) => MessageState
	): StateChange {
		const db = this.#db;
		db.exec('BEGIN IMMEDIATE');
		try {
			const current = this.state(input.mailbox, input.key);
			if (current.version !== input.expectedVersion) {
				db.exec('COMMIT');
				return { ok: false, current, message: this.#conflictMessage(current) };
			}
			const next = { ...apply(current), version: current.version + 1 };
			db.prepare(
				`INSERT INTO message_state (mailbox, message_key, assignee, assigned_by, assigned_at, handled_by, handled_at, version)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (mailbox, message_key) DO UPDATE SET assignee = excluded.assignee,
					assigned_by = excluded.assigned_by, assigned_at = excluded.assigned_at,
					handled_by = excluded.handled_by, handled_at = excluded.handled_at, version = excluded.version`
			).run(
				input.mailbox,
				input.key,
				next.assignee,
				next.assignedBy,
				next.assignedAt,
				next.handledBy,
				next.handledAt,
				next.version
			);
			db.exec('COMMIT');
			return { ok: true, state: next };
		} catch (error) {
			db.exec('ROLLBACK');
			throw error;
		}
	}
}
