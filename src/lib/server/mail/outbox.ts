/**
 * Sending with an undo window, without ever losing a message. On submit the message is composed
 * once and appended to Drafts (so a crash, a restart or a failure keeps it); after the undo delay it
 * is submitted, transient failures are retried, then the same bytes go to Sent and the draft is
 * removed. Cancelling leaves the draft where the user can reopen it.
 */
import { randomUUID } from 'node:crypto';
import { audit } from '../audit/index.ts';
import { recordCorrespondents } from '../correspondents.ts';
import { openAppDb } from '../db/app-db.ts';
import { sizeLimitMessage } from '../../message-size.ts';
import { AppError, isAppError, SmtpError } from '../errors.ts';
import { childLogger } from '../log.ts';
import { getRuntime } from '../runtime.ts';
import type { Session, SessionMailbox } from '../session/store.ts';
import { addFlags, appendMessage, expungeMessage, folderByRole } from './imap/store.ts';
import { connectionFor, findMailbox } from './mailbox-access.ts';
import { composeMessage, type OutgoingMessage } from './smtp/compose.ts';
import { submitMessage, toSmtpError } from './smtp/transport.ts';

export type SendState = 'pending' | 'sending' | 'sent' | 'failed' | 'cancelled';

export interface SendStatus {
	id: string;
	state: SendState;
	/** When the undo window closes (ms since epoch). */
	sendAt: number;
	error: string | null;
	serverReply: string | null;
	draftUid: number | null;
}

interface PendingSend extends SendStatus {
	sessionKey: string;
	mailbox: SessionMailbox;
	raw: Buffer;
	messageId: string;
	envelope: { from: string; to: string[] };
	wantsDsn: boolean;
	replyTo: { folder: string; uid: number } | null;
	timer: NodeJS.Timeout | null;
}

const RETRY_DELAYS_MS = [2_000, 5_000, 15_000];
const KEEP_FINISHED_MS = 10 * 60_000;
const sends = new Map<string, PendingSend>();
const log = childLogger({ component: 'outbox' });

function publicStatus(p: PendingSend): SendStatus {
	return {
		id: p.id,
		state: p.state,
		sendAt: p.sendAt,
		error: p.error,
		serverReply: p.serverReply,
		draftUid: p.draftUid
	};
}

function forget(id: string): void {
	setTimeout(() => sends.delete(id), KEEP_FINISHED_MS).unref();
}

export interface QueueOptions {
	session: Session;
	mailboxId: string;
	message: OutgoingMessage;
	undoMs: number;
	/** The message this one answers: flagged \Answered once sent. */
	replyTo?: { folder: string; uid: number } | null;
}

export async function queueSend(options: QueueOptions): Promise<SendStatus> {
	const mailbox = findMailbox(options.session, options.mailboxId);
	const connection = connectionFor(options.session, mailbox);
	const composed = await composeMessage(options.message);
	// The last check before anything is kept or submitted: the exact bytes against the limit.
	const limit = getRuntime().config.maxMessageBytes;
	if (composed.raw.length > limit) {
		throw new AppError('MESSAGE_TOO_LARGE', sizeLimitMessage(composed.raw.length, limit));
	}
	// Kept as a draft first: nothing is lost whatever happens next.
	const drafts = await folderByRole(connection, 'drafts');
	const draftUid = await appendMessage(connection, {
		folder: drafts,
		raw: composed.raw,
		flags: ['\\Draft', '\\Seen']
	});
	const pending: PendingSend = {
		id: randomUUID(),
		state: 'pending',
		sendAt: Date.now() + options.undoMs,
		error: null,
		serverReply: null,
		draftUid,
		sessionKey: options.session.key,
		mailbox,
		raw: composed.raw,
		messageId: composed.messageId,
		envelope: composed.envelope,
		wantsDsn: options.message.requestDeliveryReceipt,
		replyTo: options.replyTo ?? null,
		timer: null
	};
	sends.set(pending.id, pending);
	pending.timer = setTimeout(() => {
		deliver(pending, options.session).catch((err: unknown) =>
			log.error({ err: String(err) }, 'delivery crashed')
		);
	}, options.undoMs);
	return publicStatus(pending);
}

