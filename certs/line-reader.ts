/**
 * CRLF line reading over a socket for the probe's short IMAP/SMTP dialogues (greeting,
 * STARTTLS, capabilities). `detach()` hands the socket back before a STARTTLS upgrade and
 * reports any byte the server sent ahead of the handshake: RFC 3207 §4.2 and RFC 9051 §6.2.1
 * forbid acting on them (STARTTLS command injection), so the probe refuses such a server.
 * Framework-free.
 */
import type { Socket } from 'node:net';

const MAX_LINE = 16 * 1024;

interface Waiter {
	resolve: (line: string) => void;
	reject: (error: Error) => void;
	timer: NodeJS.Timeout;
}

export class LineReader {
	readonly #socket: Socket;
	readonly #timeoutMs: number;
	#buffer = '';
	#lines: string[] = [];
	#waiters: Waiter[] = [];
	#failure: Error | undefined;

	readonly #onData = (chunk: Buffer): void => {
		this.#buffer += chunk.toString('utf8');
		let index: number;
		while ((index = this.#buffer.indexOf('\n')) >= 0) {
			this.#push(this.#buffer.slice(0, index).replace(/\r$/, ''));
			this.#buffer = this.#buffer.slice(index + 1);
		}
		if (this.#buffer.length > MAX_LINE) this.#fail(new Error('réponse du serveur trop longue'));
	};
	readonly #onEnd = (): void => this.#fail(new Error('le serveur a fermé la connexion'));
	readonly #onError = (error: Error): void => this.#fail(error);

	constructor(socket: Socket, timeoutMs: number) {
		this.#socket = socket;
		this.#timeoutMs = timeoutMs;
		socket.on('data', this.#onData);
		socket.on('end', this.#onEnd);
		socket.on('close', this.#onEnd);
		socket.on('error', this.#onError);
	}

	#push(line: string): void {
		const waiter = this.#waiters.shift();
		if (waiter) {
			clearTimeout(waiter.timer);
			waiter.resolve(line);
		} else {
			this.#lines.push(line);
		}
	}

	#fail(error: Error): void {
		this.#failure ??= error;
		for (const waiter of this.#waiters.splice(0)) {
			clearTimeout(waiter.timer);
			waiter.reject(error);
		}
	}

	next(): Promise<string> {
		const line = this.#lines.shift();
		if (line !== undefined) return Promise.resolve(line);
		if (this.#failure) return Promise.reject(this.#failure);
		return new Promise((resolve, reject) => {
			const waiter: Waiter = {
				resolve,
				reject,
				timer: setTimeout(() => {
					this.#waiters = this.#waiters.filter((w) => w !== waiter);
					reject(new Error(`pas de réponse du serveur après ${this.#timeoutMs} ms`));
				}, this.#timeoutMs)
			};
			this.#waiters.push(waiter);
		});
	}

	/** Stops reading; returns how many unread bytes/lines were pending (must be 0 for STARTTLS). */
	detach(): number {
		this.#socket.off('data', this.#onData);
		this.#socket.off('end', this.#onEnd);
		this.#socket.off('close', this.#onEnd);
		this.#socket.off('error', this.#onError);
		const pending = this.#buffer.length + this.#lines.join('').length;
		this.#buffer = '';
		this.#lines = [];
		return pending;
	}
}
