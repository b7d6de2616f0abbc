/**
 * One conversation across folders: `UID THREAD REFERENCES` in the folder (newest THREAD_WINDOW
 * messages) gives the thread of a message; its Message-ID / In-Reply-To / References are then
 * looked up in the other side (Sent, or the INBOX when reading Sent) with ONE `UID SEARCH` of
 * `HEADER` keys, so our own replies show in the thread. A few commands per folder, never a sweep.
 */
import type { ImapFlow, SearchObject } from 'imapflow';
import { THREAD_WINDOW } from '../../../list-types.ts';
import type { MessageSummary } from '../../../mail-types.ts';
import { ImapError } from '../../errors.ts';
import type { MailboxConnection } from './connection.ts';
import { toSummary } from './messages.ts';
import { folderByRole } from './store.ts';
import {
	supportsThreadReferences,
	threadUids,
	uidThread,
	type RawCriteria
} from './sort-thread.ts';

/** Message-IDs looked up in the other folder (each costs a few SEARCH keys). */
const MAX_LOOKUP_IDS = 20;
/** Messages shown in one conversation page. */
export const MAX_CONVERSATION_MESSAGES = 100;

export interface ConversationMessage {
	folder: string;
	summary: MessageSummary;
}

export interface Conversation {
	/** The folder the conversation was opened from, and its UIDs there (the thread actions). */
	folder: string;
	uids: number[];
	/** Every message found, oldest first, this folder and the other one mixed. */
	messages: ConversationMessage[];
	isThreadWindowed: boolean;
	isTruncated: boolean;
}

interface Fetched {
	summary: MessageSummary;
	ids: string[];
	ownId: string | null;
}

const ID_PATTERN = /<[^<>\s]{1,250}>/g;

/** The Message-IDs of a header value (`<a@b> <c@d>`), brackets kept, at most 50. */
export function messageIds(value: string | undefined | null): string[] {
	return (value?.match(ID_PATTERN) ?? []).slice(0, 50);
}

async function fetchWithIds(client: ImapFlow, uids: number[]): Promise<Fetched[]> {
	if (uids.length === 0) return [];
	const fetched = await client.fetchAll(
		uids.join(','),
		{
			uid: true,
			flags: true,
			envelope: true,
			bodyStructure: true,
			internalDate: true,
			size: true,
			headers: ['references']
		},
		{ uid: true }
	);
	return fetched.map((message) => {
		const headerText = message.headers?.toString('utf8') ?? '';
		const references = messageIds(headerText.replace(/\r?\n[ \t]+/g, ' '));
		const ownId = messageIds(message.envelope?.messageId)[0] ?? null;
		const inReplyTo = messageIds(message.envelope?.inReplyTo);
		return {
			summary: toSummary(message),
			ownId,
			ids: [...new Set([...(ownId ? [ownId] : []), ...inReplyTo, ...references])]
		};
	});
}

/** `OR` over HEADER keys: the message itself, or a message that refers to it. */
export function lookupSearch(ids: string[]): SearchObject | null {
	const terms: SearchObject[] = [];
	for (const id of ids.slice(0, MAX_LOOKUP_IDS)) {
		for (const name of ['message-id', 'references', 'in-reply-to'])
			terms.push({ header: { [name]: id } });
	}
	if (terms.length === 0) return null;
	return terms.length === 1 ? (terms[0] ?? null) : { or: terms };
}

export async function loadConversation(
	connection: MailboxConnection,
	options: { folder: string; uid: number }
): Promise<Conversation> {
	const { folder } = options;
	const local = await connection.inFolder(
		folder,
		async (client) => {
			const exists = client.mailbox ? client.mailbox.exists : 0;
			let uids = [options.uid];
			const isThreadWindowed = exists > THREAD_WINDOW;
			if (supportsThreadReferences(client) && exists > 0) {
				const criteria: RawCriteria = isThreadWindowed
					? [{ type: 'SEQUENCE', value: `${exists - THREAD_WINDOW + 1}:*` }]
					: [];
				const thread = (await uidThread(client, { criteria }))
					.map(threadUids)
					.find((members) => members.includes(options.uid));
				if (thread) uids = thread.sort((a, b) => a - b);
			}
			const isTruncated = uids.length > MAX_CONVERSATION_MESSAGES;
			uids = uids.slice(-MAX_CONVERSATION_MESSAGES);
			return { fetched: await fetchWithIds(client, uids), isThreadWindowed, isTruncated };
		},
		{ isIdempotent: true }
	);
	if (!local.fetched.some((f) => f.summary.uid === options.uid))
		throw new ImapError('MESSAGE_NOT_FOUND', 'Ce message n’existe plus.');

	const sent = await folderByRole(connection, 'sent').catch(() => null);
	const other = folder === sent ? 'INBOX' : sent;
	let remote: Fetched[] = [];
	const ownIds = new Set(local.fetched.map((f) => f.ownId).filter((id): id is string => !!id));
	const ids = [...new Set(local.fetched.flatMap((f) => f.ids))];
	const search = lookupSearch(ids);
	if (other && other !== folder && search) {
		remote = await connection
			.inFolder(
				other,
				async (client) => {
					const found = await client.search(search, { uid: true });
					const uids = (Array.isArray(found) ? found : []).sort((a, b) => a - b);
					return fetchWithIds(client, uids.slice(-MAX_CONVERSATION_MESSAGES));
				},
				{ isIdempotent: true }
			)
			// The other folder is a bonus: the conversation still shows without it.
			.catch(() => []);
		// The same message filed twice (e.g. sent to oneself) shows once.
		remote = remote.filter((f) => !f.ownId || !ownIds.has(f.ownId));
	}

	const time = (m: MessageSummary) => (m.date ? Date.parse(m.date) : 0);
	const messages = [
		...local.fetched.map((f) => ({ folder, summary: f.summary })),
		...(other ? remote.map((f) => ({ folder: other, summary: f.summary })) : [])
	].sort((a, b) => time(a.summary) - time(b.summary) || a.summary.uid - b.summary.uid);
	return {
		folder,
		uids: local.fetched.map((f) => f.summary.uid),
		messages: messages.slice(-MAX_CONVERSATION_MESSAGES),
		isThreadWindowed: local.isThreadWindowed,
		isTruncated: local.isTruncated || messages.length > MAX_CONVERSATION_MESSAGES
	};
}
