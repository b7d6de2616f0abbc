/**
 * Server-side search over IMAP: the server does the matching (one SEARCH, with ESEARCH COUNT/ALL
 * when offered), then ONE fetch of the newest `limit` matching UIDs. Never a walk over the folder
 * in Node.
 *
 * - `text` is a header search: FROM or TO or SUBJECT (an IMAP OR).
 * - `hasAttachment` is an approximation: `HEADER Content-Type multipart/mixed` (IMAP has no
 *   "has attachment" criterion; the list's paper-clip icon then comes from BODYSTRUCTURE).
 * - `bodySearch` adds BODY to the `text` OR. Without server full-text indexing it is slow (about
 *   4.5 s over 100 000 messages), so it runs only when asked and under a time budget: past the
 *   budget the command is abandoned (the connection is closed, the next request reconnects) and the
 *   header-only results are returned with `bodyTimedOut: true`.
 */
import type { ImapFlow, SearchObject } from 'imapflow';
import type { FolderInfo, MessageSummary } from '../../../mail-types.ts';
import { ImapError, isAppError } from '../../errors.ts';
import type { MailboxConnection } from './connection.ts';
import { toSummary } from './messages.ts';

export const DEFAULT_SEARCH_LIMIT = 50;
export const DEFAULT_BODY_BUDGET_MS = 8_000;

export interface SearchQuery {
	text?: string;
	from?: string;
	to?: string;
	subject?: string;
	/** Received on or after this day (IMAP SINCE, date part only). */
	since?: Date;
	/** Received strictly before this day (IMAP BEFORE). */
	before?: Date;
	isUnread?: boolean;
	hasAttachment?: boolean;
}

export interface SearchOptions {
	folder: string;
	query: SearchQuery;
	limit?: number;
	/** Also match `text` in the message bodies (slow without server FTS). */
	bodySearch?: boolean;
	/** Time budget of the body search, in milliseconds. */
	bodyBudgetMs?: number;
}

export interface SearchResult {
	folder: string;
	total: number;
	messages: MessageSummary[];
	/** The body search ran out of time: results are those of the header search only. */
	bodyTimedOut: boolean;
}

export interface FolderSearchResult extends SearchResult {
	path: string;
}

/** True when the query has at least one criterion (an empty search is not run). */
export function hasCriteria(query: SearchQuery): boolean {
	return Boolean(
		query.text?.trim() ||
		query.from?.trim() ||
		query.to?.trim() ||
		query.subject?.trim() ||
		query.since ||
		query.before ||
		query.isUnread ||
		query.hasAttachment
	);
}

/** Our query → imapflow's SearchObject. Pure, so it is unit-tested. */
export function buildSearchObject(query: SearchQuery, bodySearch = false): SearchObject {
	const search: SearchObject = {};
	const text = query.text?.trim();
	if (text) {
		const alternatives: SearchObject[] = [{ from: text }, { to: text }, { subject: text }];
		if (bodySearch) alternatives.push({ body: text });
		search.or = alternatives;
	}
	const from = query.from?.trim();
	if (from) search.from = from;
	const to = query.to?.trim();
	if (to) search.to = to;
	const subject = query.subject?.trim();
	if (subject) search.subject = subject;
	if (query.since) search.since = query.since;
	if (query.before) search.before = query.before;
	if (query.isUnread) search.seen = false;
	if (query.hasAttachment) search.header = { 'content-type': 'multipart/mixed' };
	if (Object.keys(search).length === 0) search.all = true;
	return search;
}

/**
 * The `limit` highest numbers of an IMAP sequence set ("1,5:10,20"), highest first, without
 * expanding the whole set (it may cover 100 000 UIDs).
 */
export function topOfSequenceSet(set: string, limit: number): number[] {
	const ranges = set
		.split(',')
		.map((part) => part.trim())
		.filter(Boolean)
		.map((part) => {
			const [a, b] = part.split(':');
			const low = Number(a);
			const high = b === undefined ? low : Number(b);
			return low <= high ? [low, high] : [high, low];
		})
		.filter(([low, high]) => Number.isSafeInteger(low) && Number.isSafeInteger(high))
		.sort((x, y) => (y[1] ?? 0) - (x[1] ?? 0));
	const result: number[] = [];
	const seen = new Set<number>();
	for (const [low = 0, high = 0] of ranges) {
		for (let n = high; n >= low && result.length < limit; n--) {
			if (!seen.has(n)) {
				seen.add(n);
				result.push(n);
			}
		}
		if (result.length >= limit) break;
	}
	return result.sort((a, b) => b - a);
}

