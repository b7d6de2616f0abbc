/**
 * Drafts kept on the server, in the mailbox's Drafts folder (RFC 6154 \Drafts). Each save APPENDs
 * the new version and then deletes the previous UID, so the folder holds one copy of each draft
 * and a failed save never loses the previous one. A draft is reopened from its raw source: the
 * fields, the answered message (header `X-Confrere-Parent`) and the attachments.
 */
import { audited } from '../audit/index.ts';
import { ImapError, isAppError } from '../errors.ts';
import type { Session } from '../session/store.ts';
import type { ComposerValues } from './draft-form.ts';
import { emptyComposerValues } from './draft-form.ts';
import { appendMessage, expungeMessage, folderByRole } from './imap/store.ts';
import { fetchSource } from './imap/source.ts';
import { connectionFor, findMailbox } from './mailbox-access.ts';
import { parseMessage } from './mime/parse.ts';
import { composeMessage, type OutgoingAttachment, type OutgoingMessage } from './smtp/compose.ts';
import { parseParentRef } from './reply.ts';

export const PARENT_HEADER = 'X-Confrere-Parent';

export interface DraftAttachmentInfo {
	index: number;
	filename: string;
	contentType: string;
	size: number;
}

export interface SavedDraft {
	uid: number | null;
	savedAt: number;
	attachments: DraftAttachmentInfo[];
}

export function attachmentInfos(attachments: OutgoingAttachment[]): DraftAttachmentInfo[] {
	return attachments.map((a, index) => ({
		index,
		filename: a.filename,
		contentType: a.contentType,
		size: a.content.length
	}));
}

/** Replaces the draft `previousUid` (if any) by this version of the message. */
export async function saveDraft(options: {
	session: Session;
	mailboxId: string;
	message: OutgoingMessage;
	parent: string;
	previousUid: number | null;
}): Promise<SavedDraft> {
	const mailbox = findMailbox(options.session, options.mailboxId);
	const connection = connectionFor(options.session, mailbox);
	const headers = { ...options.message.extraHeaders };
	if (parseParentRef(options.parent)) headers[PARENT_HEADER] = options.parent;
	const composed = await composeMessage({
		...options.message,
		extraHeaders: headers,
		keepBcc: true
	});
	const drafts = await folderByRole(connection, 'drafts');
	const uid = await audited(
		{
			actor: options.session.userLabel,
			mailbox: mailbox.address,
			action: 'draft',
			request: `APPEND ${drafts} (${composed.raw.length} octets)${options.previousUid ? ` + UID EXPUNGE ${options.previousUid}` : ''}`
		},
		async () => {
			const uid = await appendMessage(connection, {
				folder: drafts,
				raw: composed.raw,
				flags: ['\\Draft', '\\Seen']
			});
			if (options.previousUid && options.previousUid !== uid) {
				await removeQuietly(connection, drafts, options.previousUid);
			}
			return uid;
		},
		(uid) => (uid ? `OK UID ${uid}` : 'OK')
	);
	return { uid, savedAt: Date.now(), attachments: attachmentInfos(options.message.attachments) };
}

async function removeQuietly(
	connection: ReturnType<typeof connectionFor>,
	folder: string,
	uid: number
): Promise<void> {
	try {
		await expungeMessage(connection, { folder, uid });
	} catch (error) {
		// Already gone (sent, deleted in another tab): nothing to replace.
		if (!isAppError(error) || error.code !== 'MESSAGE_NOT_FOUND') throw error;
	}
}

/** Removes a draft once its message is queued (the outbox keeps its own copy in Drafts). */
export async function discardDraft(
	session: Session,
	mailboxId: string,
	uid: number
): Promise<void> {
	const mailbox = findMailbox(session, mailboxId);
	const connection = connectionFor(session, mailbox);
	const drafts = await folderByRole(connection, 'drafts');
	await removeQuietly(connection, drafts, uid);
}

async function readDraft(session: Session, mailboxId: string, uid: number, maxBytes: number) {
	const mailbox = findMailbox(session, mailboxId);
	const connection = connectionFor(session, mailbox);
	const drafts = await folderByRole(connection, 'drafts');
	const raw = await fetchSource(connection, { folder: drafts, uid, maxBytes });
	return parseMessage(raw);
}

const joinAddresses = (list: { address: string }[]) =>
	list
		.map((a) => a.address)
		.filter(Boolean)
		.join(', ');

/** The composer's fields and attachment list from a draft of the Drafts folder. */
export async function openDraft(
	session: Session,
	mailboxId: string,
	uid: number,
	maxBytes: number
): Promise<{ values: ComposerValues; attachments: DraftAttachmentInfo[] }> {
	const parsed = await readDraft(session, mailboxId, uid, maxBytes);
	const values = emptyComposerValues();
	values.to = joinAddresses(parsed.to);
	values.cc = joinAddresses(parsed.cc);
	const bcc = parsed.headers.get('bcc') ?? '';
	values.bcc = (bcc.match(/[^\s<>,;"]+@[^\s<>,;"]+/g) ?? []).join(', ');
	values.subject = parsed.subject;
	const text = (parsed.text ?? '').replace(/\r\n/g, '\n');
	values.text = text.trim() ? text.replace(/\n$/, '') : '';
	const parent = parsed.headers.get(PARENT_HEADER.toLowerCase()) ?? '';
	values.parent = parseParentRef(parent) ? parent : '';
	values.deliveryReceipt = parsed.headers.has('return-receipt-to');
	values.readReceipt = parsed.headers.has('disposition-notification-to');
	values.draft = String(uid);
	values.keep = parsed.attachments.map((_, i) => i);
	return {
		values,
		attachments: parsed.attachments.map((a, index) => ({
			index,
			filename: a.filename,
			contentType: a.contentType,
			size: a.size
		}))
	};
}

/** The attachments of the current draft the user kept, in their order. */
export async function keptAttachments(
	session: Session,
	mailboxId: string,
	uid: number,
	keep: number[],
	maxBytes: number
): Promise<OutgoingAttachment[]> {
	if (!keep.length) return [];
	let parsed;
	try {
		parsed = await readDraft(session, mailboxId, uid, maxBytes);
	} catch (error) {
		if (isAppError(error) && error.code === 'MESSAGE_NOT_FOUND') {
			throw new ImapError(
				'MESSAGE_NOT_FOUND',
				'Le brouillon a été supprimé ou envoyé depuis un autre onglet : ses pièces jointes ne sont plus disponibles.'
			);
		}
		throw error;
	}
	return parsed.attachments
		.filter((_, i) => keep.includes(i))
		.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content }));
}

/** The original message as a message/rfc822 attachment (forward as attachment). */
export async function forwardedAttachment(
	session: Session,
	mailboxId: string,
	ref: string,
	maxBytes: number
): Promise<OutgoingAttachment | null> {
	const location = parseParentRef(ref);
	if (!location) return null;
	const mailbox = findMailbox(session, mailboxId);
	const connection = connectionFor(session, mailbox);
	const raw = await fetchSource(connection, { ...location, maxBytes });
	const parsed = await parseMessage(raw);
	// eslint-disable-next-line no-control-regex
	const name = (parsed.subject || 'message').replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').trim();
	return {
		filename: `${name.slice(0, 80) || 'message'}.eml`,
		contentType: 'message/rfc822',
		content: raw
	};
}
