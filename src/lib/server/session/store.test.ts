import { describe, expect, test, vi } from 'vitest';
import { FailureLimiter } from './rate-limit.ts';
import { SessionStore } from './store.ts';

const mailbox = {
	id: 'b1',
	address: 'a@lab.example',
	displayName: 'A',
	kind: 'PER' as const,
	auth: { kind: 'password' as const, user: 'a@lab.example', password: 'p' }
};

describe('SessionStore', () => {
	test('finds a session by its token only, never by its stored key', () => {
		const store = new SessionStore({ idleMs: 60_000, onEnd: () => {} });
		const { token, session } = store.create({ userLabel: 'a', mailboxes: [mailbox] });
		expect(store.touch(token)).toBe(session);
		expect(store.touch(session.key)).toBeNull();
		expect(store.touch(undefined)).toBeNull();
		store.endAll();
	});

	test('ends an inactive session and closes what it held (SC.SSI/IE.39)', () => {
		vi.useFakeTimers();
		const onEnd = vi.fn();
		const store = new SessionStore({ idleMs: 1_000, onEnd });
		const { token } = store.create({ userLabel: 'a', mailboxes: [mailbox] });
		vi.advanceTimersByTime(1_500);
		expect(store.touch(token)).toBeNull();
		expect(onEnd).toHaveBeenCalledOnce();
		store.endAll();
		vi.useRealTimers();
	});
});

describe('FailureLimiter', () => {
	test('blocks a key after the allowed failures and forgets them after the window', () => {
		vi.useFakeTimers();
		const limiter = new FailureLimiter({ max: 3, windowMs: 10_000 });
		for (let i = 0; i < 3; i++) limiter.recordFailure(['ip:1']);
		expect(limiter.isBlocked(['ip:1'])).toBe(true);
		expect(limiter.isBlocked(['ip:2'])).toBe(false);
		vi.advanceTimersByTime(10_001);
		expect(limiter.isBlocked(['ip:1'])).toBe(false);
		vi.useRealTimers();
	});
});
