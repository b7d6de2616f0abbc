/**
 * Every request passes here: a request id, the session, the authorisation guard keyed on the route
 * group (pages, form actions and endpoints alike), the origin check on every state-changing
 * request, security headers, and errors turned into one generic French message with an id.
 */
import { error, redirect } from '@sveltejs/kit';
import type { Handle, HandleServerError } from '@sveltejs/kit/hooks';
import { randomUUID } from 'node:crypto';
import { closeDirectory } from '#lib/server/directory.ts';
import { isAppError } from '#lib/server/errors.ts';
import { rootLogger } from '#lib/server/log.ts';
import { getRuntime, shutdownRuntime } from '#lib/server/runtime.ts';
import { SESSION_COOKIE } from '#lib/server/session/cookie.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const SECURITY_HEADERS: Record<string, string> = {
	'x-content-type-options': 'nosniff',
	// same-origin, not no-referrer: with no-referrer Chromium sends `Origin: null` on our own form posts.
	'referrer-policy': 'same-origin',
	'cross-origin-opener-policy': 'same-origin',
	'cross-origin-resource-policy': 'same-origin',
	'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()'
};

process.once('sveltekit:shutdown', () => {
	Promise.all([shutdownRuntime(), closeDirectory()]).catch((err: unknown) =>
		rootLogger.error({ err: String(err) }, 'shutdown failed')
	);
});

export const handle: Handle = async ({ event, resolve }) => {
	event.locals.requestId = randomUUID();
	const { sessions } = getRuntime();
	event.locals.session = sessions.touch(event.cookies.get(SESSION_COOKIE));

	// CSRF: SvelteKit checks the origin of form posts; we check every non-safe request, JSON too.
	if (!SAFE_METHODS.has(event.request.method)) {
		const origin = event.request.headers.get('origin');
		if (origin !== event.url.origin) {
			return new Response('Requête refusée (origine non autorisée).', { status: 403 });
		}
	}

	const routeId = event.route.id ?? '';
	if (routeId.startsWith('/(app)') && !event.locals.session) {
		if (routeId.includes('/api/') || !SAFE_METHODS.has(event.request.method)) {
			error(401, 'Session expirée. Reconnectez-vous.');
		}
		const next = event.url.pathname + event.url.search;
		redirect(303, `/connexion?suite=${encodeURIComponent(next)}`);
	}

	const response = await resolve(event);
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
		if (!response.headers.has(name)) response.headers.set(name, value);
	}
	if (!response.headers.has('x-frame-options')) response.headers.set('x-frame-options', 'DENY');
	if (event.locals.session && !response.headers.has('cache-control')) {
		response.headers.set('cache-control', 'no-store');
	}
	return response;
};

export const handleError: HandleServerError = ({ kind, error: err, event }) => {
	// An error can happen before `handle` ran (a module failing to load): make an id then.
	const requestId = event.locals.requestId ?? randomUUID();
	// Errors we raised on purpose (error(404), validation, framework 404s) keep their message.
	if (kind !== 'unknown') return { requestId };
	const ref = requestId.slice(0, 8);
	if (isAppError(err)) {
		rootLogger.warn(
			{ requestId, code: err.code, details: err.details, route: event.route.id },
			'request failed'
		);
		return { message: `${err.message} (réf. ${ref})`, requestId };
	}
	rootLogger.error(
		{ requestId, route: event.route.id, err: err instanceof Error ? err.stack : String(err) },
		'unexpected error'
	);
	return { message: `Une erreur inattendue est survenue (réf. ${ref}).`, requestId };
};
