/**
 * Streams the lines of an extract, from a `.txt` or from inside the official `.zip`, without ever
 * holding the whole file: bytes are split on LF (0x0A is never part of a UTF-8 multi-byte
 * sequence), each line is decoded strictly as UTF-8. Memory stays bounded by one read chunk plus
 * one inflated chunk, whatever the file size.
 *
 * Encoding decision: the ANS publishes UTF-8 (Nouvelles extractions en libre accès v1.2 §2.1). A
 * line that is not valid UTF-8 (typically a Latin-1/Windows-1252 re-save) stops the import with a
 * message naming the file and line, rather than transcoding on a guess and indexing mojibake.
 */
import { createReadStream } from 'node:fs';
import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';
import { ImportError, ERROR_CODES } from '../src/lib/server/errors.ts';

export interface Line {
	text: string;
	/** 1-based line number in the extract (the header is line 1). */
	lineNo: number;
}

export interface ReadLinesOptions {
	/** For a zip holding several extracts: pick the entry whose name contains this (case-insensitive). */
	entryHint?: string;
	/** Called with bytes read from disk so far (progress). */
	onBytes?: (bytes: number) => void;
}

const LF = 0x0a;
const CR = 0x0d;

/** Bytes of a file (or of one entry inside a zip), in order, as they arrive. */
async function* byteChunks(path: string, opts: ReadLinesOptions): AsyncGenerator<Uint8Array> {
	const file = path;
	const stream = createReadStream(path, { highWaterMark: 1 << 20 });
	let read = 0;
	if (!path.toLowerCase().endsWith('.zip')) {
		for await (const chunk of stream as AsyncIterable<Buffer>) {
			read += chunk.length;
			opts.onBytes?.(read);
			yield chunk;
		}
		return;
	}
	const queue: Uint8Array[] = [];
	let chosen: UnzipFile | undefined;
	let finished = false;
	let failure: unknown;
	const unzip = new Unzip((entry) => {
		if (chosen || entry.name.endsWith('/')) return;
		const name = entry.name.toLowerCase();
		const wanted = opts.entryHint
			? name.includes(opts.entryHint.toLowerCase())
			: name.endsWith('.txt') || name.endsWith('.csv');
		if (!wanted) return;
		chosen = entry;
		entry.ondata = (err, data, final) => {
			if (err) failure = err;
			else {
				if (data.length > 0) queue.push(data);
				if (final) finished = true;
			}
		};
		entry.start();
	});
	unzip.register(UnzipInflate);
	try {
		for await (const chunk of stream as AsyncIterable<Buffer>) {
			read += chunk.length;
			opts.onBytes?.(read);
			unzip.push(chunk);
			if (failure) break;
			while (queue.length > 0) yield queue.shift() as Uint8Array;
		}
		if (!failure) unzip.push(new Uint8Array(0), true);
	} catch (cause) {
		failure = cause;
	}
	if (failure) {
		throw new ImportError(
			ERROR_CODES.IMPORT_BAD_ARCHIVE,
			`${file}: archive zip illisible (${String((failure as Error).message ?? failure)}).`,
			{ file, cause: failure }
		);
	}
	while (queue.length > 0) yield queue.shift() as Uint8Array;
	if (!chosen) {
		throw new ImportError(
			ERROR_CODES.IMPORT_BAD_ARCHIVE,
			`${file}: aucun fichier ${opts.entryHint ? `« ${opts.entryHint} » ` : ''}trouvé dans l’archive (zip vide ou tronqué ?).`,
			{ file }
		);
	}
	if (!finished) {
		throw new ImportError(
			ERROR_CODES.IMPORT_BAD_ARCHIVE,
			`${file}: archive zip tronquée (${chosen.name} incomplet) ; retéléchargez-la.`,
			{ file }
		);
	}
}

/** The lines of an extract, decoded and numbered; CRLF tolerated; a BOM on line 1 dropped. */
export async function* readLines(path: string, opts: ReadLinesOptions = {}): AsyncGenerator<Line> {
	const file = path;
	const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
	let lineNo = 0;
	let rest: Uint8Array | undefined;
	const decode = (bytes: Uint8Array): string => {
		lineNo++;
		let end = bytes.length;
		if (end > 0 && bytes[end - 1] === CR) end--;
		try {
			return decoder.decode(bytes.subarray(0, end));
		} catch (cause) {
			throw new ImportError(
				ERROR_CODES.IMPORT_BAD_ENCODING,
				`${file}:${lineNo}: le fichier n’est pas en UTF-8 (probablement Latin-1/Windows-1252) ; les extractions de l’ANS sont en UTF-8 : retéléchargez-la, ou convertissez-la (iconv -f latin1 -t utf-8).`,
				{ file, line: lineNo, cause }
			);
		}
	};
	for await (const chunk of byteChunks(path, opts)) {
		let start = 0;
		if (rest) {
			const nl = chunk.indexOf(LF);
			if (nl < 0) {
				rest = concat(rest, chunk);
				continue;
			}
			yield { text: decode(concat(rest, chunk.subarray(0, nl))), lineNo };
			rest = undefined;
			start = nl + 1;
		}
		for (;;) {
			const nl = chunk.indexOf(LF, start);
			if (nl < 0) break;
			yield { text: decode(chunk.subarray(start, nl)), lineNo };
			start = nl + 1;
		}
		if (start < chunk.length) rest = chunk.slice(start);
	}
	if (rest && rest.length > 0) yield { text: decode(rest), lineNo };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
	const out = new Uint8Array(a.length + b.length);
	out.set(a, 0);
	out.set(b, a.length);
	return out;
}
