/**
 * What the composer's form action and its autosave endpoint share: reading the upload (with the
 * size limit), gathering the attachments (kept from the draft, the forwarded message, new files),
 * the sender's From with its display name, and saving a draft.
 */
import { sizeLimitMessage } from '../../message-size.ts';
import { getConfig } from '../config.ts';
import { openAppDb } from '../db/app-db.ts';
import { AppError } from '../errors.ts';
import { senderDisplayName } from '../profile/profile.ts';
import type { Session } from '../session/store.ts';
import {
	parseRecipients,
	readAttachments,
	readComposerValues,
	sizeProblem,
	toOutgoing,
	type ComposerValues
} from './draft-form.ts';
import {
	attachmentInfos,
	forwardedAttachment,
	keptAttachments,
	saveDraft,
	type DraftAttachmentInfo
} from './drafts.ts';
import { findMailbox } from './mailbox-access.ts';
import type { OutgoingAttachment } from './smtp/compose.ts';

/**
 * The request's form. SvelteKit (adapter-node) buffers it whole, refusing bodies over
 * `BODY_SIZE_LIMIT` while reading; that refusal becomes our French size message.
 */
export async function readComposerForm(request: Request, maxBytes: number): Promise<FormData> {
	try {
		return await request.formData();
	} catch (cause) {
		const length = Number(request.headers.get('content-length') ?? 0);
		if (length > maxBytes) {
			throw new AppError('MESSAGE_TOO_LARGE', sizeLimitMessage(length, maxBytes), { cause });
		}
		throw new AppError('INVALID_INPUT', 'Le formulaire n’a pas pu être lu. Réessayez.', { cause });
	}
}

export function senderFrom(session: Session, mailboxId: string) {
	const mailbox = findMailbox(session, mailboxId);
	return {
		address: mailbox.address,
		displayName: senderDisplayName(openAppDb(getConfig().dataDir), mailbox)
	};
}

/** Kept draft attachments, then the forwarded message, then the new files. */
export async function collectAttachments(
	session: Session,
	mailboxId: string,
	values: ComposerValues,
	uploaded: OutgoingAttachment[],
	maxBytes: number
): Promise<OutgoingAttachment[]> {
	const kept = values.draft
		? await keptAttachments(session, mailboxId, Number(values.draft), values.keep, maxBytes * 2)
		: [];
	const forwarded = values.forward
		? await forwardedAttachment(session, mailboxId, values.forward, maxBytes)
		: null;
	return [...kept, ...(forwarded ? [forwarded] : []), ...uploaded];
}

export interface DraftSaveResult {
	values: ComposerValues;
	savedAt: number;
	attachments: DraftAttachmentInfo[];
}

/** Saves the form as the draft (replacing the previous one); refuses it when over the limit. */
export async function saveComposerDraft(
	session: Session,
	mailboxId: string,
	form: FormData,
	extra: { mssNil: string | undefined; maxBytes: number }
): Promise<DraftSaveResult> {
	const values = readComposerValues(form);
	const uploaded = await readAttachments(form);
	const attachments = await collectAttachments(
		session,
		mailboxId,
		values,
		uploaded,
		extra.maxBytes
	);
	const tooBig = sizeProblem(values, attachments, extra.maxBytes);
	if (tooBig) throw new AppError('MESSAGE_TOO_LARGE', tooBig);
	// A draft may have unfinished recipients: only the valid ones are written (the browser's copy
	// keeps the rest).
	const lenient = (input: string) =>
		input
			.split(/[,;\n]+/)
			.flatMap((entry) => parseRecipients(entry).addresses)
			.filter((a, i, all) => all.indexOf(a) === i);
	const message = toOutgoing({
		values,
		to: lenient(values.to),
		cc: lenient(values.cc),
		bcc: lenient(values.bcc),
		attachments,
		from: senderFrom(session, mailboxId),
		parent: null,
		references: [],
		mssNil: extra.mssNil
	});
	const saved = await saveDraft({
		session,
		mailboxId,
		message,
		parent: values.parent,
		previousUid: values.draft ? Number(values.draft) : null
	});
	const next: ComposerValues = {
		...values,
		draft: saved.uid ? String(saved.uid) : '',
		forward: '',
		keep: attachments.map((_, i) => i)
	};
	return { values: next, savedAt: saved.savedAt, attachments: attachmentInfos(attachments) };
}
