/**
 * Returning MDNs (ECO.3.1.6, RFC 8098): offer a read receipt when a message asks for one, send it
 * or decline it — both mark the message `$MDNSent` (RFC 3503) so it is never offered again — and
 * refuse a health document with an ANS integration code (900–906). Each operation writes exactly
 * one audit entry, without content.
 */
import { audited } from '../audit/index.ts';
import { AppError, ERROR_CODES } from '../errors.ts';
import { MDN_ERROR_CODES, type MdnErrorCode } from '../mssante/mdn-codes.ts';
import { getRuntime } from '../runtime.ts';
import type { Session } from '../session/store.ts';
import { fetchMessage, type RawMessage } from './imap/message.ts';
import { readMessageSource } from './imap/source.ts';
import { addFlags } from './imap/store.ts';
import { connectionFor, findMailbox } from './mailbox-access.ts';
import {
	buildMdn,
	hasMdnSent,
	headerAddress,
	MDN_SENT_KEYWORD,
	receiptOffer,
	type MdnKind
} from './mdn.ts';
import { forgetSessionMessages } from './message-cache.ts';
import type { MessageRef } from './reading.ts';
import { submitMessage } from './smtp/transport.ts';

/** The original message source is attached to a refusal up to this size. */
const MAX_ATTACHED_ORIGINAL = 20 * 1024 * 1024;
const MAX_COMMENT = 1000;

export function isMdnErrorCode(value: string): value is MdnErrorCode {
	return Object.hasOwn(MDN_ERROR_CODES, value);
}

/** One MDN at a time per message: a double click must not send two. */
const inFlight = new Set<string>();

async function withMessage<T>(
	session: Session,
	ref: MessageRef,
	run: (ctx: {
		message: RawMessage;
		connection: ReturnType<typeof connectionFor>;
		mailbox: ReturnType<typeof findMailbox>;
	}) => Promise<T>
): Promise<T> {
	const mailbox = findMailbox(session, ref.mailboxId);
	const connection = connectionFor(session, mailbox);
	const key = `${session.key}:${ref.mailboxId}:${ref.folder}:${ref.uid}`;
	if (inFlight.has(key))
		throw new AppError(ERROR_CODES.INVALID_INPUT, 'Un avis est déjà en cours d’envoi.');
	inFlight.add(key);
	try {
		// Fresh flags: the cached copy may predate a receipt sent from another tab.
		const message = await fetchMessage(connection, {
			folder: ref.folder,
			uid: ref.uid,
			markSeen: false
		});
		return await run({ message, connection, mailbox });
	} finally {
		inFlight.delete(key);
		forgetSessionMessages(session.key);
	}
}

async function submitMdn(
	session: Session,
	ctx: { mailbox: ReturnType<typeof findMailbox> },
	raw: Buffer,
	envelope: { from: string; to: string[] }
) {
	const { config } = getRuntime();
	return submitMessage({
		endpoint: config.smtp,
		auth: ctx.mailbox.auth,
		anchors: config.trustAnchors,
		dataDir: config.dataDir,
		raw,
		envelope
	});
}

/**
 * Sends the read receipt ("displayed"). `confirmed` must be true when the offer needs
 * confirmation; the page asks first.
 */
