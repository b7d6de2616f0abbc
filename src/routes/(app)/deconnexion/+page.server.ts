import { redirect } from '@sveltejs/kit';
import { audit, sessionScope } from '#lib/server/audit/index.ts';
import { getRuntime } from '#lib/server/runtime.ts';
import { clearSessionCookie } from '#lib/server/session/cookie.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: ({ locals, cookies }) => {
		if (locals.session) {
			getRuntime().sessions.end(locals.session);
			audit({
				...sessionScope(locals.session, locals.session.mailboxes[0]?.id),
				action: 'sign-out',
				request: 'déconnexion',
				outcome: 'ok'
			});
		}
		clearSessionCookie(cookies);
		redirect(303, '/connexion');
	}
};
