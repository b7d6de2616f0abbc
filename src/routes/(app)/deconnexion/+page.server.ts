import { redirect } from '@sveltejs/kit';
import { auditPscSignOut } from '#lib/server/psc/index.ts';
import { getRuntime } from '#lib/server/runtime.ts';
import { clearSessionCookie } from '#lib/server/session/cookie.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: ({ locals, cookies }) => {
		if (locals.session) {
			auditPscSignOut(locals.session);
			getRuntime().sessions.end(locals.session);
		}
		clearSessionCookie(cookies);
		redirect(303, '/connexion');
	}
};
