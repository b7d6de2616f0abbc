/**
 * The webmail's IMAP layer against the lab's real Dovecot, over STARTTLS with only the lab's
 * test IGC-Santé chain trusted.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rootLogger } from '../../src/lib/server/log.ts';
import { MailboxConnection } from '../../src/lib/server/mail/imap/connection.ts';
import { listFolders } from '../../src/lib/server/mail/imap/folders.ts';
import { fetchMessage, streamPart } from '../../src/lib/server/mail/imap/message.ts';
import { listMessages } from '../../src/lib/server/mail/imap/messages.ts';
import { readLabInfo, type LabInfo } from '../lab/lab.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'confrere-trust-'));
let lab: LabInfo;
let connection: MailboxConnection;

function connect(address: string, password: string): MailboxConnection {
	return new MailboxConnection({
		endpoint: { host: lab.imap.host, port: lab.imap.port, security: 'starttls' },
		auth: { kind: 'password', user: address, password },
		anchors: [readFileSync(lab.caFile, 'utf8')],
		dataDir,
		logger: rootLogger
	});
}

beforeAll(() => {
	lab = readLabInfo();
	const account = lab.accounts.find((a) => a.address.startsWith('jeanne.martin@'));
	if (!account) throw new Error('missing lab account');
	connection = connect(account.address, account.password);
});

afterAll(async () => {
	await connection?.close();
});

describe('IMAP layer', () => {
	test('lists folders with their special-use roles and counts', async () => {
		const folders = await listFolders(connection);
		const roles = folders.map((f) => f.specialUse);
		expect(roles.slice(0, 1)).toEqual(['inbox']);
		for (const role of ['drafts', 'sent', 'trash', 'junk', 'archive'] as const)
			expect(roles).toContain(role);
		const inbox = folders[0];
		expect(inbox?.messages).toBeGreaterThan(0);
	});

	test('pages the INBOX newest first in one fetch', async () => {
		const page = await listMessages(connection, { folder: 'INBOX', page: 0, pageSize: 3 });
		expect(page.total).toBeGreaterThan(0);
		expect(page.messages.length).toBe(Math.min(3, page.total));
		const seqs = page.messages.map((m) => m.seq);
		expect([...seqs].sort((a, b) => b - a)).toEqual(seqs);
		expect(page.messages[0]?.from?.address).toMatch(/@/);
		const beyond = await listMessages(connection, { folder: 'INBOX', page: 10_000 });
		expect(beyond.messages).toEqual([]);
	});

	test('opens a message: text parts only, attachments listed with part ids and streamable', async () => {
		const page = await listMessages(connection, { folder: 'INBOX', page: 0, pageSize: 100 });
		const withAttachment = page.messages.find((m) => m.hasAttachments);
		expect(withAttachment).toBeDefined();
		const message = await fetchMessage(connection, { folder: 'INBOX', uid: withAttachment!.uid });
		expect(message.text ?? message.html).toBeTruthy();
		expect(message.flags.has('\\Seen')).toBe(true);
		const attachment = message.attachments[0];
		expect(attachment?.partId).toMatch(/^\d+(\.\d+)*$/);
		const part = await streamPart(connection, {
			folder: 'INBOX',
			uid: message.uid,
			partId: attachment!.partId
		});
		let bytes = 0;
		for await (const chunk of part.content) bytes += (chunk as Buffer).length;
		expect(bytes).toBeGreaterThan(0);
	});

	test('an unknown folder or message gives our own error, not a crash', async () => {
		await expect(
			listMessages(connection, { folder: 'N’existe pas', page: 0 })
		).rejects.toMatchObject({
			code: 'MAILBOX_NOT_FOUND'
		});
		await expect(fetchMessage(connection, { folder: 'INBOX', uid: 999_999 })).rejects.toMatchObject(
			{
				code: 'MESSAGE_NOT_FOUND'
			}
		);
	});

	test('a wrong password is IMAP_AUTH and leaves other mailboxes working (ECO.1.2.3)', async () => {
		const wrong = connect(lab.accounts[0]!.address, 'wrong-password');
		await expect(listFolders(wrong)).rejects.toMatchObject({ code: 'IMAP_AUTH' });
		await wrong.close();
		await expect(listFolders(connection)).resolves.not.toHaveLength(0);
	});

	test('trusting another CA refuses the operator (ECO.1.1.10)', async () => {
		const foreign = new MailboxConnection({
			endpoint: { host: lab.imap.host, port: lab.imap.port, security: 'starttls' },
			auth: {
				kind: 'password',
				user: lab.accounts[0]!.address,
				password: lab.accounts[0]!.password
			},
			anchors: [readFileSync(lab.pki.foreignRootCertFile, 'utf8')],
			dataDir,
			logger: rootLogger
		});
		await expect(listFolders(foreign)).rejects.toMatchObject({ code: 'IMAP_CONNECT' });
		await foreign.close();
	});
});
