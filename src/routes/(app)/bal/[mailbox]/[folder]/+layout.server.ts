import { error } from '@sveltejs/kit';
import { readListParams } from '#lib/list-types.ts';
import { rethrowAsHttp } from '#lib/server/http-errors.ts';
import { listView } from '#lib/server/mail/imap/list-view.ts';
import { mailboxConnection } from '#lib/server/mail/mailbox-access.ts';
import type { LayoutServerLoad } from './$types';

/** The list view (messages / conversations) is remembered per browser in this cookie. */
const VIEW_COOKIE = 'confrere_vue';

export const load: LayoutServerLoad = async ({ locals, params, url, cookies, depends }) => {
	depends('confrere:messages');
	const session = locals.session;
	if (!session) error(401, 'Session expirée.');
	const asked = url.searchParams.get('vue');
	if (asked === 'conversations' || asked === 'messages') {
		cookies.set(VIEW_COOKIE, asked, {
			path: '/',
			httpOnly: true,
			sameSite: 'lax',
			secure: url.protocol === 'https:',
			maxAge: 60 * 60 * 24 * 365
		});
	}
	const listParams = readListParams(url.searchParams, cookies.get(VIEW_COOKIE));
	try {
		const list = await listView(mailboxConnection(session, params.mailbox), {
			folder: params.folder,
			params: listParams
		});
		return { list };
	} catch (err) {
		rethrowAsHttp(err);
	}
};
