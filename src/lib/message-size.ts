/**
 * One message size limit (`MAX_MESSAGE_BYTES`), computed the same way in the browser (before
 * anything is uploaded) and on the server (before the message is kept or submitted). Sizes are of
 * the message as sent: attachments are base64-encoded (4/3, plus a line break every 76 characters).
 */

/** Headers, MIME boundaries and part headers: a generous allowance. */
export const MESSAGE_OVERHEAD_BYTES = 8 * 1024;

/** Bytes of `n` bytes once base64-encoded with 76-character lines (CRLF). */
export function base64Size(n: number): number {
	const encoded = Math.ceil(n / 3) * 4;
	return encoded + Math.ceil(encoded / 76) * 2;
}

/** Estimated size on the wire of a message with this text and these attachment sizes. */
export function estimateMessageBytes(input: {
	textBytes: number;
	attachmentBytes: number[];
}): number {
	// Text is quoted-printable or base64 (UTF-8): never more than base64 of it.
	return (
		MESSAGE_OVERHEAD_BYTES +
		base64Size(input.textBytes) +
		input.attachmentBytes.reduce((sum, n) => sum + base64Size(n), 0)
	);
}

/** The smaller of our limit and the operator's SMTP SIZE (RFC 1870) when it announces one. */
export function effectiveLimit(maxMessageBytes: number, operatorSize?: number | null): number {
	return operatorSize && operatorSize > 0
		? Math.min(maxMessageBytes, operatorSize)
		: maxMessageBytes;
}

export function formatMegabytes(bytes: number): string {
	const mb = bytes / (1024 * 1024);
	const text = mb >= 10 || Number.isInteger(mb) ? String(Math.round(mb * 10) / 10) : mb.toFixed(1);
	return `${text.replace('.', ',')} Mo`;
}

/** The French message shown when a message is over the limit. */
export function sizeLimitMessage(size: number, limit: number): string {
	return `Le message ferait ${formatMegabytes(size)}, au-delà de la taille maximale de ${formatMegabytes(limit)} (pièces jointes comprises). Retirez une pièce jointe ou envoyez-la dans un autre message ; votre brouillon est conservé.`;
}

/**
 * SvelteKit's `BODY_SIZE_LIMIT` for a given message limit: the upload carries the files unencoded
 * plus the text fields, so the limit itself plus 1 MiB is enough for any acceptable message. We
 * allow twice the limit so that a form a little over the limit (sent without JavaScript, which
 * cannot check first) is still read, refused with the form kept, rather than cut off.
 */
export function bodySizeLimit(maxMessageBytes: number): number {
	return 2 * maxMessageBytes + 1024 * 1024;
}

export const DEFAULT_MAX_MESSAGE_BYTES = 25 * 1024 * 1024;

/**
 * Sets adapter-node's `BODY_SIZE_LIMIT` from `MAX_MESSAGE_BYTES` (one setting for the operator);
 * returns the previous value when it had to be replaced, so the caller can say so.
 */
export function applyBodySizeLimit(env: Record<string, string | undefined>): string | null {
	const max = Number(env.MAX_MESSAGE_BYTES);
	const limit = bodySizeLimit(Number.isInteger(max) && max > 0 ? max : DEFAULT_MAX_MESSAGE_BYTES);
	const previous = env.BODY_SIZE_LIMIT;
	env.BODY_SIZE_LIMIT = String(limit);
	return previous !== undefined && previous !== String(limit) ? previous : null;
}
