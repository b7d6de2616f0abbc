/**
 * Refusing the health document(s) of a received message (ANS integration error codes 900–906):
 * the user picks a reason and may add a comment; the sender receives an MDN
 * `processed/Error: <code>^<libellé>` with the original message attached. Works without JavaScript.
 */
import { error, fail, redirect } from '@sveltejs/kit';
import { messageHref } from '#lib/mail-urls.ts';
import { isAppError } from '#lib/server/errors.ts';
import { positiveIntParam, rethrowAsHttp } from '#lib/server/http-errors.ts';
import { loadHealthDocuments } from '#lib/server/mail/health-documents.ts';
import { refusalRecipient, refuseHealthDocument } from '#lib/server/mail/read-receipt.ts';
import { loadMessage } from '#lib/server/mail/reading.ts';
import { MDN_ERROR_CODES } from '#lib/server/mssante/mdn-codes.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const session = locals.session;
	if (!session) error(401, 'Session expirée.');
	const uid = positiveIntParam(params.uid);
	const ref = { mailboxId: params.mailbox, folder: params.folder, uid };
	try {
		const message = await loadMessage(session, ref);
		const health = await loadHealthDocuments(session, ref, message);
		if (!health) error(404, 'Ce message ne contient pas de document de santé.');
		return {
			uid,
			subject: message.subject,
			to: refusalRecipient(message),
			codes: Object.entries(MDN_ERROR_CODES).map(([code, label]) => ({ code, label }))
		};
	} catch (err) {
		rethrowAsHttp(err);
	}
};

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		const session = locals.session;
		if (!session) error(401, 'Session expirée.');
		const uid = positiveIntParam(params.uid);
		const form = await request.formData();
		const text = (key: string) => {
			const value = form.get(key);
			return typeof value === 'string' ? value : '';
		};
		const code = text('code');
		const comment = text('commentaire');
		let to: string;
		try {
			({ to } = await refuseHealthDocument(
				session,
				{ mailboxId: params.mailbox, folder: params.folder, uid },
				{ code, comment }
			));
		} catch (err) {
			if (isAppError(err) && err.code === 'INVALID_INPUT')
				return fail(400, { error: err.message, code, comment });
			if (isAppError(err) && err.code.startsWith('SMTP'))
				return fail(502, {
					error: `Le refus n’a pas pu être envoyé : ${err.message} Réessayez plus tard.`,
					code,
					comment
				});
			rethrowAsHttp(err);
		}
		redirect(
			303,
			`${messageHref(params.mailbox, params.folder, uid)}?info=refus-envoye&a=${encodeURIComponent(to)}`
		);
	}
};
