import { error } from '@sveltejs/kit';
import { journalScope, isAdministrator } from '#lib/server/audit/access.ts';
import { auditLocalTime } from '#lib/server/audit/audit-log.ts';
import { getAuditLog } from '#lib/server/audit/index.ts';
import {
	ACTION_LABELS,
	readJournalFilters,
	toAuditFilter
} from '#lib/server/audit/journal-query.ts';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

export const load: PageServerLoad = ({ locals, url }) => {
	const session = locals.session;
	if (!session) error(401, 'Session expirée.');
	const scope = journalScope(session);
	const filters = readJournalFilters(url.searchParams);
	const page = Math.min(10_000, Math.max(1, Math.trunc(Number(url.searchParams.get('page'))) || 1));
	const base = {
		filters,
		page,
		pageSize: PAGE_SIZE,
		scope,
		actions: Object.entries(ACTION_LABELS).map(([value, label]) => ({ value, label })),
		isAdmin: isAdministrator(session)
	};
	const built = toAuditFilter(filters, scope);
	if ('problem' in built) return { ...base, problem: built.problem, total: 0, entries: [] };
	const log = getAuditLog();
	const { entries, total } = log.query({
		...built.filter,
		limit: PAGE_SIZE,
		offset: (page - 1) * PAGE_SIZE
	});
	return {
		...base,
		problem: null,
		total,
		entries: entries.map((entry) => ({
			seq: entry.seq,
			when: auditLocalTime(entry.at),
			actor: entry.actor,
			mailbox: entry.mailbox,
			action: ACTION_LABELS[entry.action],
			request: entry.request,
			ok: entry.outcome === 'ok',
			answer: entry.answer
		})),
		integrity: base.isAdmin ? log.verify() : null
	};
};
