/**
 * Server-side sessions. The browser holds only a random id in an httpOnly cookie; credentials and
 * tokens stay in this process's memory and are never written anywhere (ECO.1.2.5). Sessions end
 * after a configurable inactivity delay (SC.SSI/IE.39) or on sign-out (SC.SSI/IE.38).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { MailboxAuth } from '../mail/imap/client.ts';

export type MailboxKind = 'PER' | 'ORG' | 'APP';

export interface SessionMailbox {
	/** Short opaque id used in URLs. */
	id: string;
	address: string;
	displayName: string;
	kind: MailboxKind;
	auth: MailboxAuth;
	/** Opened through structure membership (`local:…`/`psc:…`): the role is checked on each use. */
	member?: string;
}

export interface Session {
	/** Hash of the cookie value: the raw id is never kept. */
	key: string;
	userLabel: string;
	/** The person as a structure member (`psc:<RPPS>` or `local:<login>`), when known. */
	memberId?: string;
	mailboxes: SessionMailbox[];
	/** Set when the person signed in with Pro Santé Connect (tokens live in psc/token-store.ts). */
	psc?: { subject: string };
	createdAt: number;
	lastSeenAt: number;
}

export interface SessionStoreOptions {
	idleMs: number;
	/** Called when a session ends, for whatever reason, to close its connections. */
	onEnd: (session: Session) => void;
}

export function sessionKeyOf(token: string): string {
	return keyOf(token);
}

function keyOf(token: string): string {
	return createHash('sha256').update(token).digest('base64url');
}

export class SessionStore {
	readonly #sessions = new Map<string, Session>();
	readonly #options: SessionStoreOptions;
	readonly #sweeper: NodeJS.Timeout;

	constructor(options: SessionStoreOptions) {
		this.#options = options;
		this.#sweeper = setInterval(() => this.#sweep(), 60_000);
		this.#sweeper.unref();
	}

	get size(): number {
		return this.#sessions.size;
	}

	/** Creates a session and returns the token to put in the cookie. */
	create(init: {
		userLabel: string;
		memberId?: string;
		mailboxes: SessionMailbox[];
		psc?: { subject: string };
	}): {
		token: string;
		session: Session;
	} {
		const token = randomBytes(32).toString('base64url');
		const now = Date.now();
		const session: Session = { key: keyOf(token), ...init, createdAt: now, lastSeenAt: now };
		this.#sessions.set(session.key, session);
		return { token, session };
	}

	/** The live session for a cookie token, refreshed; null when unknown or expired. */
	touch(token: string | undefined): Session | null {
		if (!token) return null;
		const session = this.#sessions.get(keyOf(token));
		if (!session) return null;
		if (Date.now() - session.lastSeenAt > this.#options.idleMs) {
			this.end(session);
			return null;
		}
		session.lastSeenAt = Date.now();
		return session;
	}

	end(session: Session): void {
		if (this.#sessions.delete(session.key)) this.#options.onEnd(session);
	}

	/** Ends every session matching `predicate` (e.g. all sessions of one PSC person). */
	endWhere(predicate: (session: Session) => boolean): number {
		let ended = 0;
		for (const session of [...this.#sessions.values()]) {
			if (!predicate(session)) continue;
			this.end(session);
			ended += 1;
		}
		return ended;
	}

	/** The live session stored under `key` (a session's `key`, not a cookie token). */
	byKey(key: string): Session | undefined {
		return this.#sessions.get(key);
	}

	endAll(): void {
		clearInterval(this.#sweeper);
		for (const session of [...this.#sessions.values()]) this.end(session);
	}

	#sweep(): void {
		const limit = Date.now() - this.#options.idleMs;
		for (const session of [...this.#sessions.values()]) {
			if (session.lastSeenAt < limit) this.end(session);
		}
	}
}
