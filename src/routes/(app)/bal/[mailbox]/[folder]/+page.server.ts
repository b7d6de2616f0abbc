import { error, redirect } from '@sveltejs/kit';
import { folderHref } from '#lib/mail-urls.ts';
import { rethrowAsHttp } from '#lib/server/http-errors.ts';
import { moveMessages } from '#lib/server/mail/imap/organise.ts';
import { mailboxConnection } from '#lib/server/mail/mailbox-access.ts';
import type { Actions } from './$types';

export const actions: Actions = {
	/** Undo of "delete to Trash": the message goes back to the folder it came from. */
	restaurer: async ({ locals, params, request }) => {
		const session = locals.session;
		if (!session) error(401, 'Session expirée.');
		const value = (await request.formData()).get('message');
		const match = typeof value === 'string' ? value.match(/^(.+):(\d+)$/) : null;
		if (!match) error(400, 'Rien à restaurer.');
		try {
			await moveMessages(mailboxConnection(session, params.mailbox), {
				folder: match[1]!,
				uids: [Number(match[2])],
				target: params.folder
			});
		} catch (err) {
			rethrowAsHttp(err);
		}
		redirect(303, `${folderHref(params.mailbox, params.folder)}?info=restaure`);
	}
};
