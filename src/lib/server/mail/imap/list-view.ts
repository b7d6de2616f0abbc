/**
 * The message list with its options: sort by date (server-side `UID SORT (REVERSE DATE)`), filters
 * (unread, flagged, with attachments — a server-side SEARCH key), and the conversation view
 * (`UID THREAD REFERENCES` over the newest THREAD_WINDOW messages). Every variant stays one or two
 * commands plus ONE fetch of the page's 50 rows; nothing walks the folder in Node.
 *
 * The default (arrival order, no filter) is `listMessages`' single FETCH by sequence range.
 */
import type { ImapFlow } from 'imapflow';
import {
	THREAD_WINDOW,
	type ConversationSummary,
	type ListFilter,
	type ListPage,
	type ListParams
} from '../../../list-types.ts';
import type { MessageSummary } from '../../../mail-types.ts';
import type { MailboxConnection } from './connection.ts';
import {
	DEFAULT_PAGE_SIZE,
	listMessages,
	pageBySequence,
	refreshSelected,
	toSummary
} from './messages.ts';
import { topOfSequenceSet } from './search.ts';
import {
	supportsSort,
	supportsThreadReferences,
	threadUids,
	uidSort,
	uidThread,
	type RawCriteria
} from './sort-thread.ts';

const SUMMARY_ITEMS = {
	uid: true,
	flags: true,
	envelope: true,
	bodyStructure: true,
	internalDate: true,
	size: true
} as const;

/** The filter as IMAP search keys. "With attachments" is approximated by multipart/mixed. */
export function filterCriteria(filter: ListFilter | null): RawCriteria {
	switch (filter) {
		case 'non-lus':
			return [{ type: 'ATOM', value: 'UNSEEN' }];
		case 'suivis':
			return [{ type: 'ATOM', value: 'FLAGGED' }];
		case 'pieces-jointes':
			return [
				{ type: 'ATOM', value: 'HEADER' },
				{ type: 'STRING', value: 'Content-Type' },
				{ type: 'STRING', value: 'multipart/mixed' }
			];
		default:
			return [{ type: 'ATOM', value: 'ALL' }];
	}
}

function searchObjectFor(filter: ListFilter) {
	if (filter === 'non-lus') return { seen: false };
	if (filter === 'suivis') return { flagged: true };
	return { header: { 'content-type': 'multipart/mixed' } };
}

async function fetchByUids(client: ImapFlow, uids: number[]): Promise<MessageSummary[]> {
	if (uids.length === 0) return [];
	const fetched = await client.fetchAll(uids.join(','), SUMMARY_ITEMS, { uid: true });
	const byUid = new Map(fetched.map((m) => [m.uid, toSummary(m)]));
	return uids.map((uid) => byUid.get(uid)).filter((m): m is MessageSummary => m !== undefined);
}

/**
 * The date order of a whole folder, kept per connection while the folder's message set is the same
 * (UIDVALIDITY, UIDNEXT and EXISTS unchanged: an arrival moves UIDNEXT, an expunge lowers EXISTS).
 * Flags do not change a date order, so only the unfiltered sort is kept. At 100 000 messages this
 * saves a ~600 KB SORT reply on every page change.
 */
const sortCache = new WeakMap<MailboxConnection, { key: string; uids: number[] }>();

function folderStateKey(client: ImapFlow, folder: string): string | null {
	const mailbox = client.mailbox;
	if (!mailbox) return null;
	return [folder, String(mailbox.uidValidity), String(mailbox.uidNext), mailbox.exists].join(
		'\u0000'
	);
}

async function sortedByDate(
	connection: MailboxConnection,
	client: ImapFlow,
	folder: string,
	filter: ListFilter | null
): Promise<number[]> {
	if (filter)
		return uidSort(client, { keys: ['DATE'], reverse: true, criteria: filterCriteria(filter) });
	const key = folderStateKey(client, folder);
	const cached = sortCache.get(connection);
	if (key && cached?.key === key) return cached.uids;
	const uids = await uidSort(client, { keys: ['DATE'], reverse: true });
	if (key) sortCache.set(connection, { key, uids });
	return uids;
}

function emptyPage(folder: string, params: ListParams, pageSize: number): ListPage {
	return {
		folder,
		total: 0,
		page: params.page,
		pageSize,
		params,
		messages: [],
		conversations: null,
		isThreadWindowed: false,
		isFallback: false
	};
}

