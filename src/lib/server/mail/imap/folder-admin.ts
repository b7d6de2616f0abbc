/**
 * Creating, renaming, moving (changing the parent of) and deleting folders. Special-use folders
 * and the INBOX are fixed. Subscriptions follow the folders (the folder list shows subscribed
 * folders only). Every check that can fail is made before the first command that changes anything.
 */
import type { FolderInfo } from '../../../mail-types.ts';
import { childPath, isSelfOrDescendant, validateFolderName } from '../../../folder-names.ts';
import { folderLabel } from '../../../i18n/fr.ts';
import { ImapError } from '../../errors.ts';
import type { MailboxConnection } from './connection.ts';
import { listFolders } from './folders.ts';

/** Thrown when deleting a folder that holds messages or sub-folders and the user has not confirmed. */
export class FolderNotEmptyError extends ImapError {
	readonly messages: number;
	readonly children: number;
	constructor(messages: number, children: number) {
		super('INVALID_INPUT', 'Ce dossier n’est pas vide : confirmez sa suppression.', {
			details: { messages, children }
		});
		this.messages = messages;
		this.children = children;
	}
}

function isProtected(folder: FolderInfo): boolean {
	return folder.specialUse !== null || folder.path.toUpperCase() === 'INBOX';
}

async function allFolders(connection: MailboxConnection): Promise<FolderInfo[]> {
	return listFolders(connection);
}

function find(folders: FolderInfo[], path: string): FolderInfo {
	const folder = folders.find((f) => f.path === path);
	if (!folder) throw new ImapError('MAILBOX_NOT_FOUND', 'Ce dossier n’existe pas ou plus.');
	return folder;
}

function delimiterOf(folders: FolderInfo[]): string {
	return folders.find((f) => f.delimiter)?.delimiter ?? '/';
}

function checkParent(folders: FolderInfo[], parent: string | null): void {
	if (parent === null) return;
	find(folders, parent);
}

function checkFree(folders: FolderInfo[], path: string, label: string): void {
	if (folders.some((f) => f.path.toLowerCase() === path.toLowerCase()))
		throw new ImapError('INVALID_INPUT', `Un dossier « ${label} » existe déjà à cet endroit.`);
}

function invalid(error: string): never {
	throw new ImapError('INVALID_INPUT', error);
}

export async function createFolder(
	connection: MailboxConnection,
	options: { parent: string | null; name: string }
): Promise<string> {
	const folders = await allFolders(connection);
	const delimiter = delimiterOf(folders);
	const checked = validateFolderName(options.name, delimiter);
	if (!checked.ok) invalid(checked.error);
	checkParent(folders, options.parent);
	const path = childPath(options.parent, checked.name, delimiter);
	checkFree(folders, path, checked.name);
	await connection.run(async (client) => {
		const created = await client.mailboxCreate(path);
		await client.mailboxSubscribe(created.path ?? path);
	});
	return path;
}

/** Renames a folder and/or gives it another parent (null: top level). Returns the new path. */
export async function renameFolder(
	connection: MailboxConnection,
	options: { path: string; name: string; parent: string | null }
): Promise<string> {
	const folders = await allFolders(connection);
	const delimiter = delimiterOf(folders);
	const folder = find(folders, options.path);
	if (isProtected(folder))
		invalid(
			`Le dossier « ${folderLabel(folder)} » est un dossier système : il ne peut être ni renommé ni déplacé.`
		);
	const checked = validateFolderName(options.name, delimiter);
	if (!checked.ok) invalid(checked.error);
	checkParent(folders, options.parent);
	if (options.parent !== null && isSelfOrDescendant(options.parent, folder.path, delimiter))
		invalid('Un dossier ne peut pas être placé dans lui-même ni dans l’un de ses sous-dossiers.');
	const target = childPath(options.parent, checked.name, delimiter);
	if (target === folder.path) return target;
	// A change of case only is allowed; any other existing name is refused.
	if (target.toLowerCase() !== folder.path.toLowerCase()) checkFree(folders, target, checked.name);
	const moved = folders.filter((f) => isSelfOrDescendant(f.path, folder.path, delimiter));
	await connection.run(async (client) => {
		await client.mailboxRename(folder.path, target);
		// Keep the renamed folder and its sub-folders subscribed under their new names.
		for (const f of moved) {
			const newPath = target + f.path.slice(folder.path.length);
			await client.mailboxUnsubscribe(f.path).catch(() => {});
			await client.mailboxSubscribe(newPath);
		}
	});
	return target;
}

/**
 * Deletes a folder and its sub-folders, messages included. A folder that is not empty is only
 * deleted with `confirmed` (the page asks first).
 */
export async function deleteFolder(
	connection: MailboxConnection,
	options: { path: string; confirmed: boolean }
): Promise<{ messages: number; children: number }> {
	const folders = await allFolders(connection);
	const delimiter = delimiterOf(folders);
	const folder = find(folders, options.path);
	if (isProtected(folder))
		invalid(
			`Le dossier « ${folderLabel(folder)} » est un dossier système : il ne peut pas être supprimé.`
		);
	const tree = folders.filter((f) => isSelfOrDescendant(f.path, folder.path, delimiter));
	const messages = tree.reduce((sum, f) => sum + f.messages, 0);
	const children = tree.length - 1;
	if (tree.some((f) => f !== folder && isProtected(f)))
		invalid('Ce dossier contient un dossier système : il ne peut pas être supprimé.');
	if ((messages > 0 || children > 0) && !options.confirmed)
		throw new FolderNotEmptyError(messages, children);
	// Deepest first, so no parent is left as a \Noselect shell.
	const order = [...tree].sort((a, b) => b.depth - a.depth);
	await connection.run(async (client) => {
		if (client.mailbox && isSelfOrDescendant(client.mailbox.path, folder.path, delimiter))
			await client.mailboxClose();
		for (const f of order) {
			await client.mailboxDelete(f.path);
			await client.mailboxUnsubscribe(f.path).catch(() => {});
		}
	});
	return { messages, children };
}
