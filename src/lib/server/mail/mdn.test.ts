import { parseMessage } from './mime/parse.ts';
import { describe, expect, test } from 'vitest';
import { MDN_ERROR_CODES, type MdnErrorCode } from '../mssante/mdn-codes.ts';
import {
	buildMdn,
	dispositionReport,
	encodeHeaderText,
	headerAddress,
	MDN_SENT_KEYWORD,
	receiptNeedsConfirmation,
	receiptOffer,
	type MdnInput
} from './mdn.ts';

const base: MdnInput = {
	from: { address: 'jeanne.martin@lab.mssante.test', displayName: 'Dr Jeanne Martin' },
	to: 'paul.durand@lab.mssante.test',
	original: { messageId: '<orig-1@lab.mssante.test>', subject: 'Résultats du bilan' },
	kind: { type: 'displayed' },
	date: new Date('2026-12-03T10:00:00Z')
};

/** Splits a raw multipart/report into its parts (headers + body text). */
function parts(raw: string): { head: string; body: string }[] {
	const boundary = /boundary="([^"]+)"/.exec(raw)![1]!;
	return raw
		.split(`--${boundary}`)
		.slice(1, -1)
		.map((chunk) => {
			const text = chunk.replace(/^\r\n/, '');
			const split = text.indexOf('\r\n\r\n');
			// The CRLF before the next delimiter belongs to the delimiter (RFC 2046).
			return { head: text.slice(0, split), body: text.slice(split + 4).replace(/\r\n$/, '') };
		});
}

