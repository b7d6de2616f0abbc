import { error } from '@sveltejs/kit';
import { rethrowAsHttp } from '#lib/server/http-errors.ts';
import { listFolders } from '#lib/server/mail/imap/folders.ts';
import { mailboxConnection } from '#lib/server/mail/mailbox-access.ts';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, params, depends }) => {
	depends('confrere:folders');
	const session = locals.session;
	if (!session) error(401, 'Session expirée.');
	try {
		const folders = await listFolders(mailboxConnection(session, params.mailbox));
		return { mailboxId: params.mailbox, folders };
	} catch (err) {
		rethrowAsHttp(err);
	}
};
