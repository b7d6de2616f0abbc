/**
 * Reading an untrusted ZIP in memory, for received IHE_XDM archives. Nothing is ever written to
 * disk. Zip bombs are stopped by caps on the archive size, entry count, declared and actual
 * uncompressed sizes and compression ratio; the actual size is counted while inflating, so a
 * central directory that lies does not help. Entry names are normalised (backslashes → `/`) and
 * any absolute, drive-letter or `..` name is refused, with a warning.
 */
import { Unzip, UnzipInflate, UnzipPassThrough, unzipSync } from 'fflate';
import { XdmError, ERROR_CODES } from '../errors.ts';

export interface ZipLimits {
	maxArchiveBytes: number;
	maxEntries: number;
	maxEntryBytes: number;
	maxTotalBytes: number;
	/** Uncompressed/compressed ratio allowed once an entry passes 1 MiB. */
	maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
	maxArchiveBytes: 60 * 1024 * 1024,
	maxEntries: 500,
	maxEntryBytes: 80 * 1024 * 1024,
	maxTotalBytes: 160 * 1024 * 1024,
	maxRatio: 100
};

const RATIO_FLOOR = 1024 * 1024;

export interface ZipEntry {
	/** Normalised path as written in the archive (`/` separators, original case). */
	path: string;
	data: Uint8Array;
}

export interface ZipReadResult {
	/** Keyed by the upper-cased normalised path, for case-insensitive lookups. */
	entries: Map<string, ZipEntry>;
	warnings: string[];
}

/** Normalises an entry name, or returns undefined when it must be refused. */
export function normaliseEntryName(raw: string): string | undefined {
	const name = raw.replace(/\\/g, '/');
	if (name.includes('\0') || name.startsWith('/') || /^[A-Za-z]:/.test(name)) return undefined;
	const parts = name.split('/').filter((p) => p !== '' && p !== '.');
	if (parts.some((p) => p === '..')) return undefined;
	return parts.join('/');
}

function unsafe(message: string, details: Record<string, unknown>): XdmError {
	return new XdmError(ERROR_CODES.XDM_UNSAFE, message, { details });
}

export function readZip(bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipReadResult {
	if (bytes.byteLength > limits.maxArchiveBytes) {
		throw unsafe('Archive ZIP trop volumineuse.', { size: bytes.byteLength });
	}
	// Pass 1: the central directory only (filter returns false, nothing is inflated).
	let declaredTotal = 0;
	let count = 0;
	try {
		unzipSync(bytes, {
			filter: (f) => {
				count++;
				declaredTotal += f.originalSize;
				if (count > limits.maxEntries) throw unsafe("Archive ZIP : trop d'entrées.", { count });
				if (f.originalSize > limits.maxEntryBytes || declaredTotal > limits.maxTotalBytes) {
					throw unsafe('Archive ZIP : taille décompressée excessive (bombe ZIP ?).', {
						declaredTotal
					});
				}
				return false;
			}
		});
	} catch (cause) {
		if (cause instanceof XdmError) throw cause;
		throw new XdmError(ERROR_CODES.XDM_INVALID, 'Archive ZIP illisible.', { cause });
	}

	// Pass 2: inflate from the local headers, counting real bytes.
	const entries = new Map<string, ZipEntry>();
	const warnings: string[] = [];
	let total = 0;
	let failure = undefined as XdmError | undefined;
	let seen = 0;
	const unzip = new Unzip((file) => {
		if (failure) return;
		// Local headers are counted too: they need not match the central directory.
		if (++seen > limits.maxEntries) {
			failure = unsafe("Archive ZIP : trop d'entrées.", { count: seen });
			return;
		}
		const path = normaliseEntryName(file.name);
		if (path === undefined) {
			warnings.push('Entrée ZIP refusée : chemin absolu ou remontant hors de l’archive.');
			return;
		}
		if (file.name.endsWith('/') || file.name.endsWith('\\')) return;
		const chunks: Uint8Array[] = [];
		let size = 0;
		file.ondata = (err, chunk, final) => {
			if (failure) return;
			if (err) {
				failure = new XdmError(ERROR_CODES.XDM_INVALID, 'Archive ZIP : entrée corrompue.', {
					cause: err
				});
				return;
			}
			size += chunk.byteLength;
			total += chunk.byteLength;
			const compressed = file.size ?? 0;
			if (
				size > limits.maxEntryBytes ||
				total > limits.maxTotalBytes ||
				(size > RATIO_FLOOR && compressed > 0 && size / compressed > limits.maxRatio)
			) {
				failure = unsafe('Archive ZIP : taille ou taux de compression excessif (bombe ZIP ?).', {
					size,
					total
				});
				file.terminate();
				return;
			}
			chunks.push(chunk);
			if (final) {
				const data = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
				const key = path.toUpperCase();
				if (entries.has(key)) warnings.push('Entrée ZIP en double ignorée.');
				else entries.set(key, { path, data: new Uint8Array(data) });
			}
		};
		try {
			file.start();
		} catch (cause) {
			failure = new XdmError(
				ERROR_CODES.XDM_INVALID,
				'Archive ZIP : méthode de compression non prise en charge.',
				{ cause }
			);
		}
	});
	unzip.register(UnzipInflate);
	unzip.register(UnzipPassThrough);
	try {
		unzip.push(bytes, true);
	} catch (cause) {
		if (!failure)
			failure = new XdmError(ERROR_CODES.XDM_INVALID, 'Archive ZIP illisible.', { cause });
	}
	if (failure) throw failure;
	return { entries, warnings };
}