export async function listView(
	connection: MailboxConnection,
	options: { folder: string; params: ListParams; pageSize?: number }
): Promise<ListPage> {
	const { folder, params } = options;
	const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
	if (params.mode === 'conversations') return listConversations(connection, options);
	if (params.sort === 'arrivee' && !params.filter) {
		const list = await listMessages(connection, { folder, page: params.page, pageSize });
		return { ...emptyPage(folder, params, pageSize), ...list, params };
	}
	return connection.inFolder(
		folder,
		async (client, wasSelected) => {
			if (wasSelected) await refreshSelected(client, folder);
			const page = emptyPage(folder, params, pageSize);
			if (!client.mailbox || client.mailbox.exists === 0) return page;
			const start = params.page * pageSize;
			if (params.sort === 'date' && supportsSort(client)) {
				const sorted = await sortedByDate(connection, client, folder, params.filter);
				page.total = sorted.length;
				page.messages = await fetchByUids(client, sorted.slice(start, start + pageSize));
				return page;
			}
			page.isFallback = params.sort === 'date';
			if (!params.filter) {
				// No SORT on this server: arrival order.
				const list = await pageBySequence(client, { folder, page: params.page, pageSize });
				return { ...page, ...list, params };
			}
			const search = searchObjectFor(params.filter);
			if (client.capabilities.has('ESEARCH')) {
				const result = await client.search(search, { uid: true, returnOptions: ['COUNT', 'ALL'] });
				if (result && !Array.isArray(result)) {
					page.total = result.count ?? 0;
					const top = topOfSequenceSet(result.all ?? '', start + pageSize).slice(start);
					page.messages = await fetchByUids(client, top);
					return page;
				}
			}
			const result = await client.search(search, { uid: true });
			const uids = Array.isArray(result) ? [...result].sort((a, b) => b - a) : [];
			page.total = uids.length;
			page.messages = await fetchByUids(client, uids.slice(start, start + pageSize));
			return page;
		},
		{ isIdempotent: true }
	);
}

/**
 * Conversations of a folder: THREAD over the newest THREAD_WINDOW messages (a sequence-set search
 * key), ordered by their newest message, 50 per page; one FETCH for the page's messages.
 */
async function listConversations(
	connection: MailboxConnection,
	options: { folder: string; params: ListParams; pageSize?: number }
): Promise<ListPage> {
	const { folder, params } = options;
	const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
	return connection.inFolder(
		folder,
		async (client, wasSelected) => {
			if (wasSelected) await refreshSelected(client, folder);
			const page = emptyPage(folder, params, pageSize);
			const exists = client.mailbox ? client.mailbox.exists : 0;
			if (exists === 0) return { ...page, conversations: [] };
			if (!supportsThreadReferences(client)) {
				const list = await pageBySequence(client, { folder, page: params.page, pageSize });
				return { ...page, ...list, params, isFallback: true };
			}
			const criteria: RawCriteria = [];
			if (exists > THREAD_WINDOW) {
				page.isThreadWindowed = true;
				criteria.push({ type: 'SEQUENCE', value: `${exists - THREAD_WINDOW + 1}:*` });
			}
			const filter = filterCriteria(params.filter);
			if (params.filter || criteria.length === 0) criteria.push(...filter);
			const threads = (await uidThread(client, { criteria }))
				.map((thread) => {
					const uids = threadUids(thread).sort((a, b) => a - b);
					return { uids, newest: uids[uids.length - 1] ?? 0 };
				})
				.filter((t) => t.uids.length > 0)
				.sort((a, b) => b.newest - a.newest);
			page.total = threads.length;
			const slice = threads.slice(params.page * pageSize, (params.page + 1) * pageSize);
			const all = slice.flatMap((t) => t.uids);
			const summaries = new Map(
				(await fetchByUids(client, all)).map((summary) => [summary.uid, summary])
			);
			const conversations: ConversationSummary[] = [];
			for (const thread of slice) {
				const members = thread.uids
					.map((uid) => summaries.get(uid))
					.filter((m): m is MessageSummary => m !== undefined);
				const lead = members[members.length - 1];
				if (!lead) continue;
				conversations.push({
					lead,
					uids: members.map((m) => m.uid),
					count: members.length,
					unread: members.filter((m) => !m.isSeen).length,
					isFlagged: members.some((m) => m.isFlagged),
					hasAttachments: members.some((m) => m.hasAttachments)
				});
			}
			page.conversations = conversations;
			page.messages = conversations.map((c) => c.lead);
			return page;
		},
		{ isIdempotent: true }
	);
}
