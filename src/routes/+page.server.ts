import { redirect } from '@sveltejs/kit';
import { folderHref } from '#lib/mail-urls.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	const first = locals.session?.mailboxes[0];
	redirect(303, first ? folderHref(first.id, 'INBOX') : '/connexion');
};
