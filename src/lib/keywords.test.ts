import { describe, expect, test } from 'vitest';
import { keywordFromLabel, keywordInfo, messageKeywords, PREDEFINED_KEYWORDS } from './keywords.ts';

describe('keywords', () => {
	test('predefined labels map to their atoms, whatever the case and spacing', () => {
		expect(keywordFromLabel('  à   RAPPELER ')).toEqual({
			ok: true,
			atom: '$ARappeler',
			label: 'À rappeler'
		});
		expect(keywordFromLabel('Urgent')).toMatchObject({ ok: true, atom: '$Urgent' });
		expect(keywordInfo('$label1')?.label).toBe('Important');
	});

	test('user labels round-trip through a readable IMAP atom', () => {
		for (const label of [
			'Suivi dossier',
			'Réunion équipe',
			'Pédiatrie_2',
			'Cas n°3',
			'CR-opératoire'
		]) {
			const result = keywordFromLabel(label);
			if (!result.ok) throw new Error(result.error);
			expect(result.atom).toMatch(/^[A-Za-z0-9_-]+$/);
			expect(keywordInfo(result.atom)).toEqual({ atom: result.atom, label, tone: 'neutral' });
		}
		expect(keywordFromLabel('Suivi dossier')).toMatchObject({ atom: 'Suivi_20dossier' });
	});

	test('bad labels get a French reason', () => {
		expect(keywordFromLabel('   ')).toEqual({ ok: false, error: 'Donnez un nom à l’étiquette.' });
		expect(keywordFromLabel('x'.repeat(31))).toMatchObject({ ok: false });
		expect(keywordFromLabel('a\u0007b')).toMatchObject({ ok: false });
		// 30 characters, but each takes 6 bytes of atom: over Dovecot's 50.
		expect(keywordFromLabel('é'.repeat(30))).toMatchObject({ ok: false });
	});

	test('system flags and protocol keywords are not labels', () => {
		for (const atom of ['\\Seen', '$Forwarded', '$MDNSent', '$Junk', 'NonJunk', 'Junk', ''])
			expect(keywordInfo(atom)).toBeNull();
		// A foreign keyword that is not our encoding is shown as it is.
		expect(keywordInfo('Work_ZZ')?.label).toBe('Work_ZZ');
	});

	test('a message’s labels: predefined first, in their order, then alphabetical', () => {
		const labels = messageKeywords([
			'\\Seen',
			'Zeta',
			'$ARappeler',
			'alpha',
			'$Urgent',
			'$MDNSent'
		]);
		expect(labels.map((k) => k.label)).toEqual(['Urgent', 'À rappeler', 'alpha', 'Zeta']);
		expect(PREDEFINED_KEYWORDS.every((k) => k.atom.length <= 50)).toBe(true);
	});
});
