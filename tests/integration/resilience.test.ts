/**
 * The IMAP server restarts in the middle of a session (ECO.1.2.7): the pooled request connection
 * and the push connection both come back by themselves, and the next action succeeds.
 * Real Dovecot stopped and started again by the lab.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { rootLogger } from '../../src/lib/server/log.ts';
import type { ImapClientOptions } from '../../src/lib/server/mail/imap/client.ts';
import { listFolders } from '../../src/lib/server/mail/imap/folders.ts';
import { listMessages } from '../../src/lib/server/mail/imap/messages.ts';
import { changeFlags } from '../../src/lib/server/mail/imap/organise.ts';
import { ConnectionPool } from '../../src/lib/server/mail/imap/pool.ts';
import { MailboxWatcher, type MailboxEvent } from '../../src/lib/server/mail/imap/watch.ts';
import { readLabInfo, restartDovecot } from '../lab/lab.ts';
import { waitUntil } from '../lab/process-utils.ts';

let pool: ConnectionPool;
let options: () => ImapClientOptions;

beforeAll(() => {
	const lab = readLabInfo();
	const account = lab.accounts.find((a) => a.address.startsWith('claire.nguyen@'))!;
	const dataDir = mkdtempSync(path.join(tmpdir(), 'confrere-resilience-'));
	options = () => ({
		endpoint: { host: lab.imap.host, port: lab.imap.port, security: 'starttls' },
		auth: { kind: 'password', user: account.address, password: account.password },
		anchors: [readFileSync(lab.caFile, 'utf8')],
		dataDir,
		logger: rootLogger
	});
	pool = new ConnectionPool({ idleCloseMs: 600_000, logger: rootLogger });
});

afterAll(async () => {
	await pool?.closeAll();
});

test('after a Dovecot restart the pool and the push reconnect, the next action succeeds', async () => {
	const connection = pool.get('session:claire', options);
	const before = await listMessages(connection, { folder: 'INBOX', page: 0, pageSize: 5 });
	expect(before.total).toBeGreaterThan(0);

	const watcher = new MailboxWatcher(options());
	const events: MailboxEvent['kind'][] = [];
	const unsubscribe = watcher.subscribe((event) => events.push(event.kind));
	try {
		expect(await waitUntil(() => events.includes('ready'), 30_000)).toBe(true);

		await restartDovecot({
			whileDown: async () => {
				// The push connection says it is lost; a request fails with a French message.
				expect(await waitUntil(() => events.includes('lost'), 30_000)).toBe(true);
				expect(watcher.isLost).toBe(true);
				const failure = await listFolders(connection).then(
					() => null,
					(error: unknown) => error as { code?: string }
				);
				expect(failure?.code).toMatch(/^IMAP_(CONNECT|DISCONNECTED)$/);
			}
		});

		// Same pooled connection object: it reconnects by itself (backoff, no login storm).
		expect(pool.get('session:claire', options)).toBe(connection);
		const after = await listMessages(connection, { folder: 'INBOX', page: 0, pageSize: 5 });
		expect(after.total).toBe(before.total);
		const uid = after.messages[0]!.uid;
		const flagged = after.messages[0]!.isFlagged;
		await changeFlags(connection, {
			folder: 'INBOX',
			uids: [uid],
			change: { flag: '\\Flagged', isSet: !flagged }
		});
		await changeFlags(connection, {
			folder: 'INBOX',
			uids: [uid],
			change: { flag: '\\Flagged', isSet: flagged }
		});

		// The push connection is back ("rétablie"): a second `ready` after `lost`.
		expect(
			await waitUntil(() => events.lastIndexOf('ready') > events.indexOf('lost'), 45_000)
		).toBe(true);
		expect(watcher.isLost).toBe(false);
	} finally {
		unsubscribe();
		watcher.stop();
	}
});
