import { error } from '@sveltejs/kit';
import type { MessageSummary } from '#lib/mail-types.ts';
import { rethrowAsHttp } from '#lib/server/http-errors.ts';
import { searchAllFolders, searchMessages } from '#lib/server/mail/imap/search.ts';
import { mailboxConnection } from '#lib/server/mail/mailbox-access.ts';
import { ALL_FOLDERS, parseSearchParams } from './search-params.ts';
import type { PageServerLoad } from './$types';

const LIMIT = 50;

interface SearchGroup {
	folder: string;
	total: number;
	messages: MessageSummary[];
}

export const load: PageServerLoad = async ({ locals, params, url, parent }) => {
	const session = locals.session;
	if (!session) error(401, 'Session expirée.');
	const parsed = parseSearchParams(url.searchParams);
	const { folders } = await parent();
	const errors = [...parsed.errors];
	if (
		parsed.folder !== ALL_FOLDERS &&
		!folders.some((f) => f.path === parsed.folder && f.selectable)
	)
		errors.push('Ce dossier n’existe pas ou ne peut pas être consulté.');
	const base = { values: parsed.values, errors, limit: LIMIT };
	if (!parsed.isSearch || errors.length > 0) return { ...base, result: null };
	try {
		const connection = mailboxConnection(session, params.mailbox);
		const options = { query: parsed.query, bodySearch: parsed.bodySearch, limit: LIMIT };
		if (parsed.folder === ALL_FOLDERS) {
			const all = await searchAllFolders(connection, folders, options);
			const groups: SearchGroup[] = all.results.map((r) => ({
				folder: r.path,
				total: r.total,
				messages: r.messages
			}));
			return { ...base, result: { total: all.total, groups, bodyTimedOut: all.bodyTimedOut } };
		}
		const one = await searchMessages(connection, { ...options, folder: parsed.folder });
		const groups: SearchGroup[] = [
			{ folder: one.folder, total: one.total, messages: one.messages }
		];
		return { ...base, result: { total: one.total, groups, bodyTimedOut: one.bodyTimedOut } };
	} catch (err) {
		rethrowAsHttp(err);
	}
};
