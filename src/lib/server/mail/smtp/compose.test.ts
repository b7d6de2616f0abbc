import { describe, expect, test } from 'vitest';
import { parseMessage } from '../mime/parse.ts';
import { composeMessage, type OutgoingMessage } from './compose.ts';

function message(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
	return {
		from: { address: 'jeanne.martin@lab.mssante.test', displayName: 'Dr_Jeanne_MARTIN' },
		to: ['paul.durand@lab.mssante.test'],
		cc: [],
		bcc: ['claire.nguyen@lab.mssante.test'],
		subject: 'Essai',
		text: 'Bonjour',
		attachments: [],
		requestDeliveryReceipt: false,
		requestReadReceipt: false,
		...overrides
	};
}

const original = Buffer.from(
	[
		'From: Dr Paul Durand <paul.durand@lab.mssante.test>',
		'To: jeanne.martin@lab.mssante.test',
		'Subject: Compte rendu',
		'Message-ID: <orig-1@lab.mssante.test>',
		'MIME-Version: 1.0',
		'Content-Type: text/plain; charset=utf-8',
		'',
		'Texte d’origine.',
		''
	].join('\r\n')
);

describe('composing', () => {
	test('an empty body still gives a text/plain part (nodemailer would crash on it)', async () => {
		const { raw } = await composeMessage(message({ text: '' }));
		const parsed = await parseMessage(raw);
		expect(raw.toString()).toMatch(/Content-Type: text\/plain; charset=utf-8/);
		expect((parsed.text ?? '').trim()).toBe('');
	});

	test('forward as attachment: a message/rfc822 attachment next to the text part', async () => {
		const { raw } = await composeMessage(
			message({
				subject: 'Fwd: Compte rendu',
				text: '',
				attachments: [
					{ filename: 'Compte rendu.eml', contentType: 'message/rfc822', content: original }
				]
			})
		);
		const text = raw.toString();
		expect(text).toMatch(/Content-Type: multipart\/mixed/);
		expect(text).toMatch(/Content-Type: message\/rfc822/);
		expect(text).toMatch(/Content-Disposition: attachment; filename="Compte rendu.eml"/);
		// A new message: its own Message-ID, not a reply (ECO.2.2.1/2.2.2).
		expect(text).not.toMatch(/^In-Reply-To:/m);
		expect(text).toContain('Message-ID: <orig-1@lab.mssante.test>');
		const parsed = await parseMessage(raw);
		expect(parsed.messageId).not.toBe('<orig-1@lab.mssante.test>');
		expect(parsed.attachments).toHaveLength(1);
		expect(parsed.attachments[0]!.contentType).toBe('message/rfc822');
		expect(parsed.attachments[0]!.content.toString()).toContain('Texte d’origine.');
	});

	test('Bcc is only written in drafts', async () => {
		const sent = await composeMessage(message());
		expect(sent.raw.toString()).not.toMatch(/^Bcc:/im);
		expect(sent.envelope.to).toContain('claire.nguyen@lab.mssante.test');
		const draft = await composeMessage(message({ keepBcc: true }));
		expect(draft.raw.toString()).toMatch(/^Bcc: claire.nguyen@lab.mssante.test/im);
	});
});
