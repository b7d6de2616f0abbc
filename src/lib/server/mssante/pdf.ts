/**
 * PDF sniffing. A file is a PDF when `%PDF-` appears in its first 1024 bytes (the tolerance
 * Acrobat and pdf.js allow for leading junk); the declared name or MIME type is never trusted.
 */
const MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-

export function isPdf(bytes: Uint8Array): boolean {
	const limit = Math.min(bytes.byteLength - MAGIC.length, 1024);
	for (let i = 0; i <= limit; i++) {
		if (MAGIC.every((b, j) => bytes[i + j] === b)) return true;
	}
	return false;
}
