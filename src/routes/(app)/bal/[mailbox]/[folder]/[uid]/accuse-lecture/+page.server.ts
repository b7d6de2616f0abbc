/**
 * Read receipts (ECO.3.1.6, RFC 8098). GET shows the confirmation asked when the receipt address
 * differs from Return-Path; `?/envoyer` sends the MDN (confirmed when needed), `?/ignorer` declines.
 * Both mark the message `$MDNSent` so it is never offered again. Works without JavaScript.
 */
import { error, fail, redirect } from '@sveltejs/kit';
import { messageHref } from '#lib/mail-urls.ts';
import { isAppError } from '#lib/server/errors.ts';
import { positiveIntParam, rethrowAsHttp } from '#lib/server/http-errors.ts';
import { receiptOffer } from '#lib/server/mail/mdn.ts';
import { declineReadReceipt, sendReadReceipt } from '#lib/server/mail/read-receipt.ts';
import { loadMessage } from '#lib/server/mail/reading.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const session = locals.session;
	if (!session) error(401, 'Session expirée.');
	const uid = positiveIntParam(params.uid);
	try {
		const message = await loadMessage(session, {
			mailboxId: params.mailbox,
			folder: params.folder,
			uid
		});
		return {
			uid,
			subject: message.subject,
			from: message.from,
			offer: receiptOffer(message)
		};
	} catch (err) {
		rethrowAsHttp(err);
	}
};

function refOf(event: RequestEvent) {
	const session = event.locals.session;
	if (!session) error(401, 'Session expirée.');
	const uid = positiveIntParam(event.params.uid);
	return {
		session,
		uid,
		ref: { mailboxId: event.params.mailbox, folder: event.params.folder, uid },
		back: messageHref(event.params.mailbox, event.params.folder, uid)
	};
}

export const actions: Actions = {
	envoyer: async (event) => {
		const { session, ref, back } = refOf(event);
		const form = await event.request.formData();
		try {
			await sendReadReceipt(session, ref, { confirmed: form.get('confirme') === '1' });
		} catch (err) {
			if (isAppError(err) && err.code === 'INVALID_INPUT') return fail(400, { error: err.message });
			if (isAppError(err) && err.code.startsWith('SMTP'))
				return fail(502, {
					error: `L’accusé de lecture n’a pas pu être envoyé : ${err.message} Réessayez plus tard.`
				});
			rethrowAsHttp(err);
		}
		redirect(303, `${back}?info=accuse-envoye`);
	},
	ignorer: async (event) => {
		const { session, ref, back } = refOf(event);
		try {
			await declineReadReceipt(session, ref);
		} catch (err) {
			rethrowAsHttp(err);
		}
		redirect(303, `${back}?info=accuse-ignore`);
	}
};
