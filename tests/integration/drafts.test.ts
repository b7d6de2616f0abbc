/**
 * Drafts against the lab's Dovecot: a save APPENDs the new version and deletes the previous UID
 * (one copy in Drafts), a draft reopens with its fields and attachments, forward as attachment
 * carries the original as message/rfc822, and a message over the limit is refused while the
 * previous draft stays.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readLabInfo } from '../lab/lab.ts';
import { labAppEnv } from '../support/app-server.ts';
import type { Session } from '../../src/lib/server/session/store.ts';
import type * as ComposerRequest from '../../src/lib/server/mail/composer-request.ts';
import type * as Drafts from '../../src/lib/server/mail/drafts.ts';
import type * as MailboxAccess from '../../src/lib/server/mail/mailbox-access.ts';
import type * as Store from '../../src/lib/server/mail/imap/store.ts';
import type * as Runtime from '../../src/lib/server/runtime.ts';

const MAX = 300_000;
let session: Session;
let modules: {
	request: typeof ComposerRequest;
	drafts: typeof Drafts;
	access: typeof MailboxAccess;
	store: typeof Store;
	runtime: typeof Runtime;
};

beforeAll(async () => {
	const lab = readLabInfo();
	Object.assign(
		process.env,
		labAppEnv(lab, {
			CONFRERE_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'confrere-drafts-')),
			MAX_MESSAGE_BYTES: String(MAX),
			LOG_LEVEL: 'silent'
		})
	);
	modules = {
		request: await import('../../src/lib/server/mail/composer-request.ts'),
		drafts: await import('../../src/lib/server/mail/drafts.ts'),
		access: await import('../../src/lib/server/mail/mailbox-access.ts'),
		store: await import('../../src/lib/server/mail/imap/store.ts'),
		runtime: await import('../../src/lib/server/runtime.ts')
	};
	const account = lab.accounts.find((a) => a.address.startsWith('claire.nguyen@'))!;
	session = {
		key: `drafts-test-${Date.now()}`,
		userLabel: account.address,
		mailboxes: [
			{
				id: 'm1',
				address: account.address,
				displayName: 'Claire Nguyen',
				kind: 'PER',
				auth: { kind: 'password', user: account.address, password: account.password }
			}
		],
		createdAt: Date.now(),
		lastSeenAt: Date.now()
	};
});

afterAll(async () => {
	await modules?.runtime.shutdownRuntime();
});

async function draftUids(subject: string): Promise<number[]> {
	const connection = modules.access.mailboxConnection(session, 'm1');
	const drafts = await modules.store.folderByRole(connection, 'drafts');
	return connection.inFolder(drafts, async (client) => {
		const found = await client.search({ subject }, { uid: true });
		return found || [];
	});
}

function form(fields: Record<string, string | string[]>, files: File[] = []): FormData {
	const data = new FormData();
	for (const [key, value] of Object.entries(fields)) {
		for (const v of Array.isArray(value) ? value : [value]) data.append(key, v);
	}
	for (const file of files) data.append('pj', file);
	return data;
}

const save = (data: FormData) =>
	modules.request.saveComposerDraft(session, 'm1', data, {
		mssNil: 'CONFRERE-TEST',
		maxBytes: MAX
	});

describe('drafts in the Drafts folder', () => {
	test('autosave replaces the previous version, and the draft reopens whole', async () => {
		const subject = `Brouillon ${Date.now()}`;
		const pdf = new File([Buffer.from('%PDF-1.4 essai')], 'courrier.pdf', {
			type: 'application/pdf'
		});
		const first = await save(
			form(
				{
					a: 'paul.durand@lab.mssante.test, pas-fini',
					cc: 'jeanne.martin@lab.mssante.test',
					cci: 'lgc@cabinet-martin.lab.mssante.test',
					objet: subject,
					message: 'Première version',
					accuse_lecture: 'on',
					parent: 'INBOX:1'
				},
				[pdf]
			)
		);
		expect(first.values.draft).toMatch(/^\d+$/);
		expect(first.attachments.map((a) => a.filename)).toEqual(['courrier.pdf']);
		expect(await draftUids(subject)).toEqual([Number(first.values.draft)]);

		const second = await save(
			form({
				a: 'paul.durand@lab.mssante.test',
				cc: 'jeanne.martin@lab.mssante.test',
				cci: 'lgc@cabinet-martin.lab.mssante.test',
				objet: subject,
				message: 'Deuxième version\nsur deux lignes',
				accuse_lecture: 'on',
				parent: 'INBOX:1',
				brouillon: first.values.draft,
				garder: '0'
			})
		);
		expect(second.values.draft).not.toBe(first.values.draft);
		// Exactly one copy: the old UID is gone.
		expect(await draftUids(subject)).toEqual([Number(second.values.draft)]);

		const reopened = await modules.drafts.openDraft(
			session,
			'm1',
			Number(second.values.draft),
			MAX
		);
		expect(reopened.values).toMatchObject({
			to: 'paul.durand@lab.mssante.test',
			cc: 'jeanne.martin@lab.mssante.test',
			bcc: 'lgc@cabinet-martin.lab.mssante.test',
			subject,
			text: 'Deuxième version\nsur deux lignes',
			parent: 'INBOX:1',
			readReceipt: true,
			deliveryReceipt: false,
			draft: second.values.draft
		});
		expect(reopened.attachments).toEqual([
			{ index: 0, filename: 'courrier.pdf', contentType: 'application/pdf', size: 14 }
		]);

		// Removing the attachment: the next version has none.
		const third = await save(
			form({ a: '', objet: subject, message: '', brouillon: second.values.draft })
		);
		const empty = await modules.drafts.openDraft(session, 'm1', Number(third.values.draft), MAX);
		expect(empty.attachments).toEqual([]);
		expect(empty.values.text).toBe('');
		expect(await draftUids(subject)).toEqual([Number(third.values.draft)]);
	});

	test('forward as attachment keeps the original as message/rfc822', async () => {
		const subject = `Fwd: transfert ${Date.now()}`;
		const connection = modules.access.mailboxConnection(session, 'm1');
		const inboxUid = await connection.inFolder('INBOX', async (client) => {
			const all = await client.search({ all: true }, { uid: true });
			return (all || [])[0];
		});
		expect(inboxUid).toBeTypeOf('number');
		const saved = await save(form({ objet: subject, message: '', transfert: `INBOX:${inboxUid}` }));
		expect(saved.attachments).toHaveLength(1);
		expect(saved.attachments[0]!.contentType).toBe('message/rfc822');
		expect(saved.attachments[0]!.filename).toMatch(/\.eml$/);
		expect(saved.values.forward).toBe('');
		const kept = await modules.drafts.keptAttachments(
			session,
			'm1',
			Number(saved.values.draft),
			[0],
			MAX
		);
		expect(kept[0]!.content.toString()).toMatch(
			/^(Return-Path|Received|From|Message-ID|Date|To|Subject|MIME|Content|X-)/im
		);
	});

	test('over the limit: refused in French, the previous draft is kept', async () => {
		const subject = `Trop gros ${Date.now()}`;
		const first = await save(form({ objet: subject, message: 'Texte gardé' }));
		const big = new File([Buffer.alloc(MAX)], 'scanner.bin');
		const refused = await save(
			form({ objet: subject, message: 'Texte gardé', brouillon: first.values.draft }, [big])
		).then(
			() => null,
			(error: unknown) => error as { code: string; message: string }
		);
		expect(refused?.code).toBe('MESSAGE_TOO_LARGE');
		expect(refused?.message).toMatch(
			/^Le message ferait 0,4 Mo, au-delà de la taille maximale de 0,3 Mo/
		);
		expect(await draftUids(subject)).toEqual([Number(first.values.draft)]);
	});
});
