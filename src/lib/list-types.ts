/**
 * The message list's options and shapes (sort, filter, conversations), shared by the server and
 * the list components. Query-string values are the French words of the URLs.
 */
import type { MessageSummary } from './mail-types.ts';

export type ListSort = 'arrivee' | 'date';
export type ListFilter = 'non-lus' | 'suivis' | 'pieces-jointes';
export type ListMode = 'messages' | 'conversations';

export const LIST_FILTERS: readonly ListFilter[] = ['non-lus', 'suivis', 'pieces-jointes'];

export const FILTER_LABELS: Record<ListFilter, string> = {
	'non-lus': 'Non lus',
	suivis: 'Suivis',
	'pieces-jointes': 'Avec pièces jointes'
};

/** Only this many newest messages of a folder are grouped into conversations. */
export const THREAD_WINDOW = 10_000;

export interface ListParams {
	sort: ListSort;
	filter: ListFilter | null;
	mode: ListMode;
	/** 0-based. */
	page: number;
}

/** Reads `?tri=date&filtre=non-lus&page=2` (anything unknown falls back to the default). */
export function readListParams(search: URLSearchParams, modeCookie?: string | null): ListParams {
	const sort: ListSort = search.get('tri') === 'date' ? 'date' : 'arrivee';
	const rawFilter = search.get('filtre');
	const filter = LIST_FILTERS.find((f) => f === rawFilter) ?? null;
	const rawMode = search.get('vue') ?? modeCookie;
	const mode: ListMode = rawMode === 'conversations' ? 'conversations' : 'messages';
	const pageParam = Number(search.get('page') ?? '1');
	const page = Number.isSafeInteger(pageParam) && pageParam >= 1 ? pageParam - 1 : 0;
	return { sort, filter, mode, page };
}

/** The query string of a list URL (defaults omitted), with a leading `?` when not empty. */
export function listQuery(params: Partial<ListParams>): string {
	const search = new URLSearchParams();
	if (params.mode === 'conversations') search.set('vue', 'conversations');
	if (params.sort === 'date') search.set('tri', 'date');
	if (params.filter) search.set('filtre', params.filter);
	if (params.page && params.page > 0) search.set('page', String(params.page + 1));
	const text = search.toString();
	return text ? `?${text}` : '';
}

export interface ConversationSummary {
	/** The newest message of the conversation in this folder (the row shows it). */
	lead: MessageSummary;
	/** UIDs in this folder, oldest first. */
	uids: number[];
	count: number;
	unread: number;
	isFlagged: boolean;
	hasAttachments: boolean;
}

export interface ListPage {
	folder: string;
	total: number;
	page: number;
	pageSize: number;
	params: ListParams;
	messages: MessageSummary[];
	/** Conversation view: one entry per thread (then `messages` holds the leads). */
	conversations: ConversationSummary[] | null;
	/** Conversations were built from the newest THREAD_WINDOW messages only. */
	isThreadWindowed: boolean;
	/** The server cannot SORT / THREAD: the list fell back to arrival order. */
	isFallback: boolean;
}
