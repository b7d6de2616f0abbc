/**
 * The journal as CSV (`;`-separated, UTF-8 with BOM for spreadsheets), with the page's filters and
 * the viewer's scope; streamed page by page from SQLite, never built whole in memory.
 */
import { error } from '@sveltejs/kit';
import { journalScope } from '#lib/server/audit/access.ts';
import { auditCsvHeader, auditCsvRow } from '#lib/server/audit/audit-log.ts';
import { audit, getAuditLog, sessionScope } from '#lib/server/audit/index.ts';
import { readJournalFilters, toAuditFilter } from '#lib/server/audit/journal-query.ts';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ locals, url }) => {
	const session = locals.session;
	if (!session) error(401, 'Session expirée.');
	const built = toAuditFilter(readJournalFilters(url.searchParams), journalScope(session));
	if ('problem' in built) error(400, built.problem);
	const { limit: _l, offset: _o, ...filter } = built.filter;
	audit({
		...sessionScope(session),
		action: 'settings',
		request: `export du journal ${url.searchParams.toString() || '(tout)'}`.slice(0, 300),
		outcome: 'ok'
	});
	const rows = getAuditLog().iterate(filter);
	const encoder = new TextEncoder();
	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			controller.enqueue(encoder.encode(`\uFEFF${auditCsvHeader()}`));
		},
		pull(controller) {
			let chunk = '';
			for (let i = 0; i < 500; i++) {
				const next = rows.next();
				if (next.done) {
					if (chunk) controller.enqueue(encoder.encode(chunk));
					controller.close();
					return;
				}
				chunk += auditCsvRow(next.value);
			}
			controller.enqueue(encoder.encode(chunk));
		}
	});
	const day = new Date().toISOString().slice(0, 10);
	return new Response(stream, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="journal-confrere-${day}.csv"`,
			'cache-control': 'private, no-store'
		}
	});
};
