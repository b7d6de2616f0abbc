/**
 * What imapflow lacks: SORT (RFC 5256) and THREAD=REFERENCES, sent through imapflow's low-level
 * command queue (`exec`, the same path its own commands use) and only when the server advertises
 * them (Dovecot does). The response parsers are pure and tolerant: servers differ on spacing, may
 * split a result over several untagged lines, and a hostile one may send junk, duplicates or
 * absurd nesting — we keep what is a valid UID and drop the rest, never throw on a bad reply.
 */
import type { ImapFlow } from 'imapflow';
import { ImapError } from '../../errors.ts';

/** A token as imapflow's parser hands it over: `{ type, value }`, or a nested list (array). */
export type ImapToken = { type?: string; value?: unknown } | ImapToken[] | null | undefined;

/** One node of a thread; `uid` is null for the dummy parent of siblings (`((3)(5))`). */
export interface ThreadNode {
	uid: number | null;
	children: ThreadNode[];
}

/** SORT criteria we use (RFC 5256 §3). */
export type SortKey = 'DATE' | 'ARRIVAL' | 'FROM' | 'SUBJECT' | 'SIZE';

/** Search criteria as raw IMAP atoms/strings (already validated by the caller's builder). */
export type RawCriteria = (
	| { type: 'ATOM'; value: string }
	| { type: 'STRING'; value: string }
	/** A sequence set as a search key (`9001:*`), sent unquoted. */
	| { type: 'SEQUENCE'; value: string }
)[];

/** Deeper than this, a thread is flattened: no real conversation nests 200 levels. */
const MAX_DEPTH = 200;
/** Upper bound on UIDs kept from one reply, so a runaway server cannot exhaust memory. */
const MAX_UIDS = 2_000_000;

function asUid(token: ImapToken): number | null {
	if (!token || Array.isArray(token)) return null;
	const value = token.value;
	if (typeof value !== 'string' && typeof value !== 'number') return null;
	const text = String(value).trim();
	if (!/^[1-9][0-9]{0,9}$/.test(text)) return null;
	const n = Number(text);
	return n <= 0xffffffff ? n : null;
}

/**
 * The UIDs (or sequence numbers) of untagged SORT responses, in the server's order, duplicates
 * dropped (first occurrence kept), junk tokens ignored. Takes the attributes of each line.
 */
export function parseSortResponse(lines: ImapToken[][]): number[] {
	const seen = new Set<number>();
	const result: number[] = [];
	for (const line of lines) {
		for (const token of line) {
			const uid = asUid(token);
			if (uid === null || seen.has(uid)) continue;
			if (result.length >= MAX_UIDS) return result;
			seen.add(uid);
			result.push(uid);
		}
	}
	return result;
}

/**
 * One parenthesised thread list → a node. `(3 6 (4 23)(44 7 96))`: 3 → 6 → { 4 → 23, 44 → 7 → 96 }.
 * A list that starts with sub-lists has a dummy (null) root. Iterative over the chain, bounded
 * recursion over the nesting; a UID seen twice is kept once.
 */
function buildThread(list: ImapToken[], seen: Set<number>, depth: number): ThreadNode | null {
	const root: ThreadNode = { uid: null, children: [] };
	let tail = root;
	let isFirst = true;
	for (const token of list) {
		if (Array.isArray(token)) {
			const child =
				depth >= MAX_DEPTH ? flatThread(token, seen) : buildThread(token, seen, depth + 1);
			if (child) tail.children.push(child);
			continue;
		}
		const uid = asUid(token);
		if (uid === null || seen.has(uid)) continue;
		seen.add(uid);
		if (isFirst && tail === root && root.children.length === 0) {
			root.uid = uid;
		} else {
			const node: ThreadNode = { uid, children: [] };
			tail.children.push(node);
			tail = node;
		}
		isFirst = false;
	}
	if (root.uid === null && root.children.length === 0) return null;
	// A dummy root with a single child is just that child.
	if (root.uid === null && root.children.length === 1) return root.children[0] ?? null;
	return root;
}

/** Past the depth limit: every UID below becomes a direct child, in order (iterative). */
function flatThread(list: ImapToken[], seen: Set<number>): ThreadNode | null {
	const uids: number[] = [];
	const stack: ImapToken[][] = [list];
	while (stack.length > 0) {
		const current = stack.pop() ?? [];
		for (let i = current.length - 1; i >= 0; i--) {
			const token = current[i];
			if (Array.isArray(token)) stack.push(token);
		}
		for (const token of current) {
			const uid = asUid(token);
			if (uid !== null && !seen.has(uid)) {
				seen.add(uid);
				uids.push(uid);
			}
		}
	}
	if (uids.length === 0) return null;
	return { uid: null, children: uids.map((uid) => ({ uid, children: [] })) };
}

/** Untagged THREAD responses (their attributes) → one node per conversation. */
export function parseThreadResponse(lines: ImapToken[][]): ThreadNode[] {
	const seen = new Set<number>();
	const threads: ThreadNode[] = [];
	for (const line of lines) {
		for (const token of line) {
			// Top level holds thread lists only; a bare number there is a lone message.
			if (Array.isArray(token)) {
				const thread = buildThread(token, seen, 0);
				if (thread) threads.push(thread);
			} else {
				const uid = asUid(token);
				if (uid !== null && !seen.has(uid)) {
					seen.add(uid);
					threads.push({ uid, children: [] });
				}
			}
		}
	}
	return threads;
}

