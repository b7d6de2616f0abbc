import { describe, expect, it } from 'vitest';
import { nextRunDelay } from './refresh.ts';

describe('nextRunDelay', () => {
	it('waits until the next run hour, tomorrow when it has passed', () => {
		expect(nextRunDelay(new Date('2026-11-22T04:00:00Z'), 5)).toBe(3_600_000);
		expect(nextRunDelay(new Date('2026-11-22T05:00:00Z'), 5)).toBe(24 * 3_600_000);
		expect(nextRunDelay(new Date('2026-12-31T23:30:00Z'), 5)).toBe(5.5 * 3_600_000);
	});
});
