/**
 * The writer thread of the import: inserts entry records into the new index file while the main
 * thread keeps joining and folding (the two halves cost about the same; two cores, half the time).
 */
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import { insertRecords, type EntryRecord } from './entry-writer.ts';

export type WriterMessage =
	| { type: 'batch'; records: EntryRecord[] }
	| { type: 'end'; labels: [kind: string, code: string, label: string][] };

export type WriterReply = { type: 'ack' } | { type: 'done' } | { type: 'error'; message: string };

const port = parentPort;
if (!port) throw new Error('write-worker must run as a worker thread');
const db = new DatabaseSync((workerData as { dbPath: string }).dbPath);
db.exec('PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536;');
// No incremental segment merging during the bulk load: one 'optimize' at the end (importer.ts)
// merges everything once, which is about 40 % cheaper overall.
db.exec(
	"INSERT INTO entry_fts (entry_fts, rank) VALUES ('automerge', 0); INSERT INTO entry_fts (entry_fts, rank) VALUES ('crisismerge', 64)"
);
db.exec('BEGIN');

port.on('message', (msg: WriterMessage) => {
	try {
		if (msg.type === 'batch') {
			insertRecords(db, msg.records);
			port.postMessage({ type: 'ack' } satisfies WriterReply);
		} else {
			const label = db.prepare('INSERT OR REPLACE INTO label VALUES (?, ?, ?)');
			for (const [kind, code, text] of msg.labels) label.run(kind, code, text);
			db.exec('COMMIT');
			db.close();
			port.postMessage({ type: 'done' } satisfies WriterReply);
		}
	} catch (error) {
		port.postMessage({ type: 'error', message: (error as Error).message } satisfies WriterReply);
	}
});
