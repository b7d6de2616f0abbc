import { describe, expect, it } from 'vitest';
import { AppError } from '../src/lib/server/errors.ts';
import { open, openText, seal } from './secret-box.ts';

const SECRET = 'un-secret-serveur-de-test-assez-long-0123456789';

function errorOf(fn: () => unknown): AppError {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(AppError);
		return error as AppError;
	}
	throw new Error('expected an error');
}

describe('secret-box', () => {
	it('round-trips text and bytes, with a fresh salt and IV each time', () => {
		const a = seal('clé privée', SECRET);
		const b = seal('clé privée', SECRET);
		expect(a).not.toBe(b);
		expect(a).toMatch(/^sb1\.[\w-]{22}\.[\w-]{16}\.[\w-]+\.[\w-]{22}$/);
		expect(a).not.toContain('clé');
		expect(openText(a, SECRET)).toBe('clé privée');
		expect([...open(seal(new Uint8Array([0, 1, 255]), SECRET), SECRET)]).toEqual([0, 1, 255]);
	});

	it('refuses any tampering: ciphertext, tag, IV, salt, version', () => {
		const sealed = seal('secret', SECRET);
		const parts = sealed.split('.');
		for (const index of [1, 2, 3, 4]) {
			const copy = [...parts];
			const part = Buffer.from(copy[index] ?? '', 'base64url');
			part[0] = (part[0] ?? 0) ^ 1;
			copy[index] = part.toString('base64url');
			const error = errorOf(() => open(copy.join('.'), SECRET));
			expect(error.code).toBe('SECRET_INVALID');
			expect(error.message).toContain('altéré');
		}
		expect(errorOf(() => open('sb2' + sealed.slice(3), SECRET)).message).toBe(
			'Secret chiffré : format inconnu.'
		);
		expect(errorOf(() => open('sb1.abc', SECRET)).message).toBe(
			'Secret chiffré : format invalide.'
		);
	});

	it('refuses another server secret, and a secret that is too short', () => {
		const sealed = seal('secret', SECRET);
		expect(errorOf(() => open(sealed, SECRET + '!')).code).toBe('SECRET_INVALID');
		expect(errorOf(() => seal('x', 'court')).code).toBe('CONFIG_INVALID');
	});
});
