/**
 * Push: one extra connection per watched mailbox sits in IDLE on the INBOX and tells subscribers
 * (the open pages, through server-sent events) when mail arrives or leaves. It exists only while
 * someone listens, reconnects by itself with backoff, and never disturbs the request connection.
 */
import type { ImapFlow } from 'imapflow';
import type { Logger } from '../../log.ts';
import { openImapClient, type ImapClientOptions } from './client.ts';

export interface MailboxEvent {
	folder: string;
	/**
	 * `ready`: the push connection is in place (sent to new listeners too, and again after a
	 * reconnection); `lost`: the server dropped it, a reconnection with backoff is under way.
	 */
	kind: 'ready' | 'lost' | 'exists' | 'expunge' | 'flags';
	count?: number;
}

type Listener = (event: MailboxEvent) => void;

const RECONNECT_STEPS_MS = [1_000, 2_000, 5_000, 10_000, 30_000];
const LINGER_MS = 30_000;

export class MailboxWatcher {
	readonly #options: ImapClientOptions;
	readonly #logger: Logger;
	readonly #listeners = new Set<Listener>();
	#client: ImapFlow | null = null;
	#failures = 0;
	#retryTimer: NodeJS.Timeout | null = null;
	#lingerTimer: NodeJS.Timeout | null = null;
	#isStopped = true;
	#isReady = false;
	#isLost = false;

	constructor(options: ImapClientOptions) {
		this.#options = { ...options, isWatcher: true };
		this.#logger = options.logger;
	}

	get listenerCount(): number {
		return this.#listeners.size;
	}

	/** Adds a listener; returns its removal. The connection opens with the first listener. */
	subscribe(listener: Listener): () => void {
		this.#listeners.add(listener);
		if (this.#isReady) listener({ folder: 'INBOX', kind: 'ready' });
		else if (this.#isLost) listener({ folder: 'INBOX', kind: 'lost' });
		if (this.#lingerTimer) clearTimeout(this.#lingerTimer);
		this.#lingerTimer = null;
		if (this.#isStopped) {
			this.#isStopped = false;
			this.#start();
		}
		return () => {
			this.#listeners.delete(listener);
			// A page reload re-subscribes at once: keep the connection a little before closing it.
			if (this.#listeners.size === 0 && !this.#lingerTimer) {
				this.#lingerTimer = setTimeout(() => this.stop(), LINGER_MS);
				this.#lingerTimer.unref();
			}
		};
	}

	stop(): void {
		this.#isStopped = true;
		if (this.#retryTimer) clearTimeout(this.#retryTimer);
		if (this.#lingerTimer) clearTimeout(this.#lingerTimer);
		this.#retryTimer = null;
		this.#lingerTimer = null;
		const client = this.#client;
		this.#client = null;
		this.#isReady = false;
		this.#isLost = false;
		client?.close();
	}

	/** True while the server is unreachable and the watcher is trying again. */
	get isLost(): boolean {
		return this.#isLost;
	}

	#emit(event: MailboxEvent): void {
		for (const listener of this.#listeners) {
			try {
				listener(event);
			} catch (error) {
				this.#logger.warn({ err: String(error) }, 'mailbox listener failed');
			}
		}
	}

	#start(): void {
		this.#connect().catch((error: unknown) => {
			this.#logger.warn({ err: String(error) }, 'watch connection failed');
			this.#scheduleRetry();
		});
	}

	async #connect(): Promise<void> {
		const client = await openImapClient(this.#options);
		if (this.#isStopped) {
			client.close();
			return;
		}
		this.#client = client;
		client.on('exists', (data: { path: string; count: number }) =>
			this.#emit({ folder: data.path, kind: 'exists', count: data.count })
		);
		client.on('expunge', (data: { path: string }) =>
			this.#emit({ folder: data.path, kind: 'expunge' })
		);
		client.on('flags', (data: { path: string }) =>
			this.#emit({ folder: data.path, kind: 'flags' })
		);
		client.on('close', () => {
			if (this.#client !== client) return;
			this.#client = null;
			const wasReady = this.#isReady;
			this.#isReady = false;
			if (this.#isStopped) return;
			// ECO.1.2.7: tell the pages (a discreet notice), then reconnect with backoff.
			if (wasReady && !this.#isLost) {
				this.#isLost = true;
				this.#logger.info('watch connection lost, reconnecting');
				this.#emit({ folder: 'INBOX', kind: 'lost' });
			}
			this.#scheduleRetry();
		});
		await client.mailboxOpen('INBOX', { readOnly: true });
		this.#failures = 0;
		this.#isReady = true;
		this.#isLost = false;
		this.#emit({ folder: 'INBOX', kind: 'ready' });
		// imapflow enters IDLE by itself once the mailbox is open and nothing else runs.
	}

	#scheduleRetry(): void {
		if (this.#isStopped || this.#retryTimer) return;
		const delay =
			RECONNECT_STEPS_MS[Math.min(this.#failures, RECONNECT_STEPS_MS.length - 1)] ?? 30_000;
		this.#failures += 1;
		this.#retryTimer = setTimeout(() => {
			this.#retryTimer = null;
			if (!this.#isStopped) this.#start();
		}, delay);
		this.#retryTimer.unref();
	}
}
