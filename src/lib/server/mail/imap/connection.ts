/**
 * One warm IMAP connection per signed-in mailbox, reused across requests. It reconnects by itself
 * with backoff when the server drops it (ECO.1.2.7), retries an idempotent command once on a fresh
 * connection, and keeps connection failures inside the mailbox that had them (ECO.1.2.3).
 */
import type { ImapFlow } from 'imapflow';
import { ImapError, isAppError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import { openImapClient, type ImapClientOptions } from './client.ts';

const BACKOFF_STEPS_MS = [0, 1_000, 2_000, 5_000, 10_000, 30_000];

export interface RunOptions {
	/** A read that can safely run again on a new connection when the first one dropped. */
	isIdempotent?: boolean;
}

export class MailboxConnection {
	readonly #options: ImapClientOptions;
	readonly #logger: Logger;
	#client: ImapFlow | null = null;
	#connecting: Promise<ImapFlow> | null = null;
	#failures = 0;
	#nextAttemptAt = 0;
	#lastUsedAt = Date.now();
	#isClosed = false;

	constructor(options: ImapClientOptions) {
		this.#options = options;
		this.#logger = options.logger;
	}

	get lastUsedAt(): number {
		return this.#lastUsedAt;
	}

	get isConnected(): boolean {
		return this.#client?.usable === true;
	}

	/** Runs `fn` with a usable client; the client is never handed out beyond `fn`. */
	async run<T>(fn: (client: ImapFlow) => Promise<T>, options: RunOptions = {}): Promise<T> {
		this.#lastUsedAt = Date.now();
		const client = await this.#ensureClient();
		try {
			return await fn(client);
		} catch (error) {
			if (!options.isIdempotent || client.usable || isAppError(error)) throw error;
			// The connection died under the command (server restart, network cut): one more try.
			this.#logger.info('imap connection dropped during a read, retrying once');
			this.#drop(client);
			return fn(await this.#ensureClient());
		}
	}

	/**
	 * Runs `fn` with `folder` selected, holding imapflow's lock for that folder. `wasSelected` tells
	 * whether the folder was already selected before (its state may then be stale).
	 */
	async inFolder<T>(
		folder: string,
		fn: (client: ImapFlow, wasSelected: boolean) => Promise<T>,
		options: RunOptions = {}
	): Promise<T> {
		return this.run(async (client) => {
			let lock;
			const wasSelected = client.mailbox !== false && client.mailbox.path === folder;
			try {
				lock = await client.getMailboxLock(folder);
			} catch (cause) {
				if (!client.usable) throw cause;
				throw new ImapError(
					'MAILBOX_NOT_FOUND',
					'Ce dossier n’existe pas ou n’est pas accessible.',
					{
						cause
					}
				);
			}
			try {
				return await fn(client, wasSelected);
			} finally {
				lock.release();
			}
		}, options);
	}

	async close(): Promise<void> {
		this.#isClosed = true;
		const client = this.#client;
		this.#client = null;
		if (client?.usable) {
			await client.logout().catch((err: unknown) => {
				this.#logger.debug({ err: String(err) }, 'imap logout failed');
			});
		} else {
			client?.close();
		}
	}

	async #ensureClient(): Promise<ImapFlow> {
		if (this.#isClosed) throw new ImapError('IMAP_DISCONNECTED', 'Session de messagerie fermée.');
		if (this.#client?.usable) return this.#client;
		this.#connecting ??= this.#connect().finally(() => {
			this.#connecting = null;
		});
		return this.#connecting;
	}

	async #connect(): Promise<ImapFlow> {
		const wait = this.#nextAttemptAt - Date.now();
		if (wait > 0) {
			// Backoff: wait a little (never past a request's patience), so a restarting server is
			// not hit by a login storm, then try.
			await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 5_000)));
		}
		try {
			const client = await openImapClient(this.#options);
			client.on('close', () => {
				if (this.#client === client) this.#client = null;
			});
			this.#failures = 0;
			this.#nextAttemptAt = 0;
			this.#client = client;
			return client;
		} catch (error) {
			this.#failures += 1;
			const step =
				BACKOFF_STEPS_MS[Math.min(this.#failures, BACKOFF_STEPS_MS.length - 1)] ?? 30_000;
			this.#nextAttemptAt = Date.now() + step;
			throw error;
		}
	}

	#drop(client: ImapFlow): void {
		if (this.#client === client) this.#client = null;
		client.close();
	}
}
