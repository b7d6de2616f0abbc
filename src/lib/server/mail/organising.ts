/**
 * The organising operations of the pages and endpoints (folders, move, copy, keywords, empty
 * Trash/Junk), each written to the audit trail exactly once. Audit lines name the folders by
 * their role or by a short digest (a personal folder's name may be a patient's), never content.
 */
import { createHash } from 'node:crypto';
import { keywordInfo } from '../../keywords.ts';
import { audited, type AuditAction } from '../audit/index.ts';
import { ImapError } from '../errors.ts';
import type { Session } from '../session/store.ts';
import { createFolder, deleteFolder, renameFolder } from './imap/folder-admin.ts';
import { listFolders } from './imap/folders.ts';
import {
	archiveMessages,
	changeFlags,
	copyMessages,
	deleteMessages,
	emptyFolder,
	moveMessages
} from './imap/organise.ts';
import { connectionFor, findMailbox } from './mailbox-access.ts';

const WELL_KNOWN = new Set(['INBOX', 'Drafts', 'Sent', 'Trash', 'Junk', 'Archive', 'Archives']);

/** A folder as written in the audit trail. */
export function auditFolderName(path: string): string {
	if (WELL_KNOWN.has(path)) return path;
	return `dossier:${createHash('sha256').update(path).digest('hex').slice(0, 8)}`;
}

function context(session: Session, mailboxId: string) {
	const mailbox = findMailbox(session, mailboxId);
	return { connection: connectionFor(session, mailbox), address: mailbox.address };
}

function run<T>(
	session: Session,
	address: string,
	action: AuditAction,
	request: string,
	fn: () => Promise<T>,
	answer?: (result: T) => string
): Promise<T> {
	return audited({ actor: session.userLabel, mailbox: address, action, request }, fn, answer);
}

export async function createFolderOp(
	session: Session,
	mailboxId: string,
	options: { parent: string | null; name: string }
): Promise<string> {
	const { connection, address } = context(session, mailboxId);
	const where = options.parent ? auditFolderName(options.parent) : '(racine)';
	return run(session, address, 'folder', `CREATE dans ${where}`, () =>
		createFolder(connection, options)
	);
}

export async function renameFolderOp(
	session: Session,
	mailboxId: string,
	options: { path: string; name: string; parent: string | null }
): Promise<string> {
	const { connection, address } = context(session, mailboxId);
	return run(session, address, 'folder', `RENAME ${auditFolderName(options.path)}`, () =>
		renameFolder(connection, options)
	);
}

export async function deleteFolderOp(
	session: Session,
	mailboxId: string,
	options: { path: string; confirmed: boolean }
): Promise<{ messages: number; children: number }> {
	const { connection, address } = context(session, mailboxId);
	return run(
		session,
		address,
		'folder',
		`DELETE ${auditFolderName(options.path)}`,
		() => deleteFolder(connection, options),
		(r) => `OK ${r.messages} messages, ${r.children} sous-dossiers`
	);
}

export type OrganiseAction = 'move' | 'copy';

/** Move or copy messages; returns the number of messages concerned. */
export async function transferOp(
	session: Session,
	mailboxId: string,
	options: { action: OrganiseAction; from: string; to: string; uids: number[] }
): Promise<number> {
	const { connection, address } = context(session, mailboxId);
	if (options.action === 'move' && options.from === options.to)
		throw new ImapError('INVALID_INPUT', 'Ces messages sont déjà dans ce dossier.');
	const verb = options.action === 'move' ? 'UID MOVE' : 'UID COPY';
	const request = `${verb} ${options.uids.length} message(s) ${auditFolderName(options.from)} → ${auditFolderName(options.to)}`;
	const target = (await listFolders(connection)).find((f) => f.path === options.to);
	if (!target || !target.selectable)
		throw new ImapError('MAILBOX_NOT_FOUND', 'Le dossier de destination n’existe pas.');
	await run(session, address, options.action, request, async () => {
		const params = { folder: options.from, uids: options.uids, target: options.to };
		return options.action === 'move'
			? moveMessages(connection, params)
			: copyMessages(connection, params);
	});
	return options.uids.length;
}

export async function keywordOp(
	session: Session,
	mailboxId: string,
	options: { folder: string; uids: number[]; atom: string; isSet: boolean }
): Promise<void> {
	if (!keywordInfo(options.atom)) throw new ImapError('INVALID_INPUT', 'Étiquette invalide.');
	const { connection, address } = context(session, mailboxId);
	const request = `UID STORE ${options.uids.length} message(s) ${auditFolderName(options.folder)} ${options.isSet ? '+' : '-'}FLAGS étiquette`;
	await run(session, address, 'flag', request, () =>
		changeFlags(connection, {
			folder: options.folder,
			uids: options.uids,
			change: { flag: options.atom, isSet: options.isSet }
		})
	);
}

/** Empties Trash or Junk (nothing else); returns the number of messages removed. */
export async function emptyFolderOp(
	session: Session,
	mailboxId: string,
	path: string
): Promise<number> {
	const { connection, address } = context(session, mailboxId);
	const folder = (await listFolders(connection)).find((f) => f.path === path);
	if (!folder || (folder.specialUse !== 'trash' && folder.specialUse !== 'junk'))
		throw new ImapError(
			'INVALID_INPUT',
			'Seules la corbeille et les indésirables peuvent être vidés.'
		);
	await run(
		session,
		address,
		'delete',
		`EXPUNGE 1:* ${auditFolderName(path)}`,
		() => emptyFolder(connection, path),
		() => `OK ${folder.messages} messages`
	);
	return folder.messages;
}

/** A system flag (`\Seen`, `\Flagged`) set or removed on messages, audited. */
export async function flagOp(
	session: Session,
	mailboxId: string,
	options: { folder: string; uids: number[]; flag: '\\Seen' | '\\Flagged'; isSet: boolean }
): Promise<void> {
	const { connection, address } = context(session, mailboxId);
	const request = `UID STORE ${options.uids.length} message(s) ${auditFolderName(options.folder)} ${options.isSet ? '+' : '-'}FLAGS ${options.flag}`;
	await run(session, address, 'flag', request, () =>
		changeFlags(connection, {
			folder: options.folder,
			uids: options.uids,
			change: { flag: options.flag, isSet: options.isSet }
		})
	);
}

/** To Trash (undoable), or for good from Trash itself; audited. */
export async function deleteOp(
	session: Session,
	mailboxId: string,
	options: { folder: string; uids: number[] }
): ReturnType<typeof deleteMessages> {
	const { connection, address } = context(session, mailboxId);
	return run(
		session,
		address,
		'delete',
		`UID MOVE/EXPUNGE ${options.uids.length} message(s) ${auditFolderName(options.folder)}`,
		() => deleteMessages(connection, options),
		(r) => (r.trash ? `OK → ${auditFolderName(r.trash)}` : 'OK supprimé définitivement')
	);
}

export async function archiveOp(
	session: Session,
	mailboxId: string,
	options: { folder: string; uids: number[] }
): Promise<void> {
	const { connection, address } = context(session, mailboxId);
	await run(
		session,
		address,
		'move',
		`UID MOVE ${options.uids.length} message(s) ${auditFolderName(options.folder)} → archive`,
		() => archiveMessages(connection, options)
	);
}
