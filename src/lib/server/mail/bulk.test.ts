import { describe, expect, test } from 'vitest';
import { compactUidSet, parseBulkForm, parseUndoRef, MAX_BULK_UIDS } from './bulk.ts';

function form(entries: [string, string][]): FormData {
	const data = new FormData();
	for (const [k, v] of entries) data.append(k, v);
	return data;
}

describe('bulk form', () => {
	test('reads UIDs from single and conversation checkboxes', () => {
		const parsed = parseBulkForm(
			form([
				['operation', 'lu'],
				['uid', '7'],
				['uid', '3,4, 9'],
				['uid', '4']
			])
		);
		expect(parsed).toEqual({
			ok: true,
			request: { operation: 'lu', uids: [3, 4, 7, 9], target: null }
		});
	});
	test('refuses unknown operations and empty selections with a French message', () => {
		expect(parseBulkForm(form([['uid', '1']]))).toEqual({
			ok: false,
			error: 'Choisissez une action.'
		});
		expect(
			parseBulkForm(
				form([
					['operation', 'detruire'],
					['uid', '1']
				])
			).ok
		).toBe(false);
		expect(parseBulkForm(form([['operation', 'lu']]))).toEqual({
			ok: false,
			error: 'Aucun message sélectionné.'
		});
	});
	test('drops junk UIDs', () => {
		const parsed = parseBulkForm(
			form([
				['operation', 'archiver'],
				['uid', '0,-1,abc,1e3,2.5,99999999999,1:5,*,12']
			])
		);
		expect(parsed).toEqual({
			ok: true,
			request: { operation: 'archiver', uids: [12], target: null }
		});
	});
	test('a move needs a destination', () => {
		expect(
			parseBulkForm(
				form([
					['operation', 'deplacer'],
					['uid', '1']
				])
			).ok
		).toBe(false);
		expect(
			parseBulkForm(
				form([
					['operation', 'deplacer'],
					['uid', '1'],
					['dossier', ' Archives ']
				])
			)
		).toEqual({ ok: true, request: { operation: 'deplacer', uids: [1], target: 'Archives' } });
	});
	test('refuses a selection that is too large', () => {
		const many = Array.from({ length: MAX_BULK_UIDS + 1 }, (_, i) => i + 1).join(',');
		expect(
			parseBulkForm(
				form([
					['operation', 'lu'],
					['uid', many]
				])
			).ok
		).toBe(false);
	});
});

describe('UID sets', () => {
	test('compacts runs', () => {
		expect(compactUidSet([9, 1, 2, 3, 7, 10, 3])).toBe('1:3,7,9:10');
		expect(compactUidSet([5])).toBe('5');
		expect(compactUidSet([])).toBe('');
	});
	test('undo references keep folder names with colons', () => {
		expect(parseUndoRef('Trash:12,13')).toEqual({ folder: 'Trash', uids: [12, 13] });
		expect(parseUndoRef('Dossiers:2026:4')).toEqual({ folder: 'Dossiers:2026', uids: [4] });
		expect(parseUndoRef('Trash:')).toBeNull();
		expect(parseUndoRef('Trash:0')).toBeNull();
		expect(parseUndoRef(null)).toBeNull();
	});
});
