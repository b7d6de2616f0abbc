import { error, fail, redirect } from '@sveltejs/kit';
import { listQuery, readListParams } from '#lib/list-types.ts';
import { folderHref } from '#lib/mail-urls.ts';
import { rethrowAsHttp } from '#lib/server/http-errors.ts';
import { parseBulkForm, parseUndoRef, runBulk } from '#lib/server/mail/bulk.ts';
import { moveMessages } from '#lib/server/mail/imap/organise.ts';
import { findMailbox, mailboxConnection } from '#lib/server/mail/mailbox-access.ts';
import { forgetSessionMessages } from '#lib/server/mail/message-cache.ts';
import { isAppError } from '#lib/server/errors.ts';
import type { Actions } from './$types';

/** The list's own options travel with the form (hidden fields), so the user lands where they were. */
function listParamsOf(form: FormData): URLSearchParams {
	const search = new URLSearchParams();
	for (const key of ['vue', 'tri', 'filtre', 'page']) {
		const value = form.get(key);
		if (typeof value === 'string' && value) search.set(key, value);
	}
	return search;
}

export const actions: Actions = {
	/** Undo of "delete to Trash": the messages go back to the folder they came from. */
	restaurer: async ({ locals, params, request }) => {
		const session = locals.session;
		if (!session) error(401, 'Session expirée.');
		const ref = parseUndoRef((await request.formData()).get('message'));
		if (!ref) error(400, 'Rien à restaurer.');
		try {
			await moveMessages(mailboxConnection(session, params.mailbox), {
				folder: ref.folder,
				uids: ref.uids,
				target: params.folder
			});
		} catch (err) {
			rethrowAsHttp(err);
		}
		forgetSessionMessages(session.key);
		redirect(303, `${folderHref(params.mailbox, params.folder)}?info=restaure`);
	},

	/** The list's bulk actions (checkboxes + one button), with or without JavaScript. */
	lot: async ({ locals, params, request }) => {
		const session = locals.session;
		if (!session) error(401, 'Session expirée.');
		const form = await request.formData();
		const parsed = parseBulkForm(form);
		if (!parsed.ok) return fail(400, { bulkError: parsed.error });
		const mailbox = findMailbox(session, params.mailbox);
		let outcome;
		try {
			outcome = await runBulk(
				{
					connection: mailboxConnection(session, params.mailbox),
					folder: params.folder,
					actor: session.userLabel,
					mailbox: mailbox.address
				},
				parsed.request
			);
		} catch (err) {
			if (isAppError(err) && err.code === 'INVALID_INPUT')
				return fail(400, { bulkError: err.message });
			if (isAppError(err) && err.code === 'IMAP_COMMAND')
				return fail(502, {
					bulkError: 'Le serveur de messagerie a refusé l’action ; rien n’a été modifié.'
				});
			rethrowAsHttp(err);
		}
		forgetSessionMessages(session.key);
		const back = readListParams(listParamsOf(form));
		const search = new URLSearchParams(listQuery(back).slice(1));
		search.set('info', outcome.info);
		search.set('n', String(outcome.count));
		if (outcome.undo) search.set('annuler', outcome.undo);
		redirect(303, `${folderHref(params.mailbox, params.folder)}?${search.toString()}`);
	}
};
