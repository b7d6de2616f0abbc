/**
 * The printable page of a message: headers and the sanitised body (the same allow-list as the
 * reading frame, remote images always blocked), with nothing of the webmail around it.
 */
import { error } from '@sveltejs/kit';
import { attachmentHref } from '#lib/mail-urls.ts';
import { positiveIntParam, rethrowAsHttp } from '#lib/server/http-errors.ts';
import { sanitizeMailHtml, textToSafeHtml } from '#lib/server/mail/mime/sanitize.ts';
import { loadMessage, toMessageView } from '#lib/server/mail/reading.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const session = locals.session;
	if (!session) error(401, 'Session expirée.');
	const uid = positiveIntParam(params.uid);
	try {
		const message = await loadMessage(session, {
			mailboxId: params.mailbox,
			folder: params.folder,
			uid
		});
		let bodyHtml: string;
		let isText = false;
		if (message.html !== null) {
			bodyHtml = sanitizeMailHtml(message.html, {
				allowRemoteImages: false,
				resolveCid: (cid) => {
					const partId = message.inlineParts.get(cid);
					return partId ? attachmentHref(params.mailbox, params.folder, uid, partId, true) : null;
				}
			}).html;
		} else {
			bodyHtml = textToSafeHtml(message.text ?? '');
			isText = true;
		}
		return {
			mailboxId: params.mailbox,
			message: toMessageView(message, 0),
			bodyHtml,
			isText,
			autoPrint: url.searchParams.get('auto') === '1'
		};
	} catch (err) {
		rethrowAsHttp(err);
	}
};
