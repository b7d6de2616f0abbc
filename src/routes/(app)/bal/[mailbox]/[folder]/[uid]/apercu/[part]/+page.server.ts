/**
 * The preview page of one attachment: its first bytes decide (magic numbers), never the declared
 * type. A PDF or an image is shown; a file posing as one is refused with a clear message and
 * offered as a download.
 */
import { error } from '@sveltejs/kit';
import { positiveIntParam, rethrowAsHttp } from '#lib/server/http-errors.ts';
import { readPartHead } from '#lib/server/mail/imap/source.ts';
import { mailboxConnection } from '#lib/server/mail/mailbox-access.ts';
import {
	declaredPreviewKind,
	PREVIEW_CONTENT_TYPES,
	SNIFF_BYTES,
	sniffPreviewKind
} from '#lib/server/mail/preview.ts';
import { loadMessage } from '#lib/server/mail/reading.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const session = locals.session;
	if (!session) error(401, 'Session expirée.');
	const uid = positiveIntParam(params.uid);
	if (!/^\d+(\.\d+)*$/.test(params.part)) error(404, 'Pièce jointe introuvable.');
	try {
		const message = await loadMessage(session, {
			mailboxId: params.mailbox,
			folder: params.folder,
			uid
		});
		const attachment = message.attachments.find((a) => a.partId === params.part);
		if (!attachment) error(404, 'Pièce jointe introuvable.');
		const head = await readPartHead(mailboxConnection(session, params.mailbox), {
			folder: params.folder,
			uid,
			partId: params.part,
			bytes: SNIFF_BYTES
		});
		const kind = sniffPreviewKind(head);
		const declared = declaredPreviewKind(attachment.contentType, attachment.filename);
		return {
			uid,
			partId: attachment.partId,
			filename: attachment.filename,
			size: attachment.size,
			declaredType: attachment.contentType,
			kind,
			realType: kind ? PREVIEW_CONTENT_TYPES[kind] : null,
			/** Claims to be a PDF or an image but its bytes say otherwise. */
			isImpostor: declared !== null && kind === null
		};
	} catch (err) {
		rethrowAsHttp(err);
	}
};
