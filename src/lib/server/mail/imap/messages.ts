/**
 * The message list, paginated by sequence number in arrival order, newest first: one UID FETCH
 * round trip for a page on a warm connection, never a walk over the whole folder (a 100 000-message
 * envelope sweep costs seconds of CPU — spec webmail-anchors §4.3).
 */
import type { FetchMessageObject, ImapFlow, MessageStructureObject } from 'imapflow';
import {
	PATIENT_DOMAIN,
	XDM_SUBJECT_PREFIX,
	type Address,
	type MessagePage,
	type MessageSummary
} from '../../../mail-types.ts';
import { messageKeywords } from '../../../keywords.ts';
import type { MailboxConnection } from './connection.ts';

export const DEFAULT_PAGE_SIZE = 50;

export interface ListOptions {
	folder: string;
	/** 0-based page number. */
	page: number;
	pageSize?: number;
}

function firstAddress(list: { name?: string; address?: string }[] | undefined): Address | null {
	const first = list?.[0];
	return first ? { name: first.name ?? '', address: first.address ?? '' } : null;
}

function addresses(list: { name?: string; address?: string }[] | undefined): Address[] {
	return (list ?? []).map((a) => ({ name: a.name ?? '', address: a.address ?? '' }));
}

interface StructureFacts {
	hasAttachments: boolean;
	hasXdm: boolean;
}

/** Walks BODYSTRUCTURE: attachments, and an IHE_XDM.ZIP in any case (ECO.3.1.x, SC.MSS/UX.01). */
export function structureFacts(node: MessageStructureObject | undefined): StructureFacts {
	const facts: StructureFacts = { hasAttachments: false, hasXdm: false };
	const visit = (part: MessageStructureObject) => {
		const filename = part.dispositionParameters?.filename ?? part.parameters?.name;
		if (part.disposition === 'attachment' || (filename && !part.type.startsWith('multipart/'))) {
			facts.hasAttachments = true;
			if (filename && /(^|[\\/])ihe_xdm\.zip$/i.test(filename)) facts.hasXdm = true;
		}
		part.childNodes?.forEach(visit);
	};
	if (node) visit(node);
	return facts;
}

export function toSummary(message: FetchMessageObject): MessageSummary {
	const envelope = message.envelope;
	const subject = envelope?.subject ?? '';
	const from = firstAddress(envelope?.from);
	const facts = structureFacts(message.bodyStructure);
	const date = envelope?.date ?? message.internalDate;
	return {
		uid: message.uid,
		seq: message.seq,
		subject,
		from,
		to: addresses(envelope?.to),
		date: date ? new Date(date).toISOString() : null,
		size: message.size ?? 0,
		isSeen: message.flags?.has('\\Seen') ?? false,
		isFlagged: message.flags?.has('\\Flagged') ?? false,
		isAnswered: message.flags?.has('\\Answered') ?? false,
		hasAttachments: facts.hasAttachments,
		isHealthDocument: facts.hasXdm || subject.startsWith(XDM_SUBJECT_PREFIX),
		isFromPatient: from?.address.toLowerCase().endsWith(`@${PATIENT_DOMAIN}`) ?? false,
		keywords: messageKeywords(message.flags ?? [])
	};
}

/**
 * A folder selected by an earlier request may have changed since (this connection does not idle):
 * a NOOP collects the pending updates (new mail: imapflow's `exists` grows). With QRESYNC imapflow
 * does not count our own moves' VANISHED replies out of `exists`, and a STATUS on the selected
 * folder does not update it either: the STATUS answer, sent in the same write, is the count we keep.
 */
export async function refreshSelected(client: ImapFlow, folder: string): Promise<void> {
	const [, status] = await Promise.all([client.noop(), client.status(folder, { messages: true })]);
	if (client.mailbox && status && typeof status.messages === 'number') {
		client.mailbox.exists = status.messages;
	}
}

/** One page in arrival order on the selected folder: one FETCH by sequence range. */
export async function pageBySequence(
	client: ImapFlow,
	options: { folder: string; page: number; pageSize: number }
): Promise<MessagePage> {
	const { pageSize } = options;
	const total = client.mailbox ? client.mailbox.exists : 0;
	const high = total - options.page * pageSize;
	if (high < 1)
		return { folder: options.folder, total, page: options.page, pageSize, messages: [] };
	const low = Math.max(1, high - pageSize + 1);
	const fetched = await client.fetchAll(`${low}:${high}`, {
		uid: true,
		flags: true,
		envelope: true,
		bodyStructure: true,
		internalDate: true,
		size: true
	});
	const messages = fetched.map(toSummary).sort((a, b) => b.seq - a.seq);
	return { folder: options.folder, total, page: options.page, pageSize, messages };
}

export async function listMessages(
	connection: MailboxConnection,
	options: ListOptions
): Promise<MessagePage> {
	const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
	return connection.inFolder(
		options.folder,
		async (client, wasSelected) => {
			if (wasSelected) await refreshSelected(client, options.folder);
			return pageBySequence(client, { folder: options.folder, page: options.page, pageSize });
		},
		{ isIdempotent: true }
	);
}
