import { describe, expect, it } from 'vitest';
import { departmentFromInsee, departmentFromPostalCode, deriveDepartment } from './departments.ts';
import { foldText, indexTokens, queryTokens } from './fold.ts';
import { MEILI_SETTINGS, toDocument } from './meilisearch-sync.ts';
import { expandSynonym, meilisearchSynonyms } from './synonyms.ts';
import { allowedTypos, damerauLevenshtein, typoKeys } from './typo.ts';

describe('folding', () => {
	it('folds accents, case, ligatures, hyphens and apostrophes', () => {
		expect(foldText('LEFÈVRE Œuvre')).toBe('lefevre oeuvre');
		expect(indexTokens("N'GUYEN")).toEqual(['n', 'guyen', 'nguyen']);
		expect(indexTokens('Saint-Étienne')).toEqual(['saint', 'etienne']);
		expect(indexTokens("Jean-Pierre D'ALMEIDA")).toEqual([
			'jean',
			'pierre',
			'd',
			'almeida',
			'dalmeida'
		]);
		expect(queryTokens('saint-étienne')).toEqual(['saint', 'etienne']);
		expect(indexTokens('DUPONT  Jean')).toEqual(['dupont', 'jean']);
	});
});

describe('departments', () => {
	it('derives Corsica and overseas departments from INSEE then postal codes', () => {
		expect(departmentFromInsee('2A004')).toBe('2A');
		expect(departmentFromInsee('2b033')).toBe('2B');
		expect(departmentFromInsee('97411')).toBe('974');
		expect(departmentFromInsee('69123')).toBe('69');
		expect(departmentFromPostalCode('20000')).toBe('2A');
		expect(departmentFromPostalCode('20167')).toBe('2A');
		expect(departmentFromPostalCode('20200')).toBe('2B');
		expect(departmentFromPostalCode('97600')).toBe('976');
		expect(departmentFromPostalCode('01500')).toBe('01');
		expect(departmentFromPostalCode('ABC')).toBeNull();
		expect(deriveDepartment('', '42000')).toBe('42');
		expect(deriveDepartment('2B033', '20000')).toBe('2B');
	});
});

describe('typos', () => {
	it('allows one typo from 5 letters and two from 9', () => {
		expect(allowedTypos('ruiz')).toBe(0);
		expect(allowedTypos('dupont')).toBe(1);
		expect(allowedTypos('montgolfier')).toBe(2);
		expect(damerauLevenshtein('dupont', 'dupnot')).toBe(1);
		expect(damerauLevenshtein('montgolfier', 'mantgolfeir')).toBe(2);
	});

	it('files two words within the allowed distance under a shared key', () => {
		const shares = (a: string, b: string, d: number) =>
			typoKeys(a, d).some((k) => typoKeys(b, d).includes(k));
		expect(shares('dupomt', 'dupont', 1)).toBe(true);
		expect(shares('mantgolfeir', 'montgolfier', 2)).toBe(true);
		expect(shares('kinesitherapeute', 'kinesiterapeute', 2)).toBe(true);
	});
});

describe('synonyms', () => {
	it('expands abbreviations to codes for the embedded engine and words for Meilisearch', () => {
		expect(expandSynonym('kine')?.professions).toEqual(['70']);
		expect(expandSynonym('ide')?.professions).toContain('60');
		expect(expandSynonym('generaliste')?.specialties).toContain('SM54');
		expect(expandSynonym('dupont')).toBeUndefined();
		expect(meilisearchSynonyms().kine).toContain('kinesitherapeute');
		expect(MEILI_SETTINGS.synonyms.generaliste).toEqual(['medecine generale']);
		expect(MEILI_SETTINGS.typoTolerance.minWordSizeForTypos).toEqual({ oneTypo: 5, twoTypos: 9 });
	});

	it('gives Meilisearch a folded name key so apostrophes do not split names', () => {
		const doc = toDocument(1, {
			mailbox: 'a@b.fr',
			mailboxType: 'PER',
			idNational: '8',
			lastName: "N'GUYEN",
			firstName: 'Thi',
			professionCode: '70',
			professionLabel: 'Masseur-Kinésithérapeute',
			savoirFaire: [],
			organization: null,
			service: null,
			address: null,
			postalCode: '42000',
			city: 'Saint-Étienne',
			department: '42'
		});
		expect(doc.nameKey).toContain('nguyen');
		expect(doc).toMatchObject({ hasMailbox: true, departmentName: 'Loire', savoirFaireCodes: [] });
	});
});
