/**
 * Bulk actions on the list's selection: one IMAP command over the UID set per action (UID STORE,
 * UID MOVE, UID EXPUNGE), one audit entry per action. The form is plain HTML (checkboxes named
 * `uid`, a button named `operation`), so it works without JavaScript; a checkbox of a conversation
 * carries all its UIDs ("4,7,9").
 */
import { audited } from '../audit/index.ts';
import { ImapError } from '../errors.ts';
import type { MailboxConnection } from './imap/connection.ts';
import { archiveMessages, changeFlags, deleteMessages, moveMessages } from './imap/organise.ts';

export const BULK_OPERATIONS = [
	'lu',
	'non-lu',
	'suivre',
	'ne-plus-suivre',
	'deplacer',
	'archiver',
	'supprimer'
] as const;
export type BulkOperation = (typeof BULK_OPERATIONS)[number];

/** More than this in one request is refused (a page holds 50 rows; conversations a few more). */
export const MAX_BULK_UIDS = 5_000;

export interface BulkRequest {
	operation: BulkOperation;
	uids: number[];
	/** Destination folder of `deplacer`. */
	target: string | null;
}

export type BulkParse = { ok: true; request: BulkRequest } | { ok: false; error: string };

/** Reads the list form. Pure, so every odd input is unit-tested. */
export function parseBulkForm(form: FormData): BulkParse {
	const rawOperation = form.get('operation');
	const operation = BULK_OPERATIONS.find((op) => op === rawOperation);
	if (!operation) return { ok: false, error: 'Choisissez une action.' };
	const uids = new Set<number>();
	for (const value of form.getAll('uid')) {
		if (typeof value !== 'string') continue;
		for (const part of value.split(',')) {
			const text = part.trim();
			if (!/^[1-9][0-9]{0,9}$/.test(text)) continue;
			const uid = Number(text);
			if (uid <= 0xffffffff) uids.add(uid);
		}
	}
	if (uids.size === 0) return { ok: false, error: 'Aucun message sélectionné.' };
	if (uids.size > MAX_BULK_UIDS)
		return { ok: false, error: `Sélection trop grande (plus de ${MAX_BULK_UIDS} messages).` };
	const rawTarget = form.get('dossier');
	const target = typeof rawTarget === 'string' && rawTarget.trim() ? rawTarget.trim() : null;
	if (operation === 'deplacer' && !target)
		return { ok: false, error: 'Choisissez le dossier de destination.' };
	return { ok: true, request: { operation, uids: [...uids].sort((a, b) => a - b), target } };
}

/** A compact IMAP sequence set: [1,2,3,7,9,10] → "1:3,7,9:10". */
export function compactUidSet(uids: number[]): string {
	const sorted = [...new Set(uids)].sort((a, b) => a - b);
	const parts: string[] = [];
	let i = 0;
	while (i < sorted.length) {
		const low = sorted[i] ?? 0;
		let high = low;
		while (sorted[i + 1] === high + 1) {
			high += 1;
			i += 1;
		}
		parts.push(low === high ? String(low) : `${low}:${high}`);
		i += 1;
	}
	return parts.join(',');
}

export interface BulkOutcome {
	/** The `?info=` key the list page shows. */
	info:
		| 'lus'
		| 'non-lus'
		| 'suivis'
		| 'non-suivis'
		| 'deplaces'
		| 'archives'
		| 'corbeille'
		| 'supprimes';
	count: number;
	/** Undo of a delete to Trash: `Trash:12,13,14` (up to MAX_UNDO_UIDS). */
	undo: string | null;
}

export interface BulkContext {
	connection: MailboxConnection;
	folder: string;
	/** Who asks, and on which mailbox (audit trail). */
	actor: string;
	mailbox: string;
}

const AUDIT_ACTION = {
	lu: 'flag',
	'non-lu': 'flag',
	suivre: 'flag',
	'ne-plus-suivre': 'flag',
	deplacer: 'move',
	archiver: 'move',
	supprimer: 'delete'
} as const;

function describe(request: BulkRequest, folder: string, set: string): string {
	switch (request.operation) {
		case 'lu':
			return `UID STORE ${set} +FLAGS (\\Seen) dans ${folder}`;
		case 'non-lu':
			return `UID STORE ${set} -FLAGS (\\Seen) dans ${folder}`;
		case 'suivre':
			return `UID STORE ${set} +FLAGS (\\Flagged) dans ${folder}`;
		case 'ne-plus-suivre':
			return `UID STORE ${set} -FLAGS (\\Flagged) dans ${folder}`;
		case 'deplacer':
			return `UID MOVE ${set} ${folder} → ${request.target ?? ''}`;
		case 'archiver':
			return `UID MOVE ${set} ${folder} → archives`;
		case 'supprimer':
			return `UID MOVE ${set} ${folder} → corbeille (ou UID EXPUNGE depuis la corbeille)`;
	}
}

export async function runBulk(context: BulkContext, request: BulkRequest): Promise<BulkOutcome> {
	const { connection, folder } = context;
	const uids = request.uids;
	const count = uids.length;
	const flag = async (name: string, isSet: boolean) =>
		changeFlags(connection, { folder, uids, change: { flag: name, isSet } });
	return audited(
		{
			actor: context.actor,
			mailbox: context.mailbox,
			action: AUDIT_ACTION[request.operation],
			request: describe(request, folder, compactUidSet(uids))
		},
		async (): Promise<BulkOutcome> => {
			switch (request.operation) {
				case 'lu':
					await flag('\\Seen', true);
					return { info: 'lus', count, undo: null };
				case 'non-lu':
					await flag('\\Seen', false);
					return { info: 'non-lus', count, undo: null };
				case 'suivre':
					await flag('\\Flagged', true);
					return { info: 'suivis', count, undo: null };
				case 'ne-plus-suivre':
					await flag('\\Flagged', false);
					return { info: 'non-suivis', count, undo: null };
				case 'deplacer': {
					if (!request.target)
						throw new ImapError('INVALID_INPUT', 'Dossier de destination manquant.');
					await moveMessages(connection, { folder, uids, target: request.target });
					return { info: 'deplaces', count, undo: null };
				}
				case 'archiver':
					await archiveMessages(connection, { folder, uids });
					return { info: 'archives', count, undo: null };
				case 'supprimer': {
					const result = await deleteMessages(connection, { folder, uids });
					if (!result.trash) return { info: 'supprimes', count, undo: null };
					const moved = uids
						.map((uid) => result.uidMap.get(uid))
						.filter((uid): uid is number => uid !== undefined);
					return {
						info: 'corbeille',
						count,
						undo:
							moved.length > 0 && moved.length <= MAX_UNDO_UIDS
								? `${result.trash}:${moved.join(',')}`
								: null
					};
				}
			}
		},
		(outcome) => `OK ${outcome.count}`
	);
}

/** Undo is offered for up to this many messages (the reference travels in the URL). */
export const MAX_UNDO_UIDS = 200;

/** Parses an undo reference `Folder:12,13` → folder and UIDs (folder names may contain ':'). */
export function parseUndoRef(value: unknown): { folder: string; uids: number[] } | null {
	if (typeof value !== 'string') return null;
	const match = value.match(/^(.+):([1-9]\d{0,9}(?:,[1-9]\d{0,9})*)$/);
	if (!match) return null;
	const uids = (match[2] ?? '').split(',').map(Number);
	if (uids.length > MAX_UNDO_UIDS) return null;
	return { folder: match[1] ?? '', uids };
}