/** Every UID of a thread, depth first (parents before replies). */
export function threadUids(node: ThreadNode): number[] {
	const result: number[] = [];
	const stack: ThreadNode[] = [node];
	while (stack.length > 0) {
		const current = stack.pop();
		if (!current) continue;
		if (current.uid !== null) result.push(current.uid);
		for (let i = current.children.length - 1; i >= 0; i--) {
			const child = current.children[i];
			if (child) stack.push(child);
		}
	}
	return result;
}

/**
 * A tolerant tokenizer of IMAP response text into the same shape imapflow produces (tests, and
 * servers whose replies we log in text): numbers/atoms as `{ type: 'ATOM', value }`, parentheses
 * as nested arrays. Unbalanced parentheses are closed or ignored, never an exception.
 */
export function tokenizeImapLists(text: string): ImapToken[] {
	const root: ImapToken[] = [];
	const stack: ImapToken[][] = [root];
	let atom = '';
	const flush = () => {
		if (atom) (stack[stack.length - 1] ?? root).push({ type: 'ATOM', value: atom });
		atom = '';
	};
	for (const ch of text) {
		if (ch === '(') {
			flush();
			const list: ImapToken[] = [];
			(stack[stack.length - 1] ?? root).push(list);
			stack.push(list);
		} else if (ch === ')') {
			flush();
			if (stack.length > 1) stack.pop();
		} else if (/\s/.test(ch)) {
			flush();
		} else {
			atom += ch;
		}
	}
	flush();
	return root;
}

interface ExecResponse {
	next: () => void;
}
interface Untagged {
	attributes?: ImapToken[];
}
type Exec = (
	command: string,
	attributes: unknown[],
	options: { untagged: Record<string, (untagged: Untagged) => Promise<void>> }
) => Promise<ExecResponse>;

function execOf(client: ImapFlow): Exec {
	const exec = (client as unknown as { exec?: Exec }).exec;
	if (typeof exec !== 'function')
		throw new ImapError('IMAP_COMMAND', 'Commande IMAP indisponible.');
	return (command, attributes, options) => exec.call(client, command, attributes, options);
}

export function supportsSort(client: ImapFlow): boolean {
	return client.capabilities.has('SORT');
}

export function supportsThreadReferences(client: ImapFlow): boolean {
	return client.capabilities.has('THREAD=REFERENCES');
}

async function run(
	client: ImapFlow,
	command: string,
	attributes: unknown[],
	untaggedName: string,
	what: string
): Promise<ImapToken[][]> {
	const lines: ImapToken[][] = [];
	let response: ExecResponse;
	try {
		response = await execOf(client)(command, attributes, {
			untagged: {
				[untaggedName]: (untagged) => {
					lines.push(Array.isArray(untagged?.attributes) ? untagged.attributes : []);
					return Promise.resolve();
				}
			}
		});
	} catch (cause) {
		if (!client.usable) throw cause;
		throw new ImapError('IMAP_COMMAND', `Le serveur a refusé ${what}.`, { cause });
	}
	response.next();
	return lines;
}

/** `UID SORT (<keys>) UTF-8 <criteria>` on the selected folder: UIDs in sorted order. */
export async function uidSort(
	client: ImapFlow,
	options: { keys: SortKey[]; reverse?: boolean; criteria?: RawCriteria }
): Promise<number[]> {
	if (!supportsSort(client))
		throw new ImapError('IMAP_COMMAND', 'Le serveur ne sait pas trier (SORT).');
	const program = options.keys.flatMap((key) =>
		options.reverse
			? [
					{ type: 'ATOM', value: 'REVERSE' },
					{ type: 'ATOM', value: key }
				]
			: [{ type: 'ATOM', value: key }]
	);
	const criteria = options.criteria?.length ? options.criteria : [{ type: 'ATOM', value: 'ALL' }];
	const lines = await run(
		client,
		'UID SORT',
		[program, { type: 'ATOM', value: 'UTF-8' }, ...criteria],
		'SORT',
		'le tri'
	);
	return parseSortResponse(lines);
}

/** `UID THREAD REFERENCES UTF-8 <criteria>` on the selected folder. */
export async function uidThread(
	client: ImapFlow,
	options: { criteria?: RawCriteria } = {}
): Promise<ThreadNode[]> {
	if (!supportsThreadReferences(client))
		throw new ImapError('IMAP_COMMAND', 'Le serveur ne regroupe pas les conversations (THREAD).');
	const criteria = options.criteria?.length ? options.criteria : [{ type: 'ATOM', value: 'ALL' }];
	const lines = await run(
		client,
		'UID THREAD',
		[{ type: 'ATOM', value: 'REFERENCES' }, { type: 'ATOM', value: 'UTF-8' }, ...criteria],
		'THREAD',
		'le regroupement en conversations'
	);
	return parseThreadResponse(lines);
}
