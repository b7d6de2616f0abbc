import { error } from '@sveltejs/kit';
import { rethrowAsHttp } from '#lib/server/http-errors.ts';
import { listMessages } from '#lib/server/mail/imap/messages.ts';
import { mailboxConnection } from '#lib/server/mail/mailbox-access.ts';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, params, url, depends }) => {
	depends('confrere:messages');
	const session = locals.session;
	if (!session) error(401, 'Session expirée.');
	const pageParam = Number(url.searchParams.get('page') ?? '1');
	const page = Number.isSafeInteger(pageParam) && pageParam >= 1 ? pageParam - 1 : 0;
	try {
		const list = await listMessages(mailboxConnection(session, params.mailbox), {
			folder: params.folder,
			page
		});
		return { list };
	} catch (err) {
		rethrowAsHttp(err);
	}
};
