/** The session cookie: an opaque random token, httpOnly, Secure (except plain-http localhost), SameSite=Lax. */
import type { Cookies } from '@sveltejs/kit';

export const SESSION_COOKIE = 'confrere_session';

export function setSessionCookie(cookies: Cookies, token: string, secure: boolean): void {
	// Lax, not Strict: the Pro Santé Connect redirect back to us is a top-level navigation.
	cookies.set(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}

export function clearSessionCookie(cookies: Cookies): void {
	cookies.delete(SESSION_COOKIE, { path: '/' });
}
