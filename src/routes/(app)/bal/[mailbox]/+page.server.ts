import { redirect } from '@sveltejs/kit';
import { folderHref } from '#lib/mail-urls.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params }) =>
	redirect(303, folderHref(params.mailbox, 'INBOX'));
