/** The whole raw message (RFC 5322 bytes), for forwarding as an attachment and reopening drafts. */
import { ImapError } from '../../errors.ts';
import type { MailboxConnection } from './connection.ts';

export async function fetchSource(
	connection: MailboxConnection,
	options: { folder: string; uid: number; maxBytes: number }
): Promise<Buffer> {
	return connection.inFolder(
		options.folder,
		async (client) => {
			const fetched = await client.fetchOne(
				String(options.uid),
				{ uid: true, size: true },
				{ uid: true }
			);
			if (!fetched) throw new ImapError('MESSAGE_NOT_FOUND', 'Ce message n’existe plus.');
			if ((fetched.size ?? 0) > options.maxBytes) {
				throw new ImapError(
					'MESSAGE_TOO_LARGE',
					'Ce message est trop volumineux pour être joint ou repris.',
					{ details: { size: fetched.size } }
				);
			}
			const result = await client.download(String(options.uid), undefined, { uid: true });
			if (!result.content) throw new ImapError('MESSAGE_NOT_FOUND', 'Ce message n’existe plus.');
			const chunks: Buffer[] = [];
			for await (const chunk of result.content) chunks.push(chunk as Buffer);
			return Buffer.concat(chunks);
		},
		{ isIdempotent: true }
	);
}
