import { error } from '@sveltejs/kit';
import { positiveIntParam, rethrowAsHttp } from '#lib/server/http-errors.ts';
import { loadConversation } from '#lib/server/mail/imap/conversation.ts';
import { mailboxConnection } from '#lib/server/mail/mailbox-access.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const session = locals.session;
	if (!session) error(401, 'Session expirée.');
	const uid = positiveIntParam(params.uid);
	try {
		const conversation = await loadConversation(mailboxConnection(session, params.mailbox), {
			folder: params.folder,
			uid
		});
		return { conversation };
	} catch (err) {
		rethrowAsHttp(err);
	}
};
