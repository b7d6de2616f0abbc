import { describe, expect, test } from 'vitest';
import { childPath, isSelfOrDescendant, validateFolderName } from './folder-names.ts';

describe('folder names', () => {
	test('accepts Unicode names, trimmed and with single spaces', () => {
		expect(validateFolderName('  Comptes   rendus — 2026 ', '/')).toEqual({
			ok: true,
			name: 'Comptes rendus — 2026'
		});
		expect(validateFolderName('Pédiatrie', '.')).toEqual({ ok: true, name: 'Pédiatrie' });
	});

	test('refuses with a French reason', () => {
		const cases: [string, string, RegExp][] = [
			['', '/', /Donnez un nom/],
			['a/b', '/', /ne peut pas contenir « \/ »/],
			['a.b', '.', /ne peut pas contenir « \. »/],
			['Tous*', '/', /caractère interdit/],
			['50%', '/', /caractère interdit/],
			['a\tb', '/', /caractère interdit/],
			['.cache', '/', /point/],
			['inbox', '/', /réservé/],
			['x'.repeat(81), '/', /80 caractères/]
		];
		for (const [input, delimiter, reason] of cases) {
			const result = validateFolderName(input, delimiter);
			expect(result.ok, input).toBe(false);
			if (!result.ok) expect(result.error).toMatch(reason);
		}
	});

	test('paths and descendants', () => {
		expect(childPath(null, 'A', '/')).toBe('A');
		expect(childPath('A', 'B', '/')).toBe('A/B');
		expect(isSelfOrDescendant('A/B', 'A', '/')).toBe(true);
		expect(isSelfOrDescendant('A', 'A', '/')).toBe(true);
		expect(isSelfOrDescendant('AB', 'A', '/')).toBe(false);
	});
});
