import { describe, expect, test } from 'vitest';
import { SHORTCUTS, isTypingTarget, shortcutFor } from './shortcuts.ts';

const el = (tagName: string, extra: Record<string, unknown> = {}) =>
	({ tagName, ...extra }) as unknown as EventTarget;

describe('shortcuts', () => {
	test('maps Gmail-like keys', () => {
		expect(shortcutFor({ key: 'j' })).toBe('next');
		expect(shortcutFor({ key: 'k' })).toBe('previous');
		expect(shortcutFor({ key: '#' })).toBe('delete');
		expect(shortcutFor({ key: '?' })).toBe('help');
		expect(shortcutFor({ key: 'z' })).toBeNull();
	});
	test('never while typing, never with Ctrl/Cmd/Alt', () => {
		expect(shortcutFor({ key: 'j', target: el('INPUT', { type: 'search' }) })).toBeNull();
		expect(shortcutFor({ key: 'j', target: el('TEXTAREA') })).toBeNull();
		expect(shortcutFor({ key: 'j', target: el('DIV', { isContentEditable: true }) })).toBeNull();
		expect(shortcutFor({ key: 'j', target: el('INPUT', { type: 'checkbox' }) })).toBe('next');
		expect(shortcutFor({ key: 'r', ctrlKey: true })).toBeNull();
		expect(isTypingTarget(el('select'))).toBe(true);
	});
	test('every shortcut has a French label and a unique key', () => {
		const keys = SHORTCUTS.flatMap((s) => s.keys);
		expect(new Set(keys).size).toBe(keys.length);
		for (const s of SHORTCUTS) expect(s.label).toMatch(/^[A-ZÉ]/);
	});
});
