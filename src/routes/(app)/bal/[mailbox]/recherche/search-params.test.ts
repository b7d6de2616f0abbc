import { describe, expect, test } from 'vitest';
import { parseDay, parseSearchParams } from './search-params.ts';

describe('parseDay', () => {
	test('accepts ISO and French days as UTC midnight', () => {
		expect(parseDay('2026-11-05')?.toISOString()).toBe('2026-11-05T00:00:00.000Z');
		expect(parseDay('5/11/2026')?.toISOString()).toBe('2026-11-05T00:00:00.000Z');
	});
	test('rejects impossible or malformed days', () => {
		for (const bad of ['2026-02-30', '31/04/2026', 'hier', '2026-1-5', '1900-01-01', ''])
			expect(parseDay(bad)).toBeNull();
	});
});

describe('parseSearchParams', () => {
	test('maps every parameter', () => {
		const parsed = parseSearchParams(
			new URLSearchParams(
				'q=Léo&de=claire&a=jeanne&objet=bilan&depuis=2026-10-01&avant=2026-12-01&nonlus=1&pj=1&dossier=Sent&corps=1'
			)
		);
		expect(parsed.errors).toEqual([]);
		expect(parsed.isSearch).toBe(true);
		expect(parsed.folder).toBe('Sent');
		expect(parsed.bodySearch).toBe(true);
		expect(parsed.query).toEqual({
			text: 'Léo',
			from: 'claire',
			to: 'jeanne',
			subject: 'bilan',
			since: new Date('2026-10-01T00:00:00Z'),
			before: new Date('2026-12-01T00:00:00Z'),
			isUnread: true,
			hasAttachment: true
		});
	});
	test('an empty form is not a search, and defaults to the INBOX', () => {
		const parsed = parseSearchParams(new URLSearchParams('q=%20%20'));
		expect(parsed).toMatchObject({ isSearch: false, folder: 'INBOX', errors: [], query: {} });
	});
	test('body search only with free text', () => {
		expect(parseSearchParams(new URLSearchParams('de=x&corps=1')).bodySearch).toBe(false);
	});
	test('French errors for invalid or inverted dates', () => {
		const invalid = parseSearchParams(new URLSearchParams('depuis=31/02/2026'));
		expect(invalid.errors).toEqual([
			'La date « Reçu depuis le » n’est pas valide (format attendu : JJ/MM/AAAA).'
		]);
		expect(invalid.isSearch).toBe(true);
		const inverted = parseSearchParams(new URLSearchParams('depuis=2026-12-01&avant=2026-11-01'));
		expect(inverted.errors).toEqual([
			'La date « Reçu depuis le » doit précéder la date « Reçu avant le ».'
		]);
	});
	test('long text is cut', () => {
		const parsed = parseSearchParams(new URLSearchParams({ q: 'x'.repeat(1000) }));
		expect(parsed.query.text?.length).toBe(200);
	});
});
