import { describe, expect, it } from 'vitest';
import { parisDayStart } from './audit-log.ts';
import { readJournalFilters, toAuditFilter } from './journal-query.ts';

const scope = { all: false, mailboxes: ['jeanne.martin@lab.mssante.test'] };

function filtersOf(query: string) {
	return readJournalFilters(new URLSearchParams(query));
}

function filterOf(query: string, of: typeof scope) {
	const built = toAuditFilter(filtersOf(query), of);
	if (!('filter' in built)) throw new Error(built.problem);
	return built.filter;
}

describe('journal filters', () => {
	it('limits a non-administrator to the mailboxes of their scope', () => {
		expect(filterOf('', scope).mailboxes).toEqual(scope.mailboxes);
		expect(filterOf('bal=claire.nguyen@lab.mssante.test', scope).mailboxes).toEqual([]);
	});

	it('lets an administrator filter any mailbox', () => {
		const filter = filterOf('bal=Claire.Nguyen@lab.mssante.test', { all: true, mailboxes: [] });
		expect(filter.mailbox).toBe('claire.nguyen@lab.mssante.test');
		expect(filter.mailboxes).toBeUndefined();
	});

	it('makes the end date inclusive, across a daylight-saving change', () => {
		const built = toAuditFilter(filtersOf('du=2026-10-25&au=2026-10-25'), scope);
		if (!('filter' in built)) throw new Error('expected a filter');
		expect(built.filter.from).toBe(parisDayStart('2026-10-25'));
		expect(built.filter.to).toBe(parisDayStart('2026-10-26'));
		// 25 October 2026 is the 25-hour day in Paris.
		expect(built.filter.to! - built.filter.from!).toBe(25 * 3_600_000);
	});

	it('names what is wrong in French', () => {
		expect(toAuditFilter(filtersOf('du=2026-13-40'), scope)).toEqual({
			problem: 'Date de début invalide (format AAAA-MM-JJ).'
		});
		expect(toAuditFilter(filtersOf('du=2026-02-10&au=2026-02-01'), scope)).toEqual({
			problem: 'La date de fin doit suivre la date de début.'
		});
		expect(toAuditFilter(filtersOf('action=drop'), scope)).toEqual({ problem: 'Action inconnue.' });
		expect(toAuditFilter(filtersOf('resultat=peut-etre'), scope)).toEqual({
			problem: 'Résultat inconnu.'
		});
	});
});
