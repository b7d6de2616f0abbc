/**
 * The message as an `.eml` file: its RFC 5322 source streamed from IMAP (never held in memory),
 * as a download with a safe file name built from the subject.
 */
import { error } from '@sveltejs/kit';
import { Readable } from 'node:stream';
import { positiveIntParam, rethrowAsHttp } from '#lib/server/http-errors.ts';
import { streamMessageSource } from '#lib/server/mail/imap/source.ts';
import { mailboxConnection } from '#lib/server/mail/mailbox-access.ts';
import { contentDisposition, emlFilename } from '#lib/server/mail/preview.ts';
import { loadMessage } from '#lib/server/mail/reading.ts';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params }) => {
	const session = locals.session;
	if (!session) error(401, 'Session expirée.');
	const uid = positiveIntParam(params.uid);
	try {
		const ref = { mailboxId: params.mailbox, folder: params.folder, uid };
		const message = await loadMessage(session, ref);
		const source = await streamMessageSource(mailboxConnection(session, params.mailbox), {
			folder: params.folder,
			uid
		});
		return new Response(Readable.toWeb(source.content) as ReadableStream, {
			headers: {
				'content-type': 'message/rfc822',
				'content-disposition': contentDisposition('attachment', emlFilename(message.subject)),
				'content-security-policy': "default-src 'none'; sandbox",
				'x-content-type-options': 'nosniff',
				'cache-control': 'private, no-store'
			}
		});
	} catch (err) {
		rethrowAsHttp(err);
	}
};
