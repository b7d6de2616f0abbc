/**
 * "Afficher la source": the raw RFC 5322 message as text/plain, streamed from IMAP. nosniff and a
 * sandbox CSP, so no byte of it is ever interpreted as HTML, whatever it contains.
 */
import { error } from '@sveltejs/kit';
import { Readable } from 'node:stream';
import { positiveIntParam, rethrowAsHttp } from '#lib/server/http-errors.ts';
import { streamMessageSource } from '#lib/server/mail/imap/source.ts';
import { mailboxConnection } from '#lib/server/mail/mailbox-access.ts';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params }) => {
	const session = locals.session;
	if (!session) error(401, 'Session expirée.');
	const uid = positiveIntParam(params.uid);
	try {
		const source = await streamMessageSource(mailboxConnection(session, params.mailbox), {
			folder: params.folder,
			uid
		});
		return new Response(Readable.toWeb(source.content) as ReadableStream, {
			headers: {
				// Headers are ASCII or RFC 2047; 8bit bodies are usually UTF-8.
				'content-type': 'text/plain; charset=utf-8',
				'content-disposition': 'inline',
				'content-security-policy': "default-src 'none'; sandbox",
				'x-content-type-options': 'nosniff',
				'x-frame-options': 'DENY',
				'cache-control': 'private, no-store'
			}
		});
	} catch (err) {
		rethrowAsHttp(err);
	}
};
