import { fail, redirect } from '@sveltejs/kit';
import { isAppError } from '#lib/server/errors.ts';
import { rootLogger } from '#lib/server/log.ts';
import { isPscEnabled, takePscEndedNotice } from '#lib/server/psc/index.ts';
import { PSC_ERROR_MESSAGES, isPscErrorCode } from '#lib/server/psc/oidc.ts';
import { SESSION_COOKIE, setSessionCookie } from '#lib/server/session/cookie.ts';
import { signInWithPassword } from '#lib/server/session/sign-in.ts';
import { folderHref } from '#lib/mail-urls.ts';
import type { Actions, PageServerLoad } from './$types';

/** Only same-site paths are followed after sign-in (no open redirect). */
function safeNext(value: string | null): string | null {
	return value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\')
		? value
		: null;
}

function formText(form: FormData, key: string): string {
	const value = form.get(key);
	return typeof value === 'string' ? value : '';
}

/** Messages for `?erreur=<code>` after a Pro Santé Connect attempt (never the raw code alone). */
function pscErrorMessage(code: string | null): string | null {
	if (!code) return null;
	if (isPscErrorCode(code)) return PSC_ERROR_MESSAGES[code];
	if (code === 'IMAP_CONNECT')
		return 'Le serveur de messagerie ne répond pas. Réessayez dans un instant.';
	return null;
}

export const load: PageServerLoad = ({ locals, url, cookies }) => {
	const first = locals.session?.mailboxes[0];
	if (first)
		redirect(303, safeNext(url.searchParams.get('suite')) ?? folderHref(first.id, 'INBOX'));
	if (locals.session?.psc) redirect(303, '/boites');
	return {
		isExpired: url.searchParams.has('expiree'),
		isPscEnabled: isPscEnabled(),
		pscError: pscErrorMessage(url.searchParams.get('erreur')),
		// ECO.1.2.6: the refresh token died, the session was closed; say so once.
		isPscEnded: !locals.session && takePscEndedNotice(cookies.get(SESSION_COOKIE)),
		suite: safeNext(url.searchParams.get('suite'))
	};
};

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress, locals }) => {
		const form = await request.formData();
		const address = formText(form, 'adresse').trim();
		const password = formText(form, 'motdepasse');
		const values = { adresse: address };
		if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address)) {
			return fail(400, {
				values,
				errors: { adresse: 'Saisissez une adresse MSSanté valide (prenom.nom@domaine).' }
			});
		}
		if (!password)
			return fail(400, { values, errors: { motdepasse: 'Saisissez votre mot de passe.' } });
		let token: string;
		let mailboxId: string;
		try {
			const result = await signInWithPassword({ address, password, clientKey: getClientAddress() });
			token = result.token;
			mailboxId = result.session.mailboxes[0]?.id ?? 'b1';
		} catch (err) {
			const code = isAppError(err) ? err.code : 'INTERNAL';
			rootLogger.info({ requestId: locals.requestId, code }, 'sign-in refused');
			// One message for every credential failure; only an unreachable server or throttling differ.
			const message =
				code === 'RATE_LIMITED'
					? 'Trop de tentatives de connexion. Réessayez dans quelques minutes.'
					: code === 'IMAP_CONNECT'
						? 'Le serveur de messagerie ne répond pas. Réessayez dans un instant.'
						: 'Connexion impossible : adresse ou mot de passe incorrect.';
			return fail(code === 'RATE_LIMITED' ? 429 : 400, { values, errors: { form: message } });
		}
		setSessionCookie(cookies, token, url.protocol === 'https:');
		redirect(303, safeNext(url.searchParams.get('suite')) ?? folderHref(mailboxId, 'INBOX'));
	}
};
