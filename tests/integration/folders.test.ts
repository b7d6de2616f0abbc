/**
 * Folder management and organising against the lab's real Dovecot: create / rename / move /
 * delete folders, special folders protected, keywords, copy and move, emptying Trash.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { keywordFromLabel, messageKeywords } from '../../src/lib/keywords.ts';
import { rootLogger } from '../../src/lib/server/log.ts';
import { MailboxConnection } from '../../src/lib/server/mail/imap/connection.ts';
import {
	createFolder,
	deleteFolder,
	FolderNotEmptyError,
	renameFolder
} from '../../src/lib/server/mail/imap/folder-admin.ts';
import { listFolders } from '../../src/lib/server/mail/imap/folders.ts';
import {
	changeFlags,
	copyMessages,
	emptyFolder,
	moveMessages
} from '../../src/lib/server/mail/imap/organise.ts';
import { appendMessage, folderByRole } from '../../src/lib/server/mail/imap/store.ts';
import { fetchMessage } from '../../src/lib/server/mail/imap/message.ts';
import { listMessages } from '../../src/lib/server/mail/imap/messages.ts';
import { readLabInfo } from '../lab/lab.ts';

let connection: MailboxConnection;
const stamp = Date.now().toString(36);
const created: string[] = [];

function rawMessage(subject: string): Buffer {
	return Buffer.from(
		`From: paul.durand@lab.mssante.test\r\nTo: paul.durand@lab.mssante.test\r\nSubject: ${subject}\r\nDate: ${new Date().toUTCString()}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@lab.mssante.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nMessage de test.\r\n`
	);
}

async function pathsOf(): Promise<string[]> {
	return (await listFolders(connection)).map((f) => f.path);
}

beforeAll(() => {
	const lab = readLabInfo();
	const account = lab.accounts.find((a) => a.address.startsWith('paul.durand@'))!;
	connection = new MailboxConnection({
		endpoint: { host: lab.imap.host, port: lab.imap.port, security: 'starttls' },
		auth: { kind: 'password', user: account.address, password: account.password },
		anchors: [readFileSync(lab.caFile, 'utf8')],
		dataDir: mkdtempSync(path.join(tmpdir(), 'confrere-folders-')),
		logger: rootLogger
	});
});

afterAll(async () => {
	for (const p of created.reverse())
		await deleteFolder(connection, { path: p, confirmed: true }).catch(() => undefined);
	await connection?.close();
});

describe('folders', () => {
	test('create, rename, move under another folder, delete', async () => {
		const name = `Comptes rendus ${stamp}`;
		const top = await createFolder(connection, { parent: null, name });
		created.push(top);
		expect(await pathsOf()).toContain(top);

		const child = await createFolder(connection, { parent: top, name: 'Pédiatrie' });
		const folders = await listFolders(connection);
		const delimiter = folders[0]!.delimiter;
		expect(child).toBe(`${top}${delimiter}Pédiatrie`);
		expect(folders.find((f) => f.path === child)?.depth).toBe(1);

		await expect(createFolder(connection, { parent: top, name: 'pédiatrie' })).rejects.toThrow(
			/existe déjà/
		);
		await expect(
			createFolder(connection, { parent: null, name: `a${delimiter}b` })
		).rejects.toThrow(/ne peut pas contenir/);

		// Rename the sub-folder and move it to the top level: subscriptions follow.
		const moved = await renameFolder(connection, {
			path: child,
			name: `Pédiatrie ${stamp}`,
			parent: null
		});
		created.push(moved);
		let paths = await pathsOf();
		expect(paths).toContain(moved);
		expect(paths).not.toContain(child);

		// Move it back under the first one, then the parent can't go into its own child.
		const back = await renameFolder(connection, { path: moved, name: 'Pédiatrie', parent: top });
		await expect(renameFolder(connection, { path: top, name: 'X', parent: back })).rejects.toThrow(
			/lui-même/
		);

		// A folder with a sub-folder asks for confirmation, then goes with its children.
		await expect(deleteFolder(connection, { path: top, confirmed: false })).rejects.toBeInstanceOf(
			FolderNotEmptyError
		);
		await deleteFolder(connection, { path: top, confirmed: true });
		paths = await pathsOf();
		expect(paths).not.toContain(top);
		expect(paths).not.toContain(back);
	});

	test('special folders can be neither renamed nor deleted', async () => {
		const trash = await folderByRole(connection, 'trash');
		for (const p of ['INBOX', trash, await folderByRole(connection, 'sent')]) {
			await expect(
				renameFolder(connection, { path: p, name: 'Autre', parent: null })
			).rejects.toThrow(/dossier système/);
			await expect(deleteFolder(connection, { path: p, confirmed: true })).rejects.toThrow(
				/dossier système/
			);
		}
		expect(await pathsOf()).toContain(trash);
	});
});

describe('organising', () => {
	test('keywords, copy, move, empty Trash', async () => {
		const folder = await createFolder(connection, { parent: null, name: `Tri ${stamp}` });
		created.push(folder);
		const uid = await appendMessage(connection, {
			folder,
			raw: rawMessage(`Organiser ${stamp}`),
			flags: []
		});
		expect(uid).toBeGreaterThan(0);

		const label = keywordFromLabel('Réunion équipe');
		if (!label.ok) throw new Error(label.error);
		for (const atom of ['$Urgent', label.atom])
			await changeFlags(connection, { folder, uids: [uid!], change: { flag: atom, isSet: true } });
		let message = await fetchMessage(connection, { folder, uid: uid!, markSeen: false });
		expect(messageKeywords(message.flags).map((k) => k.label)).toEqual([
			'Urgent',
			'Réunion équipe'
		]);
		await changeFlags(connection, {
			folder,
			uids: [uid!],
			change: { flag: '$Urgent', isSet: false }
		});
		message = await fetchMessage(connection, { folder, uid: uid!, markSeen: false });
		expect(messageKeywords(message.flags).map((k) => k.label)).toEqual(['Réunion équipe']);

		// Copy keeps the original; move to Trash takes it away.
		const copyFolder = await createFolder(connection, { parent: null, name: `Copie ${stamp}` });
		created.push(copyFolder);
		const copies = await copyMessages(connection, { folder, uids: [uid!], target: copyFolder });
		expect(copies.get(uid!)).toBeGreaterThan(0);
		let folders = await listFolders(connection);
		expect(folders.find((f) => f.path === copyFolder)?.messages).toBe(1);
		expect(folders.find((f) => f.path === folder)?.messages).toBe(1);
		const trash = await folderByRole(connection, 'trash');
		const moved = await moveMessages(connection, { folder, uids: [uid!], target: trash });
		expect(moved.get(uid!)).toBeGreaterThan(0);
		folders = await listFolders(connection);
		expect(folders.find((f) => f.path === folder)?.messages).toBe(0);
		expect(folders.find((f) => f.path === trash)?.messages).toBeGreaterThan(0);

		await emptyFolder(connection, trash);
		folders = await listFolders(connection);
		expect(folders.find((f) => f.path === trash)?.messages).toBe(0);
	});

	test('the list of a folder stays right after its last message is moved away (VANISHED)', async () => {
		const from = await createFolder(connection, { parent: null, name: `Source ${stamp}` });
		const to = await createFolder(connection, { parent: null, name: `Cible ${stamp}` });
		created.push(from, to);
		const uid = await appendMessage(connection, {
			folder: from,
			raw: rawMessage(`Dernier ${stamp}`),
			flags: []
		});
		expect((await listMessages(connection, { folder: from, page: 0 })).total).toBe(1);
		await moveMessages(connection, { folder: from, uids: [uid!], target: to });
		const after = await listMessages(connection, { folder: from, page: 0 });
		expect(after.total).toBe(0);
		expect(after.messages).toEqual([]);
	});
});
