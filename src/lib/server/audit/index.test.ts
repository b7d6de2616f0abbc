import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { closeAppDbs } from '../db/app-db.ts';
import { SmtpError } from '../errors.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'audit-app-'));

beforeAll(() => {
	vi.stubEnv('CONFRERE_DATA_DIR', dataDir);
	vi.stubEnv('SESSION_SECRET', 'a'.repeat(40));
	vi.stubEnv('MSS_IMAP_HOST', 'imap.example');
	vi.stubEnv('MSS_SMTP_HOST', 'smtp.example');
	vi.stubEnv('MSS_TRUST_ANCHORS', 'certs/anchors');
	vi.stubEnv('AUDIT_RETENTION_DAYS', '30');
});
afterAll(() => {
	vi.unstubAllEnvs();
	closeAppDbs();
	rmSync(dataDir, { recursive: true, force: true });
});

describe('audited()', () => {
	it('writes exactly one entry per operation, with the server reply on failure', async () => {
		const { audited, getAuditLog } = await import('./index.ts');
		const base = { actor: 'psc:19900000001', mailbox: 'a@b.test', action: 'send' as const };

		await expect(
			audited(
				{ ...base, request: 'SMTP 2 destinataires' },
				() => Promise.resolve('queued'),
				(r) => `250 ${r}`
			)
		).resolves.toBe('queued');
		const refusal = new SmtpError('SMTP_REJECTED', 'Refus', {
			transient: false,
			serverReply: '550 5.7.1 Relaying denied',
			details: { responseCode: 550 }
		});
		await expect(
			audited({ ...base, request: 'SMTP 1 destinataire' }, () => Promise.reject(refusal))
		).rejects.toBe(refusal);

		const log = getAuditLog();
		const { entries, total } = log.query();
		expect(total).toBe(2);
		expect(entries.map((e) => [e.outcome, e.answer])).toEqual([
			['failure', 'SMTP_REJECTED 550 5.7.1 Relaying denied'],
			['ok', '250 queued']
		]);
		expect(log.retentionMs).toBe(30 * 86_400_000);
		expect(log.verify().ok).toBe(true);
	});
});
