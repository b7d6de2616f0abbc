import { error } from '@sveltejs/kit';
import { getDirectory, readDirectoryFilters, toDirectoryQuery } from '#lib/server/directory.ts';
import { rethrowAsHttp } from '#lib/server/http-errors.ts';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 20;
const MAX_PAGE = 50;

export const load: PageServerLoad = async ({ locals, url }) => {
	const session = locals.session;
	if (!session) error(401, 'Session expirée.');
	const filters = readDirectoryFilters(url.searchParams);
	const pageNumber = Math.min(
		MAX_PAGE,
		Math.max(1, Math.trunc(Number(url.searchParams.get('page'))) || 1)
	);
	const writeFrom = session.mailboxes[0]?.id ?? null;
	const hasCriteria = Boolean(
		filters.q || filters.profession || filters.specialite || filters.departement || filters.type
	);
	if (!hasCriteria) {
		return { filters, page: pageNumber, pageSize: PAGE_SIZE, writeFrom, outcome: null };
	}
	try {
		const outcome = await getDirectory().search(
			toDirectoryQuery(filters, {
				limit: PAGE_SIZE,
				offset: (pageNumber - 1) * PAGE_SIZE,
				facets: true
			})
		);
		return { filters, page: pageNumber, pageSize: PAGE_SIZE, writeFrom, outcome };
	} catch (err) {
		rethrowAsHttp(err);
	}
};
