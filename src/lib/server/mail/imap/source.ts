/**
 * The raw message (RFC 5322 source) streamed from IMAP, for `.eml` downloads and "view source",
 * and the first bytes of a part, for sniffing a file's real type before previewing it. Like
 * `streamPart`, the folder stays selected (locked) until the stream ends or is destroyed.
 */
import type { Readable } from 'node:stream';
import { ImapError } from '../../errors.ts';
import type { MailboxConnection } from './connection.ts';

/** Streams the whole message source (`partId` undefined) or one decoded part. */
async function streamLocked(
	connection: MailboxConnection,
	options: { folder: string; uid: number; partId?: string; maxBytes?: number }
): Promise<{ content: Readable; size: number | null }> {
	return connection.run(async (client) => {
		const lock = await client.getMailboxLock(options.folder);
		try {
			const result = await client.download(String(options.uid), options.partId, {
				uid: true,
				...(options.maxBytes ? { maxBytes: options.maxBytes } : {})
			});
			if (!result.content) throw new ImapError('MESSAGE_NOT_FOUND', 'Ce message n’existe plus.');
			let isReleased = false;
			const release = () => {
				if (!isReleased) lock.release();
				isReleased = true;
			};
			result.content.once('end', release).once('error', release).once('close', release);
			return { content: result.content, size: result.meta.expectedSize ?? null };
		} catch (error) {
			lock.release();
			throw error;
		}
	});
}

export function streamMessageSource(
	connection: MailboxConnection,
	options: { folder: string; uid: number }
): Promise<{ content: Readable; size: number | null }> {
	return streamLocked(connection, options);
}

/** The whole source in memory, refused past `maxBytes` (e.g. to attach it to a refusal MDN). */
export async function readMessageSource(
	connection: MailboxConnection,
	options: { folder: string; uid: number; maxBytes: number }
): Promise<Buffer | null> {
	const { content } = await streamLocked(connection, { folder: options.folder, uid: options.uid });
	const chunks: Buffer[] = [];
	let length = 0;
	for await (const chunk of content) {
		chunks.push(chunk as Buffer);
		length += (chunk as Buffer).length;
		if (length > options.maxBytes) {
			content.destroy();
			return null;
		}
	}
	return Buffer.concat(chunks);
}

/** The first `bytes` decoded bytes of a part. */
export async function readPartHead(
	connection: MailboxConnection,
	options: { folder: string; uid: number; partId: string; bytes: number }
): Promise<Buffer> {
	const { content } = await streamLocked(connection, { ...options, maxBytes: options.bytes });
	const chunks: Buffer[] = [];
	for await (const chunk of content) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).subarray(0, options.bytes);
}

/** The whole raw message, for forwarding as an attachment and reopening drafts; refused when too big. */
export async function fetchSource(
	connection: MailboxConnection,
	options: { folder: string; uid: number; maxBytes: number }
): Promise<Buffer> {
	const source = await readMessageSource(connection, options);
	if (!source) {
		throw new ImapError(
			'MESSAGE_TOO_LARGE',
			'Ce message est trop volumineux pour être joint ou repris.'
		);
	}
	return source;
}
