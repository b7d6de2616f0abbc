/**
 * Moving or copying messages from script (drag-and-drop onto a folder, the reader's "Organiser"
 * menu): `{action: 'move' | 'copy', from, to, uids}`. The Origin is checked for every non-GET
 * request in hooks.server.ts; the answer is JSON with a French message either way.
 */
import { error, json } from '@sveltejs/kit';
import { isAppError } from '#lib/server/errors.ts';
import { forgetSessionMessages } from '#lib/server/mail/message-cache.ts';
import { transferOp } from '#lib/server/mail/organising.ts';
import type { RequestHandler } from './$types';

const MAX_UIDS = 1000;

function parse(body: unknown) {
	if (!body || typeof body !== 'object') return null;
	const { action, from, to, uids } = body as Record<string, unknown>;
	if (action !== 'move' && action !== 'copy') return null;
	if (typeof from !== 'string' || typeof to !== 'string' || !from || !to) return null;
	if (!Array.isArray(uids) || uids.length === 0 || uids.length > MAX_UIDS) return null;
	if (!uids.every((u) => Number.isSafeInteger(u) && (u as number) > 0)) return null;
	return { action, from, to, uids: uids as number[] } as const;
}

export const POST: RequestHandler = async ({ locals, params, request }) => {
	const session = locals.session;
	if (!session) error(401, 'Session expirée.');
	let body: unknown;
	try {
		body = await request.json();
	} catch {
		body = null;
	}
	const input = parse(body);
	if (!input) return json({ message: 'Demande invalide.' }, { status: 400 });
	try {
		const count = await transferOp(session, params.mailbox, input);
		forgetSessionMessages(session.key);
		const noun = count > 1 ? `${count} messages` : 'Message';
		const verb = input.action === 'move' ? 'déplacé' : 'copié';
		return json({ ok: true, count, message: `${noun} ${verb}${count > 1 ? 's' : ''}.` });
	} catch (err) {
		if (isAppError(err)) {
			const status =
				err.code === 'INVALID_INPUT' ? 400 : err.code === 'MAILBOX_NOT_FOUND' ? 404 : 503;
			const message =
				status === 503
					? 'Le serveur de messagerie n’a pas pu traiter la demande. Réessayez dans quelques secondes.'
					: err.message;
			return json({ message }, { status });
		}
		throw err;
	}
};
