/** Listing folders with their counts in one LIST-STATUS round trip (RFC 5819) when offered. */
import type { ListResponse } from 'imapflow';
import type { FolderInfo, SpecialUse } from '../../../mail-types.ts';
import type { MailboxConnection } from './connection.ts';

const SPECIAL_USE_ROLES: Record<string, SpecialUse> = {
	'\\Inbox': 'inbox',
	'\\Drafts': 'drafts',
	'\\Sent': 'sent',
	'\\Trash': 'trash',
	'\\Junk': 'junk',
	'\\Archive': 'archive',
	'\\Flagged': 'flagged'
};

const ROLE_ORDER: SpecialUse[] = ['inbox', 'drafts', 'sent', 'archive', 'junk', 'trash', 'flagged'];

function toFolder(entry: ListResponse): FolderInfo {
	const specialUse = entry.specialUse ? (SPECIAL_USE_ROLES[entry.specialUse] ?? null) : null;
	return {
		path: entry.path,
		name: entry.name,
		delimiter: entry.delimiter,
		specialUse: entry.path.toUpperCase() === 'INBOX' ? 'inbox' : specialUse,
		depth: entry.parent.length,
		messages: entry.status?.messages ?? 0,
		unseen: entry.status?.unseen ?? 0,
		selectable: !entry.flags.has('\\Noselect') && !entry.flags.has('\\NonExistent')
	};
}

/** Special folders first in a fixed order, then the user's folders alphabetically (French collation). */
export function sortFolders(folders: FolderInfo[]): FolderInfo[] {
	const rank = (f: FolderInfo) =>
		f.specialUse ? ROLE_ORDER.indexOf(f.specialUse) : ROLE_ORDER.length;
	return [...folders].sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path, 'fr'));
}

export async function listFolders(connection: MailboxConnection): Promise<FolderInfo[]> {
	const entries = await connection.run(
		(client) => client.list({ statusQuery: { messages: true, unseen: true } }),
		{ isIdempotent: true }
	);
	return sortFolders(
		entries.filter((e) => e.subscribed || e.specialUse || e.path === 'INBOX').map(toFolder)
	);
}
