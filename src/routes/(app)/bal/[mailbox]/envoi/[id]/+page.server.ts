import { error, redirect } from '@sveltejs/kit';
import { cancelSend, sendStatus } from '#lib/server/mail/outbox.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, params }) => {
	const session = locals.session;
	if (!session) error(401, 'Session expirée.');
	const status = sendStatus(session, params.id);
	if (!status) error(404, 'Cet envoi est introuvable (il est peut-être terminé depuis longtemps).');
	return { status, now: Date.now() };
};

export const actions: Actions = {
	annuler: ({ locals, params }) => {
		const session = locals.session;
		if (!session) error(401, 'Session expirée.');
		const status = cancelSend(session, params.id);
		if (!status) error(404, 'Cet envoi est introuvable.');
		redirect(303, `/bal/${encodeURIComponent(params.mailbox)}/envoi/${params.id}`);
	}
};
