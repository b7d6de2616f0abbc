/**
 * Inline preview of attachments: what a file really is, decided by its first bytes (magic
 * numbers), never by the declared Content-Type or the file name, and the headers it is served
 * with. Only PDF and four raster image formats are ever previewed; SVG never (it is a document
 * that can carry script). Pure functions, no I/O.
 */
import { Readable } from 'node:stream';
import { displaySubject } from '../../mail-types.ts';
import { safeFilename } from './mime/parse.ts';
import type { PreviewKind } from '../../attachment-preview.ts';

export { declaredPreviewKind, type PreviewKind } from '../../attachment-preview.ts';

/** Bytes needed to decide. */
export const SNIFF_BYTES = 16;

export const PREVIEW_CONTENT_TYPES: Record<PreviewKind, string> = {
	pdf: 'application/pdf',
	png: 'image/png',
	jpeg: 'image/jpeg',
	gif: 'image/gif',
	webp: 'image/webp'
};

const startsWith = (bytes: Uint8Array, signature: number[], offset = 0) =>
	bytes.length >= offset + signature.length && signature.every((b, i) => bytes[offset + i] === b);

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** The real type of a file from its first bytes, or null when it is none we preview. */
export function sniffPreviewKind(bytes: Uint8Array): PreviewKind | null {
	if (startsWith(bytes, ascii('%PDF-'))) return 'pdf';
	if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
	if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
	if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'gif';
	if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'webp';
	return null;
}

export const isImageKind = (kind: PreviewKind) => kind !== 'pdf';

/**
 * Headers of a previewed file. Images: `default-src 'none'; img-src 'self'` (the image document
 * Chromium builds around a top-level image needs nothing else) plus `sandbox`. PDF: Chromium's
 * viewer refuses to render a PDF in a sandboxed context (a `sandbox` CSP or a sandboxed iframe
 * shows a blocked page), so the PDF gets `default-src 'none'` without sandbox: no script of ours
 * or of the file's can run in our origin — the viewer runs in its own extension process — and
 * nosniff stops any reinterpretation.
 */
export function previewHeaders(kind: PreviewKind, filename: string): Record<string, string> {
	return {
		'content-type': PREVIEW_CONTENT_TYPES[kind],
		'content-disposition': contentDisposition('inline', filename),
		'content-security-policy': isImageKind(kind)
			? "default-src 'none'; img-src 'self'; sandbox"
			: "default-src 'none'",
		'x-content-type-options': 'nosniff',
		'x-frame-options': 'SAMEORIGIN',
		'cross-origin-resource-policy': 'same-origin',
		'cache-control': 'private, no-store'
	};
}

/** RFC 6266 with an ASCII fallback and the UTF-8 name; never a quote or a line break. */
export function contentDisposition(kind: 'inline' | 'attachment', filename: string): string {
	const clean = filename.replace(/[\r\n\t]/g, ' ');
	const ascii = clean.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
	return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(clean)}`;
}

/** `Objet du message.eml`: no path, control or reserved character, at most 80 characters. */
export function emlFilename(subject: string): string {
	const base = displaySubject(subject)
		.replace(/[\\/:*?"<>|\p{Cc}]+/gu, ' ')
		.replace(/\s+/g, ' ')
		.replace(/^[.\s]+|[.\s]+$/g, '')
		.slice(0, 80)
		.trim();
	return safeFilename(`${base || 'message'}.eml`, 'message.eml');
}

/**
 * Reads the first bytes of a stream to sniff them, and gives back a stream of the whole content
 * (those bytes first). A stream shorter than SNIFF_BYTES is sniffed on what it has.
 */
export async function sniffStream(
	source: Readable
): Promise<{ kind: PreviewKind | null; stream: Readable }> {
	const head: Buffer[] = [];
	let length = 0;
	const iterator = source[Symbol.asyncIterator]();
	let done = false;
	while (length < SNIFF_BYTES) {
		const next = await iterator.next();
		if (next.done) {
			done = true;
			break;
		}
		const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value as string);
		head.push(chunk);
		length += chunk.length;
	}
	const first = Buffer.concat(head);
	const kind = sniffPreviewKind(first);
	async function* rest() {
		yield first;
		if (done) return;
		for (;;) {
			const next = await iterator.next();
			if (next.done) return;
			yield next.value as Buffer;
		}
	}
	return { kind, stream: Readable.from(rest(), { objectMode: false }) };
}
