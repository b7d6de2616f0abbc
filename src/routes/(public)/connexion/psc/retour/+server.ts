/**
 * Step 2 of Pro Santé Connect sign-in: PSC sends the browser back here with `code` and `state`
 * (or `error`). Any failure — unknown or replayed state, refused consent, expired code, an ID
 * token that does not verify, a mailbox the operator refuses — ends on /connexion with one French
 * message; the audit trail has the code, the logs never see a token.
 */
import { redirect } from '@sveltejs/kit';
import { folderHref } from '#lib/mail-urls.ts';
import { isAppError } from '#lib/server/errors.ts';
import { rootLogger } from '#lib/server/log.ts';
import { PSC_PENDING_COOKIE, completePscSignIn } from '#lib/server/psc/index.ts';
import { classifyPscFailure } from '#lib/server/psc/oidc.ts';
import { setSessionCookie } from '#lib/server/session/cookie.ts';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ url, cookies, locals }) => {
	const pendingId = cookies.get(PSC_PENDING_COOKIE);
	cookies.delete(PSC_PENDING_COOKIE, { path: '/connexion/psc' });
	let destination: string;
	try {
		const { token, session, next } = await completePscSignIn(url, pendingId);
		setSessionCookie(cookies, token, url.protocol === 'https:');
		const first = session.mailboxes[0];
		destination = next ?? (first ? folderHref(first.id, 'INBOX') : '/boites');
	} catch (error) {
		const code = isAppError(error) ? error.code : classifyPscFailure(error);
		rootLogger.info({ requestId: locals.requestId, code }, 'psc sign-in refused');
		const known = code.startsWith('PSC_')
			? code
			: code === 'IMAP_CONNECT'
				? 'IMAP_CONNECT'
				: 'PSC_TOKEN';
		destination = `/connexion?erreur=${known}`;
	}
	redirect(303, destination);
};
