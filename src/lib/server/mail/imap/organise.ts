/**
 * Organising messages: flags, keywords, move and copy (MOVE, RFC 6851), delete to Trash, archive,
 * empty Trash. Every function takes a list of UIDs: one command for a bulk action.
 */
import type { ImapFlow } from 'imapflow';
import { ImapError } from '../../errors.ts';
import type { MailboxConnection } from './connection.ts';
import { folderByRole } from './store.ts';

/** A system flag (`\\Seen`, `\\Flagged`, `\\Answered`…) or one of our keywords. */
export type FlagChange = { flag: string; isSet: boolean };

const KEYWORD = /^[A-Za-z0-9$_.-]{1,64}$/;

/**
 * After MOVE or EXPUNGE with QRESYNC on, Dovecot answers VANISHED, which imapflow does not count
 * down: its `exists` for the selected folder stays too high and the next page FETCH asks for
 * sequence numbers that are gone ("Command failed"). STATUS gives the true count back.
 */
async function refreshCount(client: ImapFlow): Promise<void> {
	const mailbox = client.mailbox;
	if (!mailbox) return;
	const status = await client.status(mailbox.path, { messages: true });
	if (status && client.mailbox === mailbox && typeof status.messages === 'number')
		mailbox.exists = status.messages;
}

function uidSet(uids: number[]): string {
	if (uids.length === 0 || uids.some((uid) => !Number.isSafeInteger(uid) || uid < 1)) {
		throw new ImapError('INVALID_INPUT', 'Aucun message valide sélectionné.');
	}
	return uids.join(',');
}

export async function changeFlags(
	connection: MailboxConnection,
	options: { folder: string; uids: number[]; change: FlagChange }
): Promise<void> {
	const { flag, isSet } = options.change;
	// System flags or our keywords only: never a client-supplied string with spaces or parentheses.
	if (!flag.startsWith('\\') && !KEYWORD.test(flag))
		throw new ImapError('INVALID_INPUT', 'Étiquette invalide.');
	await connection.inFolder(options.folder, async (client) => {
		const range = uidSet(options.uids);
		if (isSet) await client.messageFlagsAdd(range, [flag], { uid: true });
		else await client.messageFlagsRemove(range, [flag], { uid: true });
	});
}

export async function moveMessages(
	connection: MailboxConnection,
	options: { folder: string; uids: number[]; target: string }
): Promise<Map<number, number>> {
	if (options.target === options.folder) return new Map();
	return connection.inFolder(options.folder, async (client) => {
		const result = await client.messageMove(uidSet(options.uids), options.target, { uid: true });
		if (!result) throw new ImapError('IMAP_COMMAND', 'Le déplacement a été refusé par le serveur.');
		await refreshCount(client);
		return new Map<number, number>(result.uidMap ?? []);
	});
}

export async function copyMessages(
	connection: MailboxConnection,
	options: { folder: string; uids: number[]; target: string }
): Promise<Map<number, number>> {
	return connection.inFolder(options.folder, async (client) => {
		const result = await client.messageCopy(uidSet(options.uids), options.target, { uid: true });
		if (!result) throw new ImapError('IMAP_COMMAND', 'La copie a été refusée par le serveur.');
		return new Map<number, number>(result.uidMap ?? []);
	});
}

/** To Trash (undoable: the new UIDs are returned); from Trash itself, deleted for good. */
export async function deleteMessages(
	connection: MailboxConnection,
	options: { folder: string; uids: number[] }
): Promise<{ trash: string; uidMap: Map<number, number> } | { trash: null }> {
	const trash = await folderByRole(connection, 'trash');
	if (options.folder === trash) {
		await connection.inFolder(options.folder, async (client) => {
			await client.messageDelete(uidSet(options.uids), { uid: true });
			await refreshCount(client);
		});
		return { trash: null };
	}
	const uidMap = await moveMessages(connection, { ...options, target: trash });
	return { trash, uidMap };
}

export async function archiveMessages(
	connection: MailboxConnection,
	options: { folder: string; uids: number[] }
): Promise<Map<number, number>> {
	return moveMessages(connection, {
		...options,
		target: await folderByRole(connection, 'archive')
	});
}

export async function emptyFolder(connection: MailboxConnection, folder: string): Promise<void> {
	await connection.inFolder(folder, async (client) => {
		if (client.mailbox && client.mailbox.exists > 0) await client.messageDelete('1:*');
		await refreshCount(client);
	});
}
