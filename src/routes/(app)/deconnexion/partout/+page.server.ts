/** "Se déconnecter partout": ends every session of this Pro Santé Connect person on the server. */
import { redirect } from '@sveltejs/kit';
import { signOutEverywhere } from '#lib/server/psc/index.ts';
import { clearSessionCookie } from '#lib/server/session/cookie.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: ({ locals, cookies }) => {
		if (locals.session) signOutEverywhere(locals.session);
		clearSessionCookie(cookies);
		redirect(303, '/connexion');
	}
};
