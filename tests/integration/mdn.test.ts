/**
 * Read receipts and refusals through the lab's real Postfix and Dovecot: Dr Martin sends Dr Durand
 * a message asking for a read receipt (Disposition-Notification-To), Dr Durand's side offers it
 * (Return-Path matches), sends the MDN and marks the message `$MDNSent`; the MDN lands in Dr
 * Martin's INBOX as multipart/report; report-type=disposition-notification with the right parts.
 * Then a refusal with ANS code 902 carrying the original message.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MessageStructureObject } from 'imapflow';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rootLogger } from '../../src/lib/server/log.ts';
import { MailboxConnection } from '../../src/lib/server/mail/imap/connection.ts';
import { fetchMessage } from '../../src/lib/server/mail/imap/message.ts';
import { readMessageSource } from '../../src/lib/server/mail/imap/source.ts';
import { addFlags } from '../../src/lib/server/mail/imap/store.ts';
import { buildMdn, MDN_SENT_KEYWORD, receiptOffer } from '../../src/lib/server/mail/mdn.ts';
import { composeMessage } from '../../src/lib/server/mail/smtp/compose.ts';
import { submitMessage } from '../../src/lib/server/mail/smtp/transport.ts';
import { readLabInfo, type LabAccount, type LabInfo } from '../lab/lab.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'confrere-mdn-'));
let lab: LabInfo;
let martin: LabAccount;
let durand: LabAccount;
let martinBox: MailboxConnection;
let durandBox: MailboxConnection;
const cleanup: { box: () => MailboxConnection; uid: number }[] = [];

function account(prefix: string): LabAccount {
	const found = lab.accounts.find((a) => a.address.startsWith(prefix));
	if (!found) throw new Error(`missing lab account ${prefix}`);
	return found;
}

function connection(who: LabAccount): MailboxConnection {
	return new MailboxConnection({
		endpoint: { host: lab.imap.host, port: lab.imap.port, security: 'starttls' },
		auth: { kind: 'password', user: who.address, password: who.password },
		anchors: [readFileSync(lab.caFile, 'utf8')],
		dataDir,
		logger: rootLogger
	});
}

async function submit(who: LabAccount, raw: Buffer, envelope: { from: string; to: string[] }) {
	return submitMessage({
		endpoint: { host: lab.smtp.host, port: lab.smtp.port, security: 'starttls' },
		auth: { kind: 'password', user: who.address, password: who.password },
		anchors: [readFileSync(lab.caFile, 'utf8')],
		dataDir,
		raw,
		envelope
	});
}

/** Waits (condition-based, bounded) for a message with this Message-ID in the INBOX. */
async function waitFor(box: MailboxConnection, messageId: string): Promise<number> {
	for (let i = 0; i < 300; i++) {
		const uids = await box.inFolder('INBOX', async (client) => {
			await client.noop();
			const found = await client.search({ header: { 'message-id': messageId } }, { uid: true });
			return found || [];
		});
		if (uids.length) return uids[0]!;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error(`message ${messageId} not delivered`);
}

async function structure(box: MailboxConnection, uid: number): Promise<MessageStructureObject> {
	return box.inFolder('INBOX', async (client) => {
		const fetched = await client.fetchOne(String(uid), { bodyStructure: true }, { uid: true });
		if (!fetched || !fetched.bodyStructure) throw new Error('no structure');
		return fetched.bodyStructure;
	});
}

async function part(box: MailboxConnection, uid: number, partId: string): Promise<string> {
	return box.inFolder('INBOX', async (client) => {
		const parts = await client.downloadMany(String(uid), [partId], { uid: true });
		return parts[partId]?.content?.toString('utf8') ?? '';
	});
}

beforeAll(() => {
	lab = readLabInfo();
	martin = account('jeanne.martin@');
	durand = account('paul.durand@');
	martinBox = connection(martin);
	durandBox = connection(durand);
});

afterAll(async () => {
	for (const { box, uid } of cleanup) {
		await box()
			.inFolder('INBOX', (client) => client.messageDelete(String(uid), { uid: true }))
			.catch(() => {});
	}
	await martinBox?.close();
	await durandBox?.close();
});

describe('MDN through the lab', () => {
	let originalUid = 0;
	let originalId = '';

	test('a read receipt reaches the sender as multipart/report and the original gets $MDNSent', async () => {
		const original = await composeMessage({
			from: { address: martin.address, displayName: 'Dr Jeanne Martin' },
			to: [durand.address],
			cc: [],
			bcc: [],
			subject: 'Demande d’avis — accusé de lecture',
			text: 'Cher confrère,\r\nMerci de me confirmer la lecture.\r\n',
			attachments: [],
			requestDeliveryReceipt: false,
			requestReadReceipt: true
		});
		originalId = original.messageId;
		await submit(martin, original.raw, original.envelope);
		originalUid = await waitFor(durandBox, original.messageId);
		cleanup.push({ box: () => durandBox, uid: originalUid });

		const received = await fetchMessage(durandBox, { folder: 'INBOX', uid: originalUid });
		const offer = receiptOffer(received);
		expect(offer).toEqual({
			to: martin.address,
			returnPath: martin.address,
			needsConfirmation: false
		});

		const mdn = buildMdn({
			from: { address: durand.address, displayName: 'Dr Paul Durand' },
			to: offer!.to,
			original: { messageId: received.messageId, subject: received.subject },
			kind: { type: 'displayed' }
		});
		const result = await submit(durand, mdn.raw, mdn.envelope);
		expect(result.accepted).toEqual([martin.address]);
		await addFlags(durandBox, { folder: 'INBOX', uid: originalUid, flags: [MDN_SENT_KEYWORD] });

		const again = await fetchMessage(durandBox, { folder: 'INBOX', uid: originalUid });
		expect([...again.flags]).toContain(MDN_SENT_KEYWORD);
		expect(receiptOffer(again)).toBeNull();

		const mdnUid = await waitFor(martinBox, mdn.messageId);
		cleanup.push({ box: () => martinBox, uid: mdnUid });
		const tree = await structure(martinBox, mdnUid);
		expect(tree.type).toBe('multipart/report');
		expect(tree.parameters?.['report-type']).toBe('disposition-notification');
		expect(tree.childNodes?.map((c) => c.type)).toEqual([
			'text/plain',
			'message/disposition-notification'
		]);
		const report = await part(martinBox, mdnUid, '2');
		expect(report).toContain(`Final-Recipient: rfc822;${durand.address}`);
		expect(report).toContain(`Original-Message-ID: ${originalId}`);
		expect(report).toContain('Disposition: manual-action/MDN-sent-manually; displayed');
		const delivered = await fetchMessage(martinBox, { folder: 'INBOX', uid: mdnUid });
		expect(delivered.subject).toBe('Accusé de lecture : Demande d’avis — accusé de lecture');
		expect(delivered.headers.get('disposition-notification-to')).toBeUndefined();
	});

	test('a refusal with code 902 carries the ANS disposition and the original message', async () => {
		const source = await readMessageSource(durandBox, {
			folder: 'INBOX',
			uid: originalUid,
			maxBytes: 1024 * 1024
		});
		expect(source?.toString('utf8')).toContain(`Message-ID: ${originalId}`);
		const mdn = buildMdn({
			from: { address: durand.address },
			to: martin.address,
			original: { messageId: originalId, subject: 'XDM/1.0/DDM+Compte rendu', source },
			kind: { type: 'refused', code: '902', comment: 'Patient inconnu dans notre DPI.' }
		});
		await submit(durand, mdn.raw, mdn.envelope);
		const uid = await waitFor(martinBox, mdn.messageId);
		cleanup.push({ box: () => martinBox, uid });
		const tree = await structure(martinBox, uid);
		expect(tree.type).toBe('multipart/report');
		expect(tree.childNodes?.map((c) => c.type)).toEqual([
			'text/plain',
			'message/disposition-notification',
			'message/rfc822'
		]);
		const report = await part(martinBox, uid, '2');
		expect(report).toContain(
			'Disposition: manual-action/MDN-sent-manually; processed/Error: 902^Patient inconnu'
		);
		const delivered = await fetchMessage(martinBox, { folder: 'INBOX', uid });
		expect(delivered.subject).toBe('[KO Intégration système !][902] XDM/1.0/DDM+Compte rendu');
		expect(delivered.text).toContain('902 Patient inconnu');
		expect(delivered.text).toContain('Patient inconnu dans notre DPI.');
	});
});
