/**
 * The list's IMAP commands against the lab's real Dovecot: SORT (REVERSE DATE), THREAD REFERENCES,
 * filters, and bulk actions on UID sets. Each run appends its own messages to a folder of its own
 * (created and removed here), so the seeded mailboxes are left as they were.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readListParams } from '../../src/lib/list-types.ts';
import { rootLogger } from '../../src/lib/server/log.ts';
import { runBulk } from '../../src/lib/server/mail/bulk.ts';
import { MailboxConnection } from '../../src/lib/server/mail/imap/connection.ts';
import { listView } from '../../src/lib/server/mail/imap/list-view.ts';
import { loadConversation } from '../../src/lib/server/mail/imap/conversation.ts';
import { uidSort, uidThread, threadUids } from '../../src/lib/server/mail/imap/sort-thread.ts';
import { readLabInfo } from '../lab/lab.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'confrere-list-'));
const folder = `Essai-liste-${process.pid}`;
const target = `${folder}-cible`;
let connection: MailboxConnection;
let jeanne: MailboxConnection;
let address = '';

function message(options: {
	id: string;
	subject: string;
	date: string;
	inReplyTo?: string;
	attachment?: boolean;
}): string {
	const headers = [
		`From: Dr Test <paul.durand@lab.mssante.test>`,
		`To: ${address}`,
		`Subject: ${options.subject}`,
		`Date: ${options.date}`,
		`Message-ID: <${options.id}@essai.lab.mssante.test>`,
		...(options.inReplyTo
			? [
					`In-Reply-To: <${options.inReplyTo}@essai.lab.mssante.test>`,
					`References: <${options.inReplyTo}@essai.lab.mssante.test>`
				]
			: []),
		'MIME-Version: 1.0'
	];
	if (!options.attachment)
		return [...headers, 'Content-Type: text/plain; charset=utf-8', '', 'Texte.', ''].join('\r\n');
	return [
		...headers,
		'Content-Type: multipart/mixed; boundary="b1"',
		'',
		'--b1',
		'Content-Type: text/plain; charset=utf-8',
		'',
		'Voir pièce jointe.',
		'--b1',
		'Content-Type: application/pdf; name="essai.pdf"',
		'Content-Disposition: attachment; filename="essai.pdf"',
		'Content-Transfer-Encoding: base64',
		'',
		'JVBERi0xLjQK',
		'--b1--',
		''
	].join('\r\n');
}

beforeAll(async () => {
	const lab = readLabInfo();
	const account = lab.accounts.find((a) => a.address.startsWith('claire.nguyen@'));
	if (!account) throw new Error('missing lab account');
	address = account.address;
	const connect = (user: string, password: string) =>
		new MailboxConnection({
			endpoint: { host: lab.imap.host, port: lab.imap.port, security: 'starttls' },
			auth: { kind: 'password', user, password },
			anchors: [readFileSync(lab.caFile, 'utf8')],
			dataDir,
			logger: rootLogger
		});
	connection = connect(account.address, account.password);
	const doctor = lab.accounts.find((a) => a.address.startsWith('jeanne.martin@'));
	if (!doctor) throw new Error('missing lab account');
	jeanne = connect(doctor.address, doctor.password);
	await connection.run(async (client) => {
		await client.mailboxCreate(folder);
		await client.mailboxCreate(target);
		// Arrival order differs from Date order on purpose.
		const mails: [string, string[]][] = [
			[message({ id: 'a', subject: 'Fil A', date: 'Mon, 02 Nov 2026 09:00:00 +0100' }), ['\\Seen']],
			[message({ id: 'z', subject: 'Plus récent', date: 'Tue, 01 Dec 2026 09:00:00 +0100' }), []],
			[
				message({
					id: 'a2',
					subject: 'RE: Fil A',
					date: 'Tue, 03 Nov 2026 09:00:00 +0100',
					inReplyTo: 'a',
					attachment: true
				}),
				['\\Seen', '\\Flagged']
			],
			[
				message({ id: 'old', subject: 'Ancien', date: 'Thu, 01 Jan 2026 09:00:00 +0100' }),
				['\\Seen']
			]
		];
		for (const [raw, flags] of mails) await client.append(folder, raw, flags);
	});
});

afterAll(async () => {
	await connection
		?.run(async (client) => {
			await client.mailboxDelete(folder).catch(() => {});
			await client.mailboxDelete(target).catch(() => {});
		})
		.catch(() => {});
	await connection?.close();
	await jeanne?.close();
});

const params = (query: string) => readListParams(new URLSearchParams(query));

describe('SORT and THREAD on Dovecot', () => {
	test('UID SORT (REVERSE DATE) and UID THREAD REFERENCES', async () => {
		await connection.inFolder(folder, async (client) => {
			expect(await uidSort(client, { keys: ['DATE'], reverse: true })).toEqual([2, 3, 1, 4]);
			// The window of the newest messages is a sequence-set search key, sent unquoted.
			const windowed = await uidThread(client, { criteria: [{ type: 'SEQUENCE', value: '3:*' }] });
			expect(windowed.flatMap(threadUids).sort()).toEqual([3, 4]);
			const threads = await uidThread(client);
			expect(threads.map(threadUids).sort((a, b) => a[0]! - b[0]!)).toEqual([[1, 3], [2], [4]]);
		});
	});

	test('the list sorted by date, filtered, and paginated', async () => {
		const byDate = await listView(connection, { folder, params: params('tri=date') });
		expect(byDate.messages.map((m) => m.subject)).toEqual([
			'Plus récent',
			'RE: Fil A',
			'Fil A',
			'Ancien'
		]);
		const arrival = await listView(connection, { folder, params: params('') });
		expect(arrival.messages.map((m) => m.uid)).toEqual([4, 3, 2, 1]);
		const unread = await listView(connection, { folder, params: params('filtre=non-lus') });
		expect([unread.total, unread.messages.map((m) => m.uid)]).toEqual([1, [2]]);
		const flagged = await listView(connection, {
			folder,
			params: params('filtre=suivis&tri=date')
		});
		expect(flagged.messages.map((m) => m.uid)).toEqual([3]);
		const attachments = await listView(connection, {
			folder,
			params: params('filtre=pieces-jointes')
		});
		expect(attachments.messages.map((m) => m.uid)).toEqual([3]);
		const second = await listView(connection, {
			folder,
			params: params('tri=date&page=2'),
			pageSize: 3
		});
		expect([second.total, second.messages.map((m) => m.uid)]).toEqual([4, [4]]);
	});

	test('conversations, newest first, with counts', async () => {
		const view = await listView(connection, { folder, params: params('vue=conversations') });
		expect(view.total).toBe(3);
		const summary = view.conversations?.map((c) => [c.lead.uid, c.uids, c.unread]);
		expect(summary).toEqual([
			[4, [4], 0],
			[3, [1, 3], 0],
			[2, [2], 1]
		]);
		expect(view.isThreadWindowed).toBe(false);
	});
});

describe('bulk actions on UID sets', () => {
	const context = () => ({ connection, folder, actor: 'test', mailbox: address });

	test('mark unread / read, flag, move, with one command each', async () => {
		await runBulk(context(), { operation: 'non-lu', uids: [1, 3, 4], target: null });
		let unread = await listView(connection, { folder, params: params('filtre=non-lus') });
		expect(unread.messages.map((m) => m.uid)).toEqual([4, 3, 2, 1]);
		await runBulk(context(), { operation: 'lu', uids: [1, 2, 3, 4], target: null });
		unread = await listView(connection, { folder, params: params('filtre=non-lus') });
		expect(unread.total).toBe(0);
		await runBulk(context(), { operation: 'suivre', uids: [1, 2], target: null });
		const flagged = await listView(connection, { folder, params: params('filtre=suivis') });
		expect(flagged.messages.map((m) => m.uid)).toEqual([3, 2, 1]);
		const moved = await runBulk(context(), { operation: 'deplacer', uids: [1, 2], target });
		expect(moved).toEqual({ info: 'deplaces', count: 2, undo: null });
		const left = await listView(connection, { folder, params: params('') });
		expect(left.messages.map((m) => m.uid)).toEqual([4, 3]);
		const there = await listView(connection, { folder: target, params: params('') });
		expect(there.total).toBe(2);
	});

	test('a refused move leaves everything in place', async () => {
		await expect(
			runBulk(context(), { operation: 'deplacer', uids: [3, 4], target: 'Nexiste/Pas' })
		).rejects.toThrow();
		const still = await listView(connection, { folder, params: params('') });
		expect(still.messages.map((m) => m.uid)).toEqual([4, 3]);
	});
});

describe('a conversation across INBOX and Sent (seeded 4-message thread)', () => {
	test('joins our sent messages to the INBOX thread, oldest first', async () => {
		const view = await listView(jeanne, { folder: 'INBOX', params: params('vue=conversations') });
		const thread = view.conversations?.find((c) => c.lead.subject.includes('Bilan orthophonique'));
		expect(thread?.count).toBe(2);
		const conversation = await loadConversation(jeanne, { folder: 'INBOX', uid: thread!.lead.uid });
		expect(conversation.uids).toEqual(thread!.uids);
		const folders = conversation.messages.map((m) => m.folder);
		expect([...folders].sort()).toEqual(['INBOX', 'INBOX', 'Sent', 'Sent']);
		const subjects = conversation.messages.map((m) => m.summary.subject);
		expect(subjects).toContain('Bilan orthophonique pour Léo, 6 ans');
		const times = conversation.messages.map((m) => Date.parse(m.summary.date ?? ''));
		expect([...times].sort((a, b) => a - b)).toEqual(times);
		// Opened from Sent, the INBOX side joins in the same way.
		const sent = conversation.messages.find((m) => m.folder === 'Sent')!;
		const fromSent = await loadConversation(jeanne, { folder: 'Sent', uid: sent.summary.uid });
		expect(fromSent.messages.map((m) => m.summary.uid)).toEqual(
			conversation.messages.map((m) => m.summary.uid)
		);
	});
});
