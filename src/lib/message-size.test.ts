import { describe, expect, test } from 'vitest';
import {
	base64Size,
	bodySizeLimit,
	effectiveLimit,
	estimateMessageBytes,
	sizeLimitMessage
} from './message-size.ts';

const MB = 1024 * 1024;

describe('message size limit', () => {
	test('base64 with 76-character lines', () => {
		expect(base64Size(0)).toBe(0);
		expect(base64Size(3)).toBe(4 + 2);
		expect(base64Size(57)).toBe(76 + 2);
		// A file of 18 MB is about 24.6 MB on the wire.
		expect(base64Size(18 * MB) / MB).toBeCloseTo(24.63, 1);
	});

	test('a message is over the limit once encoded, not by its raw size', () => {
		const size = estimateMessageBytes({ textBytes: 100, attachmentBytes: [19 * MB] });
		expect(size).toBeGreaterThan(25 * MB);
		expect(estimateMessageBytes({ textBytes: 100, attachmentBytes: [18 * MB] })).toBeLessThan(
			25 * MB
		);
	});

	test('the operator SIZE lowers the limit, never raises it', () => {
		expect(effectiveLimit(25 * MB, 10 * MB)).toBe(10 * MB);
		expect(effectiveLimit(25 * MB, 50 * MB)).toBe(25 * MB);
		expect(effectiveLimit(25 * MB, null)).toBe(25 * MB);
		expect(effectiveLimit(25 * MB, 0)).toBe(25 * MB);
	});

	test('the French message gives the size and the limit', () => {
		expect(sizeLimitMessage(31.2 * MB, 25 * MB)).toMatch(
			/^Le message ferait 31,2 Mo, au-delà de la taille maximale de 25 Mo/
		);
		expect(sizeLimitMessage(1.5 * MB, 1 * MB)).toContain('1,5 Mo');
		expect(sizeLimitMessage(1.5 * MB, 1 * MB)).toContain('brouillon est conservé');
	});

	test('SvelteKit reads any acceptable form, and a bit more', () => {
		expect(bodySizeLimit(25 * MB)).toBeGreaterThan(25 * MB + MB - 1);
	});
});
