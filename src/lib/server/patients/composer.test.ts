import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { closeAppDbs } from '../db/app-db.ts';
import { AUTHOR_TEST, PATIENT_PAT_TROIS, tinyPdf } from '../mssante/testing/fixtures.ts';
import { emptyHealthValues } from './health-message.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'health-composer-'));
const OWNER = 'jeanne.martin@lab.mssante.test';

beforeAll(() => {
	vi.stubEnv('CONFRERE_DATA_DIR', dataDir);
	vi.stubEnv('SESSION_SECRET', 'c'.repeat(40));
	vi.stubEnv('MSS_IMAP_HOST', 'imap.example');
	vi.stubEnv('MSS_SMTP_HOST', 'smtp.example');
	vi.stubEnv('MSS_TRUST_ANCHORS', 'certs/anchors');
});
afterAll(() => {
	vi.unstubAllEnvs();
	closeAppDbs();
	rmSync(dataDir, { recursive: true, force: true });
});

describe('sending a health document from the composer', () => {
	it('adds no audit entry of its own (the outbox writes the submission), records the document, prefills RPLC', async () => {
		const { getAuditLog } = await import('../audit/index.ts');
		const { getPatientStore } = await import('./index.ts');
		const { applyHealth, healthPrefill, queueHealthAware } = await import('./composer.ts');
		const store = getPatientStore();
		store.saveAuthor(OWNER, { ...AUTHOR_TEST, mailbox: OWNER });
		const saved = store.save(OWNER, PATIENT_PAT_TROIS);
		if (!saved.ok) throw new Error('patient refused');

		const applied = await applyHealth({
			owner: OWNER,
			values: {
				...emptyHealthValues(),
				patientId: saved.value.id,
				withDocument: true,
				type: '11488-4',
				title: 'Consultation de cardiologie',
				actDate: '2026-11-30'
			},
			pdf: tinyPdf(),
			message: {
				from: { address: OWNER, displayName: 'Dr Jeanne MARTIN' },
				to: ['paul.durand@lab.mssante.test'],
				cc: [],
				bcc: [],
				subject: '',
				text: 'Bonjour',
				attachments: [],
				requestDeliveryReceipt: false,
				requestReadReceipt: false
			}
		});
		if (!applied.ok) throw new Error(JSON.stringify(applied.errors));
		const status = await queueHealthAware({
			owner: OWNER,
			mailbox: OWNER,
			prepared: applied.prepared,
			queue: () => Promise.resolve({ id: 'send-1' })
		});
		expect(status.id).toBe('send-1');

		expect(getAuditLog().query().entries).toHaveLength(0);

		const documentId = applied.prepared!.sent!.document.documentId;
		const prefill = healthPrefill(OWNER, new URLSearchParams({ remplace: documentId }));
		expect(prefill.values).toMatchObject({
			patientId: saved.value.id,
			withDocument: true,
			title: 'Consultation de cardiologie',
			replaces: documentId
		});
		expect(prefill.to).toBe('paul.durand@lab.mssante.test');
		expect(prefill.data.replacing).toEqual({ title: 'Consultation de cardiologie', version: 1 });

		// An ordinary message is queued as it is, without an entry of ours.
		await queueHealthAware({
			owner: OWNER,
			mailbox: OWNER,
			prepared: null,
			queue: () => Promise.resolve({ id: 'send-2' })
		});
		expect(getAuditLog().query().entries).toHaveLength(0);
	});
});
