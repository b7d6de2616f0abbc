/** Writing to the mailbox: append (drafts, sent copies), flags, delete, and finding special folders. */
import type { SpecialUse } from '../../../mail-types.ts';
import { ImapError } from '../../errors.ts';
import type { MailboxConnection } from './connection.ts';
import { listFolders } from './folders.ts';

const roleCache = new WeakMap<MailboxConnection, Map<SpecialUse, string>>();

/** The path of a special-use folder (RFC 6154), looked up once per connection. */
export async function folderByRole(
	connection: MailboxConnection,
	role: SpecialUse
): Promise<string> {
	let roles = roleCache.get(connection);
	if (!roles?.has(role)) {
		const folders = await listFolders(connection);
		roles = new Map(folders.filter((f) => f.specialUse).map((f) => [f.specialUse!, f.path]));
		roleCache.set(connection, roles);
	}
	const path = roles.get(role);
	if (!path)
		throw new ImapError(
			'MAILBOX_NOT_FOUND',
			`Le dossier spécial « ${role} » est introuvable sur le serveur.`
		);
	return path;
}

/** APPEND; returns the new UID when the server says it (UIDPLUS, RFC 4315). */
export async function appendMessage(
	connection: MailboxConnection,
	options: { folder: string; raw: Buffer; flags: string[] }
): Promise<number | null> {
	return connection.run(async (client) => {
		const result = await client.append(options.folder, options.raw, options.flags, new Date());
		return result && typeof result.uid === 'number' ? result.uid : null;
	});
}

export async function addFlags(
	connection: MailboxConnection,
	options: { folder: string; uid: number; flags: string[] }
): Promise<void> {
	await connection.inFolder(options.folder, async (client) => {
		await client.messageFlagsAdd(String(options.uid), options.flags, { uid: true });
	});
}

/** Deletes for good (\Deleted + UID EXPUNGE of that message only). */
export async function expungeMessage(
	connection: MailboxConnection,
	options: { folder: string; uid: number }
): Promise<void> {
	await connection.inFolder(options.folder, async (client) => {
		await client.messageDelete(String(options.uid), { uid: true });
	});
}