export async function sendReadReceipt(
	session: Session,
	ref: MessageRef,
	options: { confirmed: boolean }
): Promise<void> {
	await withMessage(session, ref, async ({ message, connection, mailbox }) => {
		const offer = receiptOffer(message);
		if (!offer) {
			throw new AppError(
				ERROR_CODES.INVALID_INPUT,
				hasMdnSent(message.flags)
					? 'Un accusé de lecture a déjà été envoyé (ou refusé) pour ce message.'
					: 'Ce message ne demande pas d’accusé de lecture.'
			);
		}
		if (offer.needsConfirmation && !options.confirmed) {
			throw new AppError(
				ERROR_CODES.INVALID_INPUT,
				'Confirmez l’envoi : l’adresse de l’accusé diffère de celle de l’expéditeur.'
			);
		}
		const mdn = buildMdn({
			from: { address: mailbox.address, displayName: mailbox.displayName },
			to: offer.to,
			original: {
				messageId: message.messageId,
				subject: message.subject,
				originalRecipient: headerAddress(message.headers.get('original-recipient'))
			},
			kind: { type: 'displayed' }
		});
		await audited(
			{
				actor: session.userLabel,
				mailbox: mailbox.address,
				action: 'send',
				request: `MDN displayed UID ${ref.uid} ${ref.folder} → ${offer.to}`
			},
			async () => {
				const result = await submitMdn(session, { mailbox }, mdn.raw, mdn.envelope);
				await addFlags(connection, {
					folder: ref.folder,
					uid: ref.uid,
					flags: [MDN_SENT_KEYWORD]
				});
				return result;
			},
			(result) => result.serverReply.slice(0, 120) || 'OK'
		);
	});
}

/** "Ne pas envoyer": marks the message so the receipt is not offered again. */
export async function declineReadReceipt(session: Session, ref: MessageRef): Promise<void> {
	const mailbox = findMailbox(session, ref.mailboxId);
	const connection = connectionFor(session, mailbox);
	await audited(
		{
			actor: session.userLabel,
			mailbox: mailbox.address,
			action: 'flag',
			request: `UID STORE ${ref.uid} +FLAGS (${MDN_SENT_KEYWORD}) ${ref.folder} (accusé non envoyé)`
		},
		() => addFlags(connection, { folder: ref.folder, uid: ref.uid, flags: [MDN_SENT_KEYWORD] })
	);
	forgetSessionMessages(session.key);
}

/** Where a refusal goes: the receipt address when asked, else the envelope sender, else From. */
export function refusalRecipient(message: RawMessage): string | null {
	return (
		headerAddress(message.headers.get('disposition-notification-to')) ??
		headerAddress(message.headers.get('return-path')) ??
		message.from?.address ??
		null
	);
}

/** Refuses the health document(s) of a message with an ANS error code (900–906) and a comment. */
export async function refuseHealthDocument(
	session: Session,
	ref: MessageRef,
	options: { code: string; comment: string }
): Promise<{ to: string }> {
	if (!isMdnErrorCode(options.code))
		throw new AppError(ERROR_CODES.INVALID_INPUT, 'Choisissez un motif de refus dans la liste.');
	const comment = options.comment.trim();
	if (comment.length > MAX_COMMENT)
		throw new AppError(
			ERROR_CODES.INVALID_INPUT,
			`Le commentaire est trop long (${MAX_COMMENT} caractères au plus).`
		);
	const code = options.code;
	return withMessage(session, ref, async ({ message, connection, mailbox }) => {
		const to = refusalRecipient(message);
		if (!to)
			throw new AppError(ERROR_CODES.INVALID_INPUT, 'Ce message n’a pas d’expéditeur à prévenir.');
		const source = await readMessageSource(connection, {
			folder: ref.folder,
			uid: ref.uid,
			maxBytes: MAX_ATTACHED_ORIGINAL
		});
		const kind: MdnKind = { type: 'refused', code, comment };
		const mdn = buildMdn({
			from: { address: mailbox.address, displayName: mailbox.displayName },
			to,
			original: {
				messageId: message.messageId,
				subject: message.subject,
				originalRecipient: headerAddress(message.headers.get('original-recipient')),
				source
			},
			kind
		});
		await audited(
			{
				actor: session.userLabel,
				mailbox: mailbox.address,
				action: 'send',
				request: `MDN refus ${code} UID ${ref.uid} ${ref.folder} → ${to}`
			},
			async () => {
				const result = await submitMdn(session, { mailbox }, mdn.raw, mdn.envelope);
				await addFlags(connection, {
					folder: ref.folder,
					uid: ref.uid,
					flags: [MDN_SENT_KEYWORD]
				});
				return result;
			},
			(result) => result.serverReply.slice(0, 120) || 'OK'
		);
		return { to };
	});
}
