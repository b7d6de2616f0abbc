import { fail, redirect } from '@sveltejs/kit';
import { folderHref } from '#lib/mail-urls.ts';
import { isAppError } from '#lib/server/errors.ts';
import { rootLogger } from '#lib/server/log.ts';
import { setSessionCookie } from '#lib/server/session/cookie.ts';
import { signInWithLocalAccount } from '#lib/server/structure/sign-in.ts';
import type { Actions, PageServerLoad } from './$types';

function formText(form: FormData, key: string): string {
	const value = form.get(key);
	return typeof value === 'string' ? value : '';
}

export const load: PageServerLoad = ({ locals }) => {
	if (locals.session) redirect(303, '/');
	return {};
};

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress, locals }) => {
		const form = await request.formData();
		const login = formText(form, 'identifiant').trim();
		const values = { identifiant: login };
		if (!login || !formText(form, 'motdepasse') || !/^\d{6}$/.test(formText(form, 'code').trim())) {
			return fail(400, {
				values,
				error: 'Saisissez votre identifiant, votre mot de passe et le code à 6 chiffres.'
			});
		}
		try {
			const { token, session } = signInWithLocalAccount({
				login,
				password: formText(form, 'motdepasse'),
				code: formText(form, 'code').trim(),
				clientKey: getClientAddress()
			});
			setSessionCookie(cookies, token, url.protocol === 'https:');
			const first = session.mailboxes[0];
			redirect(303, first ? folderHref(first.id, 'INBOX') : '/structures');
		} catch (err) {
			if (!isAppError(err)) throw err;
			rootLogger.info({ requestId: locals.requestId, code: err.code }, 'local sign-in refused');
			return fail(err.code === 'RATE_LIMITED' ? 429 : 400, {
				values,
				error:
					err.code === 'RATE_LIMITED'
						? 'Trop de tentatives de connexion. Réessayez dans quelques minutes.'
						: 'Connexion impossible : identifiant, mot de passe ou code incorrect.'
			});
		}
	}
};