export function sendStatus(session: Session, id: string): SendStatus | null {
	const pending = sends.get(id);
	return pending && pending.sessionKey === session.key ? publicStatus(pending) : null;
}

/** Undo: only while the window is open; the draft stays in Drafts. */
export function cancelSend(session: Session, id: string): SendStatus | null {
	const pending = sends.get(id);
	if (!pending || pending.sessionKey !== session.key) return null;
	if (pending.state === 'pending') {
		if (pending.timer) clearTimeout(pending.timer);
		pending.state = 'cancelled';
		forget(id);
	}
	return publicStatus(pending);
}

async function deliver(pending: PendingSend, session: Session): Promise<void> {
	if (pending.state !== 'pending') return;
	pending.state = 'sending';
	const { config } = getRuntime();
	let lastError: SmtpError | null = null;
	for (let attempt = 0; attempt <= RETRY_DELAYS_MS.length; attempt++) {
		try {
			await submitMessage({
				// ECO.1.3.1: certificate mailboxes may have their own submission port.
				endpoint:
					pending.mailbox.auth.kind === 'certificate' ? config.smtpCertificate : config.smtp,
				auth: pending.mailbox.auth,
				anchors: config.trustAnchors,
				dataDir: config.dataDir,
				raw: pending.raw,
				envelope: pending.envelope,
				dsn: pending.wantsDsn ? { id: pending.messageId } : null
			});
			lastError = null;
			break;
		} catch (error) {
			// Anything unexpected is a failure too: the message must never be reported sent.
			lastError = error instanceof SmtpError ? error : toSmtpError(error);
			log.warn({ attempt, code: isAppError(error) ? error.code : 'unknown' }, 'submission failed');
			if (!lastError?.transient || attempt === RETRY_DELAYS_MS.length) break;
			await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt]));
		}
	}
	// One audit entry per submission, with the server's answer (never content).
	audit({
		actor: session.userLabel,
		mailbox: pending.mailbox.address,
		action: 'send',
		request: `SMTP ${pending.envelope.to.length} destinataire(s), ${pending.raw.length} octets`,
		outcome: lastError ? 'failure' : 'ok',
		answer: lastError
			? `${lastError.code}${lastError.serverReply ? ` ${lastError.serverReply}` : ''}`.slice(0, 300)
			: 'OK'
	});
	if (lastError) {
		pending.state = 'failed';
		pending.error = lastError.message;
		pending.serverReply = lastError.serverReply ?? null;
		forget(pending.id);
		return;
	}
	pending.state = 'sent';
	forget(pending.id);
	try {
		recordCorrespondents(
			openAppDb(config.dataDir),
			pending.mailbox.address,
			pending.envelope.to.map((address) => ({ address }))
		);
	} catch (error) {
		log.warn({ err: String(error) }, 'recording recent correspondents failed');
	}
	await fileAfterSending(pending, session);
}

/** Sent copy, draft removal and \Answered: failures here are logged, the message is already sent. */
async function fileAfterSending(pending: PendingSend, session: Session): Promise<void> {
	const connection = connectionFor(session, pending.mailbox);
	try {
		const sent = await folderByRole(connection, 'sent');
		await appendMessage(connection, { folder: sent, raw: pending.raw, flags: ['\\Seen'] });
		if (pending.draftUid !== null) {
			await expungeMessage(connection, {
				folder: await folderByRole(connection, 'drafts'),
				uid: pending.draftUid
			});
		}
		if (pending.replyTo) await addFlags(connection, { ...pending.replyTo, flags: ['\\Answered'] });
	} catch (error) {
		log.warn(
			{ code: isAppError(error) ? error.code : String(error) },
			'filing after sending failed'
		);
	}
}
