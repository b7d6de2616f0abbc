import { describe, expect, test } from 'vitest';
import { buildSearchObject, hasCriteria, topOfSequenceSet } from './search.ts';

describe('buildSearchObject', () => {
	test('free text is FROM or TO or SUBJECT', () => {
		expect(buildSearchObject({ text: ' Léo ' })).toEqual({
			or: [{ from: 'Léo' }, { to: 'Léo' }, { subject: 'Léo' }]
		});
	});
	test('body search adds BODY to the OR', () => {
		expect(buildSearchObject({ text: 'ecg' }, true)).toEqual({
			or: [{ from: 'ecg' }, { to: 'ecg' }, { subject: 'ecg' }, { body: 'ecg' }]
		});
	});
	test('fields, dates, unread and the attachment approximation are ANDed', () => {
		const since = new Date('2026-10-01T00:00:00Z');
		const before = new Date('2026-12-01T00:00:00Z');
		expect(
			buildSearchObject({
				from: 'claire',
				to: 'jeanne',
				subject: 'bilan',
				since,
				before,
				isUnread: true,
				hasAttachment: true
			})
		).toEqual({
			from: 'claire',
			to: 'jeanne',
			subject: 'bilan',
			since,
			before,
			seen: false,
			header: { 'content-type': 'multipart/mixed' }
		});
	});
	test('no criterion means ALL, and blank strings are ignored', () => {
		expect(buildSearchObject({ text: '  ', from: '' })).toEqual({ all: true });
		expect(hasCriteria({ text: '  ' })).toBe(false);
		expect(hasCriteria({ isUnread: true })).toBe(true);
	});
});

describe('topOfSequenceSet', () => {
	test('the highest numbers first, without expanding the whole set', () => {
		expect(topOfSequenceSet('1,5:10,20', 4)).toEqual([20, 10, 9, 8]);
		expect(topOfSequenceSet('1:100000', 3)).toEqual([100000, 99999, 99998]);
		expect(topOfSequenceSet('3,1', 10)).toEqual([3, 1]);
		expect(topOfSequenceSet('', 10)).toEqual([]);
		expect(topOfSequenceSet('7:5', 2)).toEqual([7, 6]);
		expect(topOfSequenceSet('1:5', 0)).toEqual([]);
	});
});
