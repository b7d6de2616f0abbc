/**
 * The process-wide registry of warm mailbox connections, keyed by session and mailbox. Unused
 * connections are closed after a delay so an idle signed-in user costs almost nothing.
 */
import type { Logger } from '../../log.ts';
import type { ImapClientOptions } from './client.ts';
import { MailboxConnection } from './connection.ts';

export class ConnectionPool {
	readonly #connections = new Map<string, MailboxConnection>();
	readonly #idleCloseMs: number;
	readonly #logger: Logger;
	readonly #sweeper: NodeJS.Timeout;

	constructor(options: { idleCloseMs: number; logger: Logger }) {
		this.#idleCloseMs = options.idleCloseMs;
		this.#logger = options.logger;
		this.#sweeper = setInterval(() => this.#sweep(), Math.min(30_000, options.idleCloseMs));
		this.#sweeper.unref();
	}

	get size(): number {
		return this.#connections.size;
	}

	get(key: string, create: () => ImapClientOptions): MailboxConnection {
		let connection = this.#connections.get(key);
		if (!connection) {
			connection = new MailboxConnection(create());
			this.#connections.set(key, connection);
		}
		return connection;
	}

	/** Closes every connection whose key starts with `prefix` (a session ending). */
	async closeWhere(prefix: string): Promise<void> {
		const closing: Promise<void>[] = [];
		for (const [key, connection] of this.#connections) {
			if (!key.startsWith(prefix)) continue;
			this.#connections.delete(key);
			closing.push(connection.close());
		}
		await Promise.all(closing);
	}

	async closeAll(): Promise<void> {
		clearInterval(this.#sweeper);
		await this.closeWhere('');
	}

	#sweep(): void {
		const limit = Date.now() - this.#idleCloseMs;
		for (const [key, connection] of this.#connections) {
			if (connection.lastUsedAt > limit) continue;
			this.#connections.delete(key);
			connection
				.close()
				.catch((err: unknown) => this.#logger.warn({ err: String(err) }, 'imap close failed'));
		}
	}
}
