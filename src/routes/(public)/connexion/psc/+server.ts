/**
 * Step 1 of Pro Santé Connect sign-in: a plain link (GET) so that the redirect to PSC is not a
 * form submission (CSP form-action 'self' would block it). What must survive the round trip stays
 * on the server; the browser gets a random id in a short, httpOnly, Lax cookie.
 */
import { redirect } from '@sveltejs/kit';
import { isAppError } from '#lib/server/errors.ts';
import { rootLogger } from '#lib/server/log.ts';
import {
	PSC_PENDING_COOKIE,
	beginPscSignIn,
	isPscEnabled,
	pscRedirectUri
} from '#lib/server/psc/index.ts';
import type { RequestHandler } from './$types';

function safeNext(value: string | null): string | null {
	return value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\')
		? value
		: null;
}

export const GET: RequestHandler = async ({ url, cookies, locals }) => {
	if (!isPscEnabled()) redirect(303, '/connexion?erreur=PSC_DISABLED');
	let target: URL;
	try {
		const { url: authorizationUrl, pendingId } = await beginPscSignIn(
			pscRedirectUri(url.origin),
			safeNext(url.searchParams.get('suite'))
		);
		cookies.set(PSC_PENDING_COOKIE, pendingId, {
			path: '/connexion/psc',
			httpOnly: true,
			sameSite: 'lax',
			secure: url.protocol === 'https:',
			maxAge: 600
		});
		target = authorizationUrl;
	} catch (error) {
		const code = isAppError(error) ? error.code : 'PSC_UNAVAILABLE';
		rootLogger.info({ requestId: locals.requestId, code }, 'psc sign-in could not start');
		redirect(303, `/connexion?erreur=${code === 'PSC_DISABLED' ? code : 'PSC_UNAVAILABLE'}`);
	}
	// SvelteKit's redirect() refuses other origins on purpose; this one is the configured issuer.
	return new Response(null, { status: 303, headers: { location: target.href } });
};