describe('read receipt MDN (RFC 8098)', () => {
	test('multipart/report with a French text part and the disposition-notification part', async () => {
		const mdn = buildMdn(base);
		const raw = mdn.raw.toString('utf8');
		expect(raw).toMatch(
			/^Content-Type: multipart\/report; report-type=disposition-notification;\r\n boundary="/m
		);
		expect(raw).toContain('To: paul.durand@lab.mssante.test\r\n');
		expect(raw).toContain('In-Reply-To: <orig-1@lab.mssante.test>\r\n');
		expect(raw).toContain('Auto-Submitted: auto-replied\r\n');
		expect(raw).not.toMatch(/^Disposition-Notification-To:/im);
		const [human, report, ...rest] = parts(raw);
		expect(rest).toHaveLength(0);
		expect(human!.head).toContain('Content-Type: text/plain; charset=utf-8');
		expect(Buffer.from(human!.body, 'base64').toString('utf8')).toContain(
			'a été affiché par son destinataire'
		);
		expect(report!.head).toContain('Content-Type: message/disposition-notification');
		expect(report!.body).toBe(
			[
				'Reporting-UA: lab.mssante.test; Confrere',
				'Original-Recipient: rfc822;jeanne.martin@lab.mssante.test',
				'Final-Recipient: rfc822;jeanne.martin@lab.mssante.test',
				'Original-Message-ID: <orig-1@lab.mssante.test>',
				'Disposition: manual-action/MDN-sent-manually; displayed',
				''
			].join('\r\n')
		);
		const parsed = await parseMessage(mdn.raw);
		expect(parsed.subject).toBe('Accusé de lecture : Résultats du bilan');
		expect(parsed.messageId).toBe(mdn.messageId);
		expect(mdn.envelope).toEqual({
			from: 'jeanne.martin@lab.mssante.test',
			to: ['paul.durand@lab.mssante.test']
		});
	});

	test('uses the original Original-Recipient when the message had one', () => {
		const report = dispositionReport({
			...base,
			original: { ...base.original, originalRecipient: 'cabinet@lab.mssante.test' }
		});
		expect(report).toContain('Original-Recipient: rfc822;cabinet@lab.mssante.test\r\n');
		expect(report).toContain('Final-Recipient: rfc822;jeanne.martin@lab.mssante.test\r\n');
	});

	test('no header injection through the subject, addresses or message id', () => {
		const mdn = buildMdn({
			...base,
			original: {
				messageId: 'x@y\r\nBcc: evil@example.test',
				subject: 'a\r\nBcc: evil@example.test'
			}
		});
		expect(mdn.raw.toString('utf8')).not.toMatch(/^Bcc:/im);
		expect(() => buildMdn({ ...base, to: 'a@b\r\nBcc: c@d' })).toThrow();
	});

	test('long non-ASCII subjects are folded encoded-words', () => {
		const encoded = encodeHeaderText('é'.repeat(100));
		for (const line of encoded.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
		expect(encoded.startsWith('=?UTF-8?B?')).toBe(true);
	});
});

describe('refusal MDN with the ANS integration codes', () => {
	test.each(Object.keys(MDN_ERROR_CODES) as MdnErrorCode[])(
		'code %s: subject, processed/Error disposition and the original attached',
		async (code) => {
			const source = Buffer.from(
				'From: paul.durand@lab.mssante.test\r\nSubject: XDM/1.0/DDM+CR\r\n\r\nCorps\r\n'
			);
			const mdn = buildMdn({
				...base,
				original: { ...base.original, subject: 'XDM/1.0/DDM+Compte rendu', source },
				kind: { type: 'refused', code, comment: 'Patient absent de notre DPI.' }
			});
			expect(mdn.subject).toBe(`[KO Intégration système !][${code}] XDM/1.0/DDM+Compte rendu`);
			const raw = mdn.raw.toString('utf8');
			const [human, report, original] = parts(raw);
			const text = Buffer.from(human!.body, 'base64').toString('utf8');
			expect(text).toContain(`${code} ${MDN_ERROR_CODES[code]}`);
			expect(text).toContain('Patient absent de notre DPI.');
			expect(report!.body).toContain(
				`Disposition: manual-action/MDN-sent-manually; processed/Error: ${code}^${MDN_ERROR_CODES[code]}\r\n`
			);
			expect(original!.head).toBe('Content-Type: message/rfc822');
			expect(original!.body).toContain('Subject: XDM/1.0/DDM+CR');
			const parsed = await parseMessage(mdn.raw);
			expect(parsed.subject).toBe(mdn.subject);
		}
	);

	test('the French label goes 8bit in the report part, ASCII reports stay 7bit', () => {
		const refused = buildMdn({ ...base, kind: { type: 'refused', code: '901' } }).raw.toString();
		expect(refused).toMatch(
			/Content-Type: message\/disposition-notification\r\nContent-Transfer-Encoding: 8bit/
		);
		const shown = buildMdn(base).raw.toString();
		expect(shown).toMatch(
			/Content-Type: message\/disposition-notification\r\nContent-Transfer-Encoding: 7bit/
		);
	});
});

describe('offering a read receipt', () => {
	const headers = (entries: Record<string, string>) => new Map(Object.entries(entries));

	test('offered when asked, with confirmation when the address differs from Return-Path', () => {
		expect(
			receiptOffer({
				headers: headers({
					'disposition-notification-to': 'Dr Paul Durand <paul.durand@lab.mssante.test>',
					'return-path': '<paul.durand@lab.mssante.test>'
				}),
				flags: new Set(['\\Seen'])
			})
		).toEqual({
			to: 'paul.durand@lab.mssante.test',
			returnPath: 'paul.durand@lab.mssante.test',
			needsConfirmation: false
		});
		expect(
			receiptOffer({
				headers: headers({
					'disposition-notification-to': 'tiers@example.test',
					'return-path': '<paul.durand@lab.mssante.test>'
				}),
				flags: new Set()
			})?.needsConfirmation
		).toBe(true);
	});

	test('never offered twice: $MDNSent (any case) or no request', () => {
		const asked = headers({ 'disposition-notification-to': 'paul.durand@lab.mssante.test' });
		expect(receiptOffer({ headers: asked, flags: new Set([MDN_SENT_KEYWORD]) })).toBeNull();
		expect(receiptOffer({ headers: asked, flags: new Set(['$mdnsent']) })).toBeNull();
		expect(receiptOffer({ headers: headers({}), flags: new Set() })).toBeNull();
	});

	test('missing Return-Path needs confirmation; comparison ignores case', () => {
		expect(receiptNeedsConfirmation('a@b.test', null)).toBe(true);
		expect(receiptNeedsConfirmation('A@B.test', 'a@b.TEST')).toBe(false);
		expect(headerAddress('"Durand, Paul" <paul@x.test>')).toBe('paul@x.test');
		expect(headerAddress('<>')).toBeNull();
	});
});
