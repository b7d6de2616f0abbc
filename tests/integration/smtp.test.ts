/**
 * Composing and submitting through the lab's real Postfix (STARTTLS, SASL, DSN), then reading the
 * delivered message back over IMAP: the MSSanté headers arrive as composed.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rootLogger } from '../../src/lib/server/log.ts';
import { MailboxConnection } from '../../src/lib/server/mail/imap/connection.ts';
import { fetchMessage } from '../../src/lib/server/mail/imap/message.ts';
import {
	composeMessage,
	replyReferences,
	type OutgoingMessage
} from '../../src/lib/server/mail/smtp/compose.ts';
import { submitMessage } from '../../src/lib/server/mail/smtp/transport.ts';
import { readLabInfo, type LabAccount, type LabInfo } from '../lab/lab.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'confrere-trust-'));
let lab: LabInfo;
let sender: LabAccount;
let recipient: LabAccount;
let inbox: MailboxConnection;

function account(prefix: string): LabAccount {
	const found = lab.accounts.find((a) => a.address.startsWith(prefix));
	if (!found) throw new Error(`missing lab account ${prefix}`);
	return found;
}

async function waitForMessageId(connection: MailboxConnection, messageId: string): Promise<number> {
	for (let i = 0; i < 100; i++) {
		const uids = await connection.inFolder('INBOX', async (client) => {
			const found = await client.search({ header: { 'message-id': messageId } }, { uid: true });
			return found || [];
		});
		if (uids.length) return uids[0]!;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error(`message ${messageId} not delivered`);
}

function outgoing(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
	return {
		from: { address: sender.address, displayName: 'Dr_Jeanne_MARTIN_Cabinet médical Martin' },
		to: [recipient.address],
		cc: [],
		bcc: [],
		subject: 'Adressage — consultation de cardiologie',
		text: 'Cher confrère,\r\nJe vous adresse une patiente fictive pour avis.\r\nBien confraternellement.',
		html: '<p>Cher confrère,</p><p>Je vous adresse une patiente fictive pour avis.</p><p>Bien confraternellement.</p>',
		attachments: [
			{ filename: 'courrier.txt', contentType: 'text/plain', content: Buffer.from('pièce jointe') }
		],
		requestDeliveryReceipt: true,
		requestReadReceipt: true,
		mssNil: 'CONFRERE-TEST',
		...overrides
	};
}

beforeAll(() => {
	lab = readLabInfo();
	sender = account('jeanne.martin@');
	recipient = account('paul.durand@');
	inbox = new MailboxConnection({
		endpoint: { host: lab.imap.host, port: lab.imap.port, security: 'starttls' },
		auth: { kind: 'password', user: recipient.address, password: recipient.password },
		anchors: [readFileSync(lab.caFile, 'utf8')],
		dataDir,
		logger: rootLogger
	});
});

afterAll(async () => {
	await inbox?.close();
});

describe('sending through the lab', () => {
	test('a message with receipts, X-MSS-NIL and text+HTML arrives as composed (ECO.2.2.x, 2.3.x, 2.4.3)', async () => {
		const composed = await composeMessage(outgoing());
		const result = await submitMessage({
			endpoint: { host: lab.smtp.host, port: lab.smtp.port, security: 'starttls' },
			auth: { kind: 'password', user: sender.address, password: sender.password },
			anchors: [readFileSync(lab.caFile, 'utf8')],
			dataDir,
			raw: composed.raw,
			envelope: composed.envelope,
			dsn: { id: composed.messageId }
		});
		expect(result.accepted).toEqual([recipient.address]);
		const uid = await waitForMessageId(inbox, composed.messageId);
		const received = await fetchMessage(inbox, { folder: 'INBOX', uid });
		expect(received.subject).toBe('Adressage — consultation de cardiologie');
		expect(received.from?.name).toBe('Dr_Jeanne_MARTIN_Cabinet médical Martin');
		expect(received.text).toContain('patiente fictive');
		expect(received.html).toContain('<p>Cher confrère,</p>');
		expect(received.headers.get('disposition-notification-to')).toContain(sender.address);
		expect(received.headers.get('return-receipt-to')).toContain(sender.address);
		expect(received.attachments.map((a) => a.filename)).toEqual(['courrier.txt']);
		const raw = composed.raw.toString('utf8');
		expect(raw).toMatch(/^X-MSS-NIL: CONFRERE-TEST\r?$/m);
		expect(raw).toMatch(/Content-Type: multipart\/alternative/);
		expect(raw).toMatch(/charset=utf-8/i);
	});

	test('a reply carries In-Reply-To and References (ECO.2.2.2)', async () => {
		const first = await composeMessage(
			outgoing({ requestDeliveryReceipt: false, requestReadReceipt: false })
		);
		const references = replyReferences({
			messageId: first.messageId,
			references: ['<root@lab.mssante.test>']
		});
		const reply = await composeMessage(
			outgoing({ subject: 'Re : Adressage', inReplyTo: first.messageId, references })
		);
		const raw = reply.raw.toString('utf8');
		expect(raw).toContain(`In-Reply-To: ${first.messageId}`);
		expect(raw).toMatch(
			new RegExp(
				`References: <root@lab\\.mssante\\.test>\\s+${first.messageId.replace(/[.]/g, '\\.')}`
			)
		);
	});

	test('wrong credentials are a permanent SMTP_AUTH error', async () => {
		const composed = await composeMessage(outgoing());
		await expect(
			submitMessage({
				endpoint: { host: lab.smtp.host, port: lab.smtp.port, security: 'starttls' },
				auth: { kind: 'password', user: sender.address, password: 'faux' },
				anchors: [readFileSync(lab.caFile, 'utf8')],
				dataDir,
				raw: composed.raw,
				envelope: composed.envelope
			})
		).rejects.toMatchObject({ code: 'SMTP_AUTH', transient: false });
	});

	test('a message above the size limit is refused with the server reply, not retried', async () => {
		const big = Buffer.alloc(lab.messageSizeLimit + 1024, 65);
		const composed = await composeMessage(
			outgoing({
				attachments: [
					{ filename: 'gros.bin', contentType: 'application/octet-stream', content: big }
				]
			})
		);
		await expect(
			submitMessage({
				endpoint: { host: lab.smtp.host, port: lab.smtp.port, security: 'starttls' },
				auth: { kind: 'password', user: sender.address, password: sender.password },
				anchors: [readFileSync(lab.caFile, 'utf8')],
				dataDir,
				raw: composed.raw,
				envelope: composed.envelope
			})
		).rejects.toMatchObject({ code: 'MESSAGE_TOO_LARGE', transient: false });
	});

	test('an SMTP server that is down is a transient SMTP_CONNECT error', async () => {
		const composed = await composeMessage(outgoing());
		await expect(
			submitMessage({
				endpoint: { host: '127.0.0.1', port: 1, security: 'starttls' },
				auth: { kind: 'password', user: sender.address, password: sender.password },
				anchors: [readFileSync(lab.caFile, 'utf8')],
				dataDir,
				raw: composed.raw,
				envelope: composed.envelope
			})
		).rejects.toMatchObject({ code: 'SMTP_CONNECT', transient: true });
	});
});