/** One UID SEARCH: the total and the newest `limit` UIDs. ESEARCH when offered, plain otherwise. */
async function searchUids(
	client: ImapFlow,
	search: SearchObject,
	limit: number
): Promise<{ total: number; uids: number[] }> {
	const supportsEsearch = client.capabilities.has('ESEARCH');
	if (supportsEsearch) {
		const result = await client.search(search, { uid: true, returnOptions: ['COUNT', 'ALL'] });
		if (result && !Array.isArray(result)) {
			return { total: result.count ?? 0, uids: topOfSequenceSet(result.all ?? '', limit) };
		}
		if (Array.isArray(result)) return newest(result, limit);
		return { total: 0, uids: [] };
	}
	const result = await client.search(search, { uid: true });
	return Array.isArray(result) ? newest(result, limit) : { total: 0, uids: [] };
}

function newest(uids: number[], limit: number): { total: number; uids: number[] } {
	return { total: uids.length, uids: [...uids].sort((a, b) => b - a).slice(0, limit) };
}

async function fetchSummaries(client: ImapFlow, uids: number[]): Promise<MessageSummary[]> {
	if (uids.length === 0) return [];
	const fetched = await client.fetchAll(
		uids.join(','),
		{ uid: true, flags: true, envelope: true, bodyStructure: true, internalDate: true, size: true },
		{ uid: true }
	);
	return fetched.map(toSummary).sort((a, b) => b.uid - a.uid);
}

const TIMED_OUT = Symbol('timed out');

function wrapSearchError(cause: unknown): never {
	if (isAppError(cause)) throw cause;
	throw new ImapError('IMAP_COMMAND', 'La recherche a échoué sur le serveur de messagerie.', {
		cause
	});
}

export async function searchMessages(
	connection: MailboxConnection,
	options: SearchOptions
): Promise<SearchResult> {
	const limit = options.limit ?? DEFAULT_SEARCH_LIMIT;
	const headerSearch = async (): Promise<SearchResult> =>
		connection.inFolder(
			options.folder,
			async (client) => {
				const { total, uids } = await searchUids(client, buildSearchObject(options.query), limit);
				const messages = await fetchSummaries(client, uids);
				return { folder: options.folder, total, messages, bodyTimedOut: false };
			},
			{ isIdempotent: true }
		);

	if (!options.bodySearch || !options.query.text?.trim())
		return headerSearch().catch(wrapSearchError);

	const budget = options.bodyBudgetMs ?? DEFAULT_BODY_BUDGET_MS;
	const withBody = await connection
		.inFolder(options.folder, async (client) => {
			let timer: ReturnType<typeof setTimeout> | undefined;
			const command = searchUids(client, buildSearchObject(options.query, true), limit);
			const expired = new Promise<typeof TIMED_OUT>((resolve) => {
				timer = setTimeout(() => resolve(TIMED_OUT), budget);
			});
			try {
				const outcome = await Promise.race([command, expired]);
				if (outcome === TIMED_OUT) {
					// An IMAP command cannot be cancelled: close this connection so the server stops
					// and the mailbox's next request gets a fresh one.
					command.catch(() => {});
					client.close();
					return TIMED_OUT;
				}
				const messages = await fetchSummaries(client, outcome.uids);
				return {
					folder: options.folder,
					total: outcome.total,
					messages,
					bodyTimedOut: false
				} satisfies SearchResult;
			} finally {
				clearTimeout(timer);
			}
		})
		.catch(wrapSearchError);
	if (withBody !== TIMED_OUT) return withBody;
	const partial = await headerSearch().catch(wrapSearchError);
	return { ...partial, bodyTimedOut: true };
}

/**
 * The same search in every selectable folder, one after another (one connection, one folder
 * selected at a time), at most `limit` messages in all, one body-search time budget in all.
 */
export async function searchAllFolders(
	connection: MailboxConnection,
	folders: FolderInfo[],
	options: Omit<SearchOptions, 'folder'>
): Promise<{ total: number; results: FolderSearchResult[]; bodyTimedOut: boolean }> {
	const limit = options.limit ?? DEFAULT_SEARCH_LIMIT;
	const results: FolderSearchResult[] = [];
	let total = 0;
	let bodyTimedOut = false;
	let remaining = limit;
	// One body-search budget for the whole walk; once spent, the other folders get headers only.
	const deadline = Date.now() + (options.bodyBudgetMs ?? DEFAULT_BODY_BUDGET_MS);
	for (const folder of folders) {
		if (!folder.selectable || folder.messages === 0) continue;
		const result = await searchMessages(connection, {
			...options,
			bodySearch: options.bodySearch === true && !bodyTimedOut,
			bodyBudgetMs: Math.max(1, deadline - Date.now()),
			folder: folder.path,
			limit: Math.max(remaining, 0)
		});
		total += result.total;
		bodyTimedOut ||= result.bodyTimedOut;
		remaining -= result.messages.length;
		if (result.total > 0) results.push({ ...result, path: folder.path });
	}
	return { total, results, bodyTimedOut };
}
