/**
 * Building an outgoing message to the MSSanté rules, as raw RFC 5322 bytes, so that exactly the
 * same bytes are sent, appended to Sent and kept as a draft. The only MIME builder is nodemailer's.
 */
import { randomUUID } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';

export interface OutgoingAttachment {
	filename: string;
	contentType: string;
	content: Buffer;
}

export interface OutgoingMessage {
	from: { address: string; displayName: string };
	to: string[];
	cc: string[];
	bcc: string[];
	subject: string;
	/** The plain text body (always present: ECO.2.2.4 forbids HTML-only mail). */
	text: string;
	/** An equivalent HTML body; when given the message is multipart/alternative. */
	html?: string | null;
	inReplyTo?: string | null;
	references?: string[];
	attachments: OutgoingAttachment[];
	/** ECO.2.3.1: Return-Receipt-To the sender, and DSN NOTIFY=SUCCESS,FAILURE on the envelope. */
	requestDeliveryReceipt: boolean;
	/** ECO.2.3.2: Disposition-Notification-To the sender (RFC 8098). */
	requestReadReceipt: boolean;
	/** ECO.2.4.3: the Convergence product reference, on every message. */
	mssNil?: string | undefined;
	/** MSSanté headers set by the document builder (X-MSS-CODECDA, X-MSS-INS) or X-MSS-MES. */
	extraHeaders?: Record<string, string>;
	/** Drafts only: keep the Bcc header in the stored copy so that reopening the draft finds it. */
	keepBcc?: boolean;
}

export interface ComposedMessage {
	raw: Buffer;
	messageId: string;
	envelope: { from: string; to: string[] };
}

function domainOf(address: string): string {
	return address.split('@')[1] ?? 'localhost';
}

/** RFC 5322 references: the parent's References then its Message-ID (ECO.2.2.2), bounded in size. */
export function replyReferences(parent: {
	messageId: string | null;
	references: string[];
}): string[] {
	const chain = [...parent.references, ...(parent.messageId ? [parent.messageId] : [])];
	// Keep the first (thread root) and the most recent ones: some servers refuse huge headers.
	return chain.length > 20 ? [chain[0]!, ...chain.slice(-19)] : chain;
}

export async function composeMessage(message: OutgoingMessage): Promise<ComposedMessage> {
	// ECO.2.2.1: our own Message-ID, so we can find the message again in Sent and in replies.
	const messageId = `<${randomUUID()}@${domainOf(message.from.address)}>`;
	const headers: Record<string, string> = { ...message.extraHeaders };
	if (message.mssNil) headers['X-MSS-NIL'] = message.mssNil;
	if (message.requestDeliveryReceipt) headers['Return-Receipt-To'] = message.from.address;
	if (message.requestReadReceipt) headers['Disposition-Notification-To'] = message.from.address;

	const composer = new MailComposer({
		from: { name: message.from.displayName, address: message.from.address },
		to: message.to,
		cc: message.cc,
		// Bcc is kept in the raw copy only for drafts; when sending, the envelope carries it.
		bcc: message.keepBcc && message.bcc.length ? message.bcc : undefined,
		subject: message.subject,
		messageId,
		date: new Date(),
		inReplyTo: message.inReplyTo ?? undefined,
		references: message.references?.length ? message.references : undefined,
		// ECO.2.2.3: UTF-8 text parts.
		// An empty text part makes nodemailer crash (empty content object) or, with attachments,
		// drop the text part: an empty body is sent as one empty line.
		text: { content: message.text || '\r\n', contentType: 'text/plain; charset=utf-8' },
		html: message.html
			? { content: message.html, contentType: 'text/html; charset=utf-8' }
			: undefined,
		attachments: message.attachments.map((a) => ({
			filename: a.filename,
			contentType: a.contentType,
			// Explicit, so that a forwarded message/rfc822 is an attachment, not an inline part.
			contentDisposition: 'attachment' as const,
			content: a.content
		})),
		headers,
		xMailer: false,
		// The MSSanté headers are written as the referential spells them (X-MSS-NIL, not X-Mss-Nil).
		normalizeHeaderKey: (key: string) => (/^x-mss-/i.test(key) ? key.toUpperCase() : key),
		disableFileAccess: true,
		disableUrlAccess: true
	});
	const compiled = composer.compile();
	if (message.keepBcc) compiled.keepBcc = true;
	const raw = await compiled.build();
	return {
		raw,
		messageId,
		envelope: { from: message.from.address, to: [...message.to, ...message.cc, ...message.bcc] }
	};
}
