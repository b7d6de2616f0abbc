import { afterEach, describe, expect, test, vi } from 'vitest';
import { PscTokenError, PscTokenStore, type PscTokenSet } from './token-store.ts';

const first: PscTokenSet = { accessToken: 'at-1', refreshToken: 'rt-1', expiresIn: 300 };

afterEach(() => {
	vi.useRealTimers();
});

describe('PscTokenStore', () => {
	test('gives the current token until 80 % of its lifetime, then renews by itself', async () => {
		vi.useFakeTimers();
		const refresh = vi.fn((rt: string) =>
			Promise.resolve({ accessToken: 'at-2', refreshToken: `${rt}+`, expiresIn: 300 })
		);
		const store = new PscTokenStore({ refresh, onDead: vi.fn() });
		store.set('s1', first);
		expect(store.refreshDueAt('s1')).toBe(Date.now() + 240_000);
		await expect(store.accessToken('s1')).resolves.toBe('at-1');
		await vi.advanceTimersByTimeAsync(239_000);
		expect(refresh).not.toHaveBeenCalled();
		await vi.advanceTimersByTimeAsync(1_000);
		expect(refresh).toHaveBeenCalledWith('rt-1');
		await expect(store.accessToken('s1')).resolves.toBe('at-2');
		// The next renewal is scheduled from the new token's lifetime, with the rotated refresh token.
		await vi.advanceTimersByTimeAsync(240_000);
		expect(refresh).toHaveBeenLastCalledWith('rt-1+');
		store.clear();
	});

	test('one renewal at a time: concurrent callers share it', async () => {
		let resolve: (value: PscTokenSet) => void = () => {};
		const refresh = vi.fn(
			() =>
				new Promise<PscTokenSet>((r) => {
					resolve = r;
				})
		);
		let now = 0;
		const store = new PscTokenStore({ refresh, onDead: vi.fn(), now: () => now });
		store.set('s1', first);
		now = 250_000;
		const a = store.accessToken('s1');
		const b = store.accessToken('s1');
		resolve({ accessToken: 'at-2', refreshToken: undefined, expiresIn: 300 });
		await expect(Promise.all([a, b])).resolves.toEqual(['at-2', 'at-2']);
		expect(refresh).toHaveBeenCalledOnce();
		store.clear();
	});

	test('a failed renewal kills the entry once and reports why (ECO.1.2.6)', async () => {
		vi.useFakeTimers();
		const onDead = vi.fn();
		const refresh = vi.fn(() =>
			Promise.reject(Object.assign(new Error('x'), { error: 'invalid_grant' }))
		);
		const store = new PscTokenStore({ refresh, onDead });
		store.set('s1', first);
		await vi.advanceTimersByTimeAsync(240_000);
		expect(onDead).toHaveBeenCalledExactlyOnceWith('s1', 'invalid_grant');
		expect(store.has('s1')).toBe(false);
		await expect(store.accessToken('s1')).rejects.toBeInstanceOf(PscTokenError);
	});

	test('no refresh token: the session ends at the renewal point', async () => {
		const onDead = vi.fn();
		let now = 0;
		const store = new PscTokenStore({ refresh: vi.fn(), onDead, now: () => now });
		store.set('s1', { accessToken: 'at', refreshToken: undefined, expiresIn: 300 });
		now = 300_000;
		await expect(store.accessToken('s1')).rejects.toBeInstanceOf(PscTokenError);
		expect(onDead).toHaveBeenCalledOnce();
		store.clear();
	});

	test('a deleted entry (sign-out) gives no token and its late renewal is ignored', async () => {
		let resolve: (value: PscTokenSet) => void = () => {};
		const onDead = vi.fn();
		let now = 0;
		const store = new PscTokenStore({
			refresh: () =>
				new Promise<PscTokenSet>((r) => {
					resolve = r;
				}),
			onDead,
			now: () => now
		});
		store.set('s1', first);
		now = 250_000;
		const pending = store.accessToken('s1');
		store.delete('s1');
		resolve({ accessToken: 'late', refreshToken: 'rt', expiresIn: 300 });
		await expect(pending).rejects.toBeInstanceOf(PscTokenError);
		expect(store.has('s1')).toBe(false);
		expect(onDead).not.toHaveBeenCalled();
	});
});
