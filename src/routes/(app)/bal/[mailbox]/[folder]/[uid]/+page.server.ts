import { error } from '@sveltejs/kit';
import { positiveIntParam, rethrowAsHttp } from '#lib/server/http-errors.ts';
import { loadMessage, renderBody, toMessageView } from '#lib/server/mail/reading.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const session = locals.session;
	if (!session) error(401, 'Session expirée.');
	const uid = positiveIntParam(params.uid);
	const allowRemoteImages = url.searchParams.get('images') === '1';
	try {
		const message = await loadMessage(session, { mailboxId: params.mailbox, folder: params.folder, uid });
		// Counting what the sanitiser blocks tells the page whether to offer "show images".
		const { blockedRemoteResources } = renderBody(message, { allowRemoteImages, partUrl: () => '' });
		return { message: toMessageView(message, blockedRemoteResources), allowRemoteImages };
	} catch (err) {
		rethrowAsHttp(err);
	}
};
