/**
 * Server-side IMAP search against the lab's Dovecot: header criteria, flags, dates, the body
 * search and its time budget, every folder, and header search over a big mailbox (at least
 * 10 000 messages: seeded here on a fresh lab, 100 000 after `npm run lab -- seed-big`).
 * Assertions are on results, never on time.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rootLogger } from '../../src/lib/server/log.ts';
import { MailboxConnection } from '../../src/lib/server/mail/imap/connection.ts';
import { listFolders } from '../../src/lib/server/mail/imap/folders.ts';
import { searchAllFolders, searchMessages } from '../../src/lib/server/mail/imap/search.ts';
import { readLabInfo, type LabInfo } from '../lab/lab.ts';
import { seedBigMailbox } from '../lab/seed/big-mailbox.ts';

const BIG_MAILBOX_MIN = 10_000;

const dataDir = mkdtempSync(path.join(tmpdir(), 'confrere-search-'));
let lab: LabInfo;
let jeanne: MailboxConnection;
let bench: MailboxConnection;

function connect(prefix: string): MailboxConnection {
	const account = lab.accounts.find((a) => a.address.startsWith(prefix));
	if (!account) throw new Error(`missing lab account ${prefix}`);
	return new MailboxConnection({
		endpoint: { host: lab.imap.host, port: lab.imap.port, security: 'starttls' },
		auth: { kind: 'password', user: account.address, password: account.password },
		anchors: [readFileSync(lab.caFile, 'utf8')],
		dataDir,
		logger: rootLogger
	});
}

beforeAll(async () => {
	lab = readLabInfo();
	jeanne = connect('jeanne.martin@');
	bench = connect('bench@');
	const existing = await bench.run(async (client) => {
		const status = await client.status('INBOX', { messages: true });
		return status ? (status.messages ?? 0) : 0;
	});
	if (existing < BIG_MAILBOX_MIN) {
		await seedBigMailbox({
			info: lab,
			user: `bench@${lab.domain}`,
			count: BIG_MAILBOX_MIN - existing
		});
	}
}, 120_000);

afterAll(async () => {
	await jeanne?.close();
	await bench?.close();
});

describe('searchMessages (jeanne, INBOX)', () => {
	test('free text matches the subject, newest first', async () => {
		const result = await searchMessages(jeanne, { folder: 'INBOX', query: { text: 'Léo' } });
		expect(result.total).toBeGreaterThan(0);
		expect(result.messages.length).toBe(Math.min(result.total, 50));
		for (const m of result.messages) expect(m.subject).toContain('Léo');
		const uids = result.messages.map((m) => m.uid);
		expect([...uids].sort((a, b) => b - a)).toEqual(uids);
		expect(result.bodyTimedOut).toBe(false);
	});

	test('free text matches the sender too (FROM OR TO OR SUBJECT)', async () => {
		const result = await searchMessages(jeanne, { folder: 'INBOX', query: { text: 'nguyen' } });
		expect(result.total).toBeGreaterThan(0);
		for (const m of result.messages) {
			const haystack = [m.from?.address, m.from?.name, ...m.to.map((t) => t.address), m.subject]
				.join(' ')
				.toLowerCase();
			expect(haystack).toContain('nguyen');
		}
	});

	test('sender field and attachment approximation', async () => {
		const fromPaul = await searchMessages(jeanne, {
			folder: 'INBOX',
			query: { from: 'paul.durand' }
		});
		expect(fromPaul.total).toBeGreaterThan(0);
		for (const m of fromPaul.messages) expect(m.from?.address).toMatch(/^paul\.durand@/);
		const withAttachment = await searchMessages(jeanne, {
			folder: 'INBOX',
			query: { from: 'paul.durand', hasAttachment: true }
		});
		expect(withAttachment.total).toBeGreaterThan(0);
		expect(withAttachment.total).toBeLessThanOrEqual(fromPaul.total);
		for (const m of withAttachment.messages) expect(m.hasAttachments).toBe(true);
	});

	test('limit bounds the fetched messages, not the total', async () => {
		const result = await searchMessages(jeanne, {
			folder: 'INBOX',
			query: { since: new Date('2000-01-01') },
			limit: 2
		});
		expect(result.total).toBeGreaterThan(2);
		expect(result.messages.length).toBe(2);
	});

	test('dates and unread', async () => {
		const none = await searchMessages(jeanne, {
			folder: 'INBOX',
			query: { before: new Date('2000-01-01') }
		});
		expect(none).toMatchObject({ total: 0, messages: [] });
		const unread = await searchMessages(jeanne, { folder: 'INBOX', query: { isUnread: true } });
		for (const m of unread.messages) expect(m.isSeen).toBe(false);
	});

	test('body search finds words only in the text, when asked', async () => {
		const word = 'rééducation';
		const headersOnly = await searchMessages(jeanne, { folder: 'INBOX', query: { text: word } });
		expect(headersOnly.total).toBe(0);
		const withBody = await searchMessages(jeanne, {
			folder: 'INBOX',
			query: { text: word },
			bodySearch: true
		});
		expect(withBody.total).toBeGreaterThan(0);
		expect(withBody.bodyTimedOut).toBe(false);
	});

	test('an unknown folder is a MAILBOX_NOT_FOUND error', async () => {
		await expect(
			searchMessages(jeanne, { folder: 'Nexistepas', query: { text: 'x' } })
		).rejects.toMatchObject({ code: 'MAILBOX_NOT_FOUND' });
	});

	test('every folder, results capped', async () => {
		const folders = await listFolders(jeanne);
		const all = await searchAllFolders(jeanne, folders, { query: { text: 'Léo' }, limit: 3 });
		expect(all.total).toBeGreaterThan(0);
		const shown = all.results.reduce((n, r) => n + r.messages.length, 0);
		expect(shown).toBeLessThanOrEqual(3);
		expect(all.results.some((r) => r.path === 'Sent')).toBe(true);
	});
});

describe('searchMessages (bench, a big mailbox)', () => {
	test('a header search returns the count and only the newest page', async () => {
		const result = await searchMessages(bench, {
			folder: 'INBOX',
			query: { subject: 'dossier 12' },
			limit: 5
		});
		expect(result.total).toBeGreaterThan(5);
		expect(result.messages.length).toBe(5);
		for (const m of result.messages) expect(m.subject).toContain('dossier 12');
	});

	test('a body search past its budget returns the header results, and the connection recovers', async () => {
		const result = await searchMessages(bench, {
			folder: 'INBOX',
			query: { text: 'dossier 12' },
			bodySearch: true,
			bodyBudgetMs: 1,
			limit: 5
		});
		expect(result.bodyTimedOut).toBe(true);
		expect(result.total).toBeGreaterThan(0);
		for (const m of result.messages) expect(m.subject).toContain('dossier 12');
		const again = await searchMessages(bench, {
			folder: 'INBOX',
			query: { subject: 'dossier 12' },
			limit: 1
		});
		expect(again.messages.length).toBe(1);
	});
});
