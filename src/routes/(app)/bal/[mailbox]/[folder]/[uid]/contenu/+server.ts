/**
 * The message body as a standalone, sanitised document, shown in a sandboxed frame with its own
 * CSP (no script, nothing remote unless the user allowed images for this message).
 */
import { error } from '@sveltejs/kit';
import { attachmentHref } from '#lib/mail-urls.ts';
import { positiveIntParam, rethrowAsHttp } from '#lib/server/http-errors.ts';
import { bodyContentSecurityPolicy, loadMessage, renderBody } from '#lib/server/mail/reading.ts';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params, url }) => {
	const session = locals.session;
	if (!session) error(401, 'Session expirée.');
	const uid = positiveIntParam(params.uid);
	const allowRemoteImages = url.searchParams.get('images') === '1';
	try {
		const message = await loadMessage(session, {
			mailboxId: params.mailbox,
			folder: params.folder,
			uid
		});
		const { document } = renderBody(message, {
			allowRemoteImages,
			partUrl: (partId) => attachmentHref(params.mailbox, params.folder, uid, partId, true)
		});
		return new Response(document, {
			headers: {
				'content-type': 'text/html; charset=utf-8',
				'content-security-policy': bodyContentSecurityPolicy(allowRemoteImages),
				'x-frame-options': 'SAMEORIGIN',
				'cache-control': 'private, no-store'
			}
		});
	} catch (err) {
		rethrowAsHttp(err);
	}
};
