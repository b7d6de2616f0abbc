/**
 * Pro Santé Connect tokens, in this process's memory only (ECO.1.2.5): never in the database, on
 * disk, in the browser or in logs. One entry per webmail session. The access token (~5 minutes)
 * is renewed with the refresh token at 80 % of its lifetime; when a renewal fails (refresh token
 * expired, PSC logout…) the entry dies and `onDead` lets the app close every IMAP/SMTP session of
 * that user and sign them out (ECO.1.2.6).
 */
import { AppError } from '../errors.ts';

export interface PscTokenSet {
	accessToken: string;
	refreshToken: string | undefined;
	/** Access-token lifetime in seconds, as the provider said. */
	expiresIn: number;
}

export type Refresher = (refreshToken: string) => Promise<PscTokenSet>;

export interface TokenStoreOptions {
	refresh: Refresher;
	/** Called once when an entry's refresh fails; the entry is already gone. */
	onDead: (key: string, reason: string) => void;
	/** Fraction of the lifetime after which to renew (0.8 by default). */
	refreshAt?: number;
	now?: () => number;
}

interface Entry {
	tokens: PscTokenSet;
	issuedAt: number;
	expiresAt: number;
	timer: NodeJS.Timeout | undefined;
	refreshing: Promise<string> | undefined;
}

/** The person's PSC session is over: no token can be given any more. */
export class PscTokenError extends AppError {
	constructor() {
		super('SESSION_EXPIRED', 'Session Pro Santé Connect terminée. Reconnectez-vous.');
	}
}

export class PscTokenStore {
	readonly #entries = new Map<string, Entry>();
	readonly #options: TokenStoreOptions;
	readonly #refreshAt: number;
	readonly #now: () => number;

	constructor(options: TokenStoreOptions) {
		this.#options = options;
		this.#refreshAt = options.refreshAt ?? 0.8;
		this.#now = options.now ?? Date.now;
	}

	get size(): number {
		return this.#entries.size;
	}

	has(key: string): boolean {
		return this.#entries.has(key);
	}

	/** When the next renewal is due (epoch ms), for tests and diagnostics. */
	refreshDueAt(key: string): number | undefined {
		const entry = this.#entries.get(key);
		if (!entry) return undefined;
		return entry.issuedAt + (entry.expiresAt - entry.issuedAt) * this.#refreshAt;
	}

	set(key: string, tokens: PscTokenSet): void {
		this.delete(key);
		this.#entries.set(key, this.#entry(tokens));
		this.#schedule(key);
	}

	/**
	 * A valid access token for `key`: the current one, or — when it is past its renewal point —
	 * the one a renewal brings. Throws `PscTokenError` when the entry is gone or cannot be renewed.
	 */
	async accessToken(key: string): Promise<string> {
		const entry = this.#entries.get(key);
		if (!entry) throw new PscTokenError();
		if (entry.refreshing) return entry.refreshing;
		const due = this.refreshDueAt(key) ?? 0;
		if (this.#now() < due) return entry.tokens.accessToken;
		return this.#refresh(key);
	}

	delete(key: string): void {
		const entry = this.#entries.get(key);
		if (!entry) return;
		clearTimeout(entry.timer);
		this.#entries.delete(key);
	}

	clear(): void {
		for (const key of [...this.#entries.keys()]) this.delete(key);
	}

	#entry(tokens: PscTokenSet): Entry {
		const issuedAt = this.#now();
		// A provider that gives no lifetime: assume PSC's ~5 minutes.
		const lifetime = (tokens.expiresIn > 0 ? tokens.expiresIn : 300) * 1000;
		return {
			tokens,
			issuedAt,
			expiresAt: issuedAt + lifetime,
			timer: undefined,
			refreshing: undefined
		};
	}

	#schedule(key: string): void {
		const entry = this.#entries.get(key);
		if (!entry) return;
		const delay = Math.max(0, (this.refreshDueAt(key) ?? 0) - this.#now());
		entry.timer = setTimeout(() => {
			this.#refresh(key).catch(() => {
				// #refresh already reported the death through onDead.
			});
		}, delay);
		entry.timer.unref();
	}

	#refresh(key: string): Promise<string> {
		const entry = this.#entries.get(key);
		if (!entry) return Promise.reject(new PscTokenError());
		if (entry.refreshing) return entry.refreshing;
		clearTimeout(entry.timer);
		const refreshToken = entry.tokens.refreshToken;
		const attempt = (async () => {
			if (!refreshToken) throw new Error('no refresh token');
			return this.#options.refresh(refreshToken);
		})();
		entry.refreshing = attempt.then(
			(tokens) => {
				if (this.#entries.get(key) !== entry) {
					throw new PscTokenError();
				}
				const next = this.#entry({
					...tokens,
					// Providers that do not rotate refresh tokens keep the previous one valid.
					refreshToken: tokens.refreshToken ?? refreshToken
				});
				this.#entries.set(key, next);
				this.#schedule(key);
				return next.tokens.accessToken;
			},
			(error: unknown) => {
				if (this.#entries.get(key) === entry) {
					this.delete(key);
					const reason =
						(error as { error?: string; code?: string }).error ??
						(error as { code?: string }).code ??
						(error instanceof Error ? error.name : 'erreur');
					this.#options.onDead(key, String(reason));
				}
				throw new PscTokenError();
			}
		);
		return entry.refreshing;
	}
}
