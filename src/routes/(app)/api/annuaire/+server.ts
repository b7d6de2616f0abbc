/**
 * Suggestions for the composer's recipient fields: directory entries that have a published
 * mailbox, as small JSON objects. `?q=` (2 characters at least) and `limit` (8 by default).
 */
import { error, json } from '@sveltejs/kit';
import { getDirectory, readLimit } from '#lib/server/directory.ts';
import { rethrowAsHttp } from '#lib/server/http-errors.ts';
import type { RequestHandler } from './$types';

interface RecipientSuggestion {
	address: string;
	name: string;
	profession: string | null;
	city: string | null;
}

const MAX_SUGGESTIONS = 20;

export const GET: RequestHandler = async ({ locals, url }) => {
	if (!locals.session) error(401, 'Session expirée.');
	const q = (url.searchParams.get('q') ?? '').trim().slice(0, 200);
	const limit = Math.min(MAX_SUGGESTIONS, readLimit(url.searchParams.get('limit'), 8));
	const headers = { 'cache-control': 'no-store' };
	if (q.length < 2) return json({ state: 'ok', suggestions: [] }, { headers });
	try {
		const outcome = await getDirectory().search({ text: q, hasMailbox: true, limit });
		if (outcome.state !== 'ok') return json({ state: outcome.state, suggestions: [] }, { headers });
		const suggestions: RecipientSuggestion[] = [];
		for (const hit of outcome.result.hits) {
			if (!hit.mailbox) continue;
			const person = [hit.firstName, hit.lastName].filter(Boolean).join(' ');
			const structure = [hit.organization, hit.service].filter(Boolean).join(' — ');
			suggestions.push({
				address: hit.mailbox,
				name: person || structure || hit.mailbox,
				profession: hit.professionLabel ?? (person ? null : structure || null),
				city: hit.city
			});
		}
		return json({ state: 'ok', suggestions }, { headers });
	} catch (err) {
		rethrowAsHttp(err);
	}
};
