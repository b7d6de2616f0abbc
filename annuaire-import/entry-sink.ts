/**
 * Main-thread side of the writer thread: batches records, and waits when the writer falls
 * behind (bounded in-flight batches), so memory stays flat whatever the extract size.
 */
import { Worker } from 'node:worker_threads';
import type { EntryRecord } from './entry-writer.ts';
import type { WriterMessage, WriterReply } from './write-worker.ts';

const BATCH = 2000;
const MAX_IN_FLIGHT = 4;

export class EntrySink {
	readonly #worker: Worker;
	#batch: EntryRecord[] = [];
	#inFlight = 0;
	#failure: Error | undefined;
	#waiters: (() => void)[] = [];
	#done: Promise<void>;

	constructor(dbPath: string) {
		// The parent's flags are inherited, except --input-type (only valid for an --eval parent).
		const execArgv = process.execArgv.filter((a) => !a.startsWith('--input-type'));
		this.#worker = new Worker(new URL('./write-worker.ts', import.meta.url), {
			workerData: { dbPath },
			execArgv
		});
		this.#done = new Promise((resolve, reject) => {
			this.#worker.on('message', (reply: WriterReply) => {
				if (reply.type === 'ack') {
					this.#inFlight--;
					this.#waiters.shift()?.();
				} else if (reply.type === 'done') resolve();
				else this.#fail(new Error(reply.message), reject);
			});
			this.#worker.on('error', (error: Error) => this.#fail(error, reject));
			this.#worker.on('exit', (code) =>
				this.#fail(new Error(`writer thread exited (${code})`), reject)
			);
		});
		this.#done.catch(() => {}); // observed through end()
	}

	#fail(error: Error, reject: (e: Error) => void): void {
		this.#failure ??= error;
		reject(error);
		for (const w of this.#waiters.splice(0)) w();
	}

	async push(record: EntryRecord): Promise<void> {
		this.#batch.push(record);
		if (this.#batch.length < BATCH) return;
		this.#post({ type: 'batch', records: this.#batch });
		this.#batch = [];
		this.#inFlight++;
		while (this.#inFlight >= MAX_IN_FLIGHT && !this.#failure)
			await new Promise<void>((r) => this.#waiters.push(r));
		if (this.#failure) throw this.#failure;
	}

	#post(msg: WriterMessage): void {
		this.#worker.postMessage(msg);
	}

	async end(labels: [string, string, string][]): Promise<void> {
		if (this.#failure) throw this.#failure;
		if (this.#batch.length > 0) this.#post({ type: 'batch', records: this.#batch });
		this.#batch = [];
		this.#post({ type: 'end', labels });
		try {
			await this.#done;
		} finally {
			await this.#worker.terminate();
		}
	}

	async abort(): Promise<void> {
		await this.#worker.terminate();
	}
}
