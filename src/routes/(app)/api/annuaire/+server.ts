/**
 * Suggestions for the composer's recipient fields: the user's recent correspondents first (up to
 * three), then directory entries that have a published mailbox, as small JSON objects.
 * `?q=` (2 characters at least) and `limit` (8 by default).
 */
import { error, json } from '@sveltejs/kit';
import { getDirectory, readLimit } from '#lib/server/directory.ts';
import { suggestCorrespondents } from '#lib/server/correspondents.ts';
import { openAppDb } from '#lib/server/db/app-db.ts';
import { rethrowAsHttp } from '#lib/server/http-errors.ts';
import { getRuntime } from '#lib/server/runtime.ts';
import type { RequestHandler } from './$types';

interface RecipientSuggestion {
	address: string;
	name: string;
	profession: string | null;
	city: string | null;
	isRecent?: boolean;
}

const MAX_RECENT = 3;

function recentSuggestions(owners: string[], q: string): RecipientSuggestion[] {
	const db = openAppDb(getRuntime().config.dataDir);
	const seen = new Set<string>();
	const out: RecipientSuggestion[] = [];
	for (const owner of owners) {
		for (const recent of suggestCorrespondents(db, owner, q, MAX_RECENT)) {
			if (seen.has(recent.address) || out.length >= MAX_RECENT) continue;
			seen.add(recent.address);
			out.push({
				address: recent.address,
				name: recent.name || recent.address,
				profession: null,
				city: null,
				isRecent: true
			});
		}
	}
	return out;
}

const MAX_SUGGESTIONS = 20;

export const GET: RequestHandler = async ({ locals, url }) => {
	if (!locals.session) error(401, 'Session expirée.');
	const q = (url.searchParams.get('q') ?? '').trim().slice(0, 200);
	const limit = Math.min(MAX_SUGGESTIONS, readLimit(url.searchParams.get('limit'), 8));
	const headers = { 'cache-control': 'no-store' };
	if (q.length < 2) return json({ state: 'ok', suggestions: [] }, { headers });
	const recent = recentSuggestions(
		locals.session.mailboxes.map((m) => m.address),
		q
	);
	try {
		const outcome = await getDirectory().search({ text: q, hasMailbox: true, limit });
		if (outcome.state !== 'ok')
			return json({ state: outcome.state, suggestions: recent }, { headers });
		const suggestions: RecipientSuggestion[] = [...recent];
		for (const hit of outcome.result.hits) {
			if (!hit.mailbox) continue;
			const person = [hit.firstName, hit.lastName].filter(Boolean).join(' ');
			const structure = [hit.organization, hit.service].filter(Boolean).join(' — ');
			const known = suggestions.find((s) => s.address === hit.mailbox);
			if (known) {
				// A recent correspondent found in the directory: show who it is.
				known.name = person || structure || known.name;
				known.profession = hit.professionLabel ?? (person ? null : structure || null);
				known.city = hit.city;
				continue;
			}
			suggestions.push({
				address: hit.mailbox,
				name: person || structure || hit.mailbox,
				profession: hit.professionLabel ?? (person ? null : structure || null),
				city: hit.city
			});
		}
		return json({ state: 'ok', suggestions: suggestions.slice(0, limit) }, { headers });
	} catch (err) {
		rethrowAsHttp(err);
	}
};
