/**
 * Message Disposition Notifications (RFC 8098, RFC 6522; ECO.3.1.6): the read receipt a user
 * chooses to return, and the refusal of a health document with an ANS integration error code
 * (900–906, `mssante/mdn-codes.ts`; ANS IG "struct-msg-mdn"). Built as raw bytes here — nodemailer's
 * composer has no multipart/report — and submitted through the ordinary transport.
 *
 * Structure: `multipart/report; report-type=disposition-notification` with (1) a French
 * human-readable text/plain part, (2) the machine-readable `message/disposition-notification`
 * (Reporting-UA, Original-Recipient, Final-Recipient, Original-Message-ID, Disposition) and, for
 * a refusal, (3) the original message as `message/rfc822` (the ANS IG requires it so the sender
 * can identify and resubmit the document). Pure functions, no I/O.
 */
import { randomUUID } from 'node:crypto';
import type { ReadReceiptOffer } from '../../mail-types.ts';
import type { RawMessage } from './imap/message.ts';
import {
	MDN_ERROR_CODES,
	mdnErrorValue,
	rejectionSubject,
	type MdnErrorCode
} from '../mssante/mdn-codes.ts';

/** RFC 3503: the keyword that says an MDN was sent (or the user declined) for a message. */
export const MDN_SENT_KEYWORD = '$MDNSent';

export type MdnKind =
	{ type: 'displayed' } | { type: 'refused'; code: MdnErrorCode; comment?: string };

export interface MdnInput {
	/** Our user's mailbox: From and Final-Recipient. */
	from: { address: string; displayName?: string };
	/** Where the MDN goes: the Disposition-Notification-To address (or the sender for a refusal). */
	to: string;
	original: {
		messageId: string | null;
		subject: string;
		/** The original message's `Original-Recipient` header when it had one. */
		originalRecipient?: string | null;
		date?: string | null;
		/** Full RFC 5322 source of the original, attached as message/rfc822 (refusals). */
		source?: Buffer | null;
	};
	kind: MdnKind;
	reportingUa?: string;
	date?: Date;
}

export interface BuiltMdn {
	raw: Buffer;
	messageId: string;
	subject: string;
	envelope: { from: string; to: string[] };
}

/** Header values never carry a line break from the input (header injection). */
const oneLine = (s: string) => s.replace(/[\r\n\t]+/g, ' ').trim();

function isAscii(s: string): boolean {
	return /^[\x20-\x7e]*$/.test(s);
}

/** RFC 2047 B-encoding in encoded-words short enough for 78-character lines. */
export function encodeHeaderText(value: string): string {
	const text = oneLine(value);
	if (isAscii(text)) return text;
	const words: string[] = [];
	let chunk = '';
	for (const char of text) {
		// 45 UTF-8 bytes → 60 base64 chars + 12 of `=?UTF-8?B??=` fits within 76.
		if (Buffer.byteLength(chunk + char) > 45) {
			words.push(chunk);
			chunk = '';
		}
		chunk += char;
	}
	if (chunk) words.push(chunk);
	return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join('\r\n ');
}

function formatMailbox(m: { address: string; displayName?: string }): string {
	const address = oneLine(m.address);
	if (!m.displayName) return address;
	const name = oneLine(m.displayName);
	return isAscii(name)
		? `"${name.replace(/["\\]/g, '')}" <${address}>`
		: `${encodeHeaderText(name)} <${address}>`;
}

function base64Lines(data: Buffer): string {
	return data.toString('base64').replace(/.{76}/g, '$&\r\n').replace(/\r\n$/, '') + '\r\n';
}

function rfc5322Date(date: Date): string {
	return date.toUTCString().replace('GMT', '+0000');
}

function domainOf(address: string): string {
	return address.split('@')[1] ?? 'localhost';
}

/** Message-IDs are kept with their angle brackets (RFC 8098 §3.2.5 uses msg-id syntax). */
function bracketed(id: string): string {
	const trimmed = oneLine(id);
	return trimmed.startsWith('<') ? trimmed : `<${trimmed}>`;
}

/** The Disposition field (RFC 8098 §3.2.6), with the ANS error modifier for a refusal. */
export function dispositionField(kind: MdnKind): string {
	return kind.type === 'displayed'
		? 'manual-action/MDN-sent-manually; displayed'
		: `manual-action/MDN-sent-manually; processed/Error: ${mdnErrorValue(kind.code)}`;
}

/** The `message/disposition-notification` body: one field per line, CRLF-terminated. */
export function dispositionReport(input: MdnInput): string {
	const finalRecipient = oneLine(input.from.address);
	const lines = [
		`Reporting-UA: ${oneLine(input.reportingUa ?? `${domainOf(finalRecipient)}; Confrere`)}`,
		// ANS asks for Original-Recipient: the original's header when present, else our address.
		`Original-Recipient: rfc822;${oneLine(input.original.originalRecipient || finalRecipient)}`,
		`Final-Recipient: rfc822;${finalRecipient}`,
		...(input.original.messageId
			? [`Original-Message-ID: ${bracketed(input.original.messageId)}`]
			: []),
		`Disposition: ${dispositionField(input.kind)}`
	];
	return `${lines.join('\r\n')}\r\n`;
}

/** The subject: ANS form for a refusal, a plain French one for a read receipt. */
export function mdnSubject(input: Pick<MdnInput, 'kind' | 'original'>): string {
	const original = oneLine(input.original.subject) || '(sans objet)';
	return input.kind.type === 'refused'
		? rejectionSubject(input.kind.code, original)
		: `Accusé de lecture : ${original}`;
}

function humanText(input: MdnInput): string {
	const subject = oneLine(input.original.subject) || '(sans objet)';
	const recipient = oneLine(input.from.address);
	if (input.kind.type === 'displayed') {
		return [
			`Le message « ${subject} » que vous avez envoyé à ${recipient} a été affiché par son destinataire.`,
			'',
			'Cet accusé de lecture indique seulement que le message a été ouvert : il ne garantit pas',
			'qu’il a été lu ni compris.',
			''
		].join('\r\n');
	}
	const { code } = input.kind;
	const comment = input.kind.comment?.trim();
	return [
		`Le document transmis dans le message « ${subject} » n’a pas pu être intégré par ${recipient}`,
		`pour la raison suivante : ${code} ${MDN_ERROR_CODES[code]}.`,
		`Le système a retourné l’erreur ${mdnErrorValue(code)}`,
		...(comment ? ['', 'Commentaire :', ...comment.split(/\r?\n/)] : []),
		'',
		'Le message d’origine est joint à cet avis.',
		''
	].join('\r\n');
}

/** Builds the whole MDN as raw RFC 5322 bytes. */
export function buildMdn(input: MdnInput): BuiltMdn {
	const from = oneLine(input.from.address);
	const to = oneLine(input.to);
	if (!/^[^\s@<>]+@[^\s@<>]+$/.test(to)) throw new Error('invalid MDN recipient');
	const messageId = `<${randomUUID()}@${domainOf(from)}>`;
	const boundary = `mdn-${randomUUID()}`;
	const subject = mdnSubject(input);
	const headers = [
		`From: ${formatMailbox(input.from)}`,
		`To: ${to}`,
		`Subject: ${encodeHeaderText(subject)}`,
		`Date: ${rfc5322Date(input.date ?? new Date())}`,
		`Message-ID: ${messageId}`,
		...(input.original.messageId
			? [
					`In-Reply-To: ${bracketed(input.original.messageId)}`,
					`References: ${bracketed(input.original.messageId)}`
				]
			: []),
		// RFC 3834 §5: responses that are not a person's message say so, so nobody auto-replies.
		'Auto-Submitted: auto-replied',
		'MIME-Version: 1.0',
		`Content-Type: multipart/report; report-type=disposition-notification;\r\n boundary="${boundary}"`
	];
	const parts = [
		[
			'Content-Type: text/plain; charset=utf-8',
			'Content-Transfer-Encoding: base64',
			'',
			base64Lines(Buffer.from(humanText(input), 'utf8'))
		].join('\r\n'),
		[
			'Content-Type: message/disposition-notification',
			// The ANS error label is French (accents): sent as 8bit, as the ANS example does.
			`Content-Transfer-Encoding: ${isAscii(dispositionReport(input).replace(/\r\n/g, '')) ? '7bit' : '8bit'}`,
			'',
			dispositionReport(input)
		].join('\r\n')
	];
	const chunks: Buffer[] = [
		Buffer.from(
			`${headers.join('\r\n')}\r\n\r\nCeci est un avis de traitement (MDN, RFC 8098).\r\n`
		)
	];
	for (const part of parts) chunks.push(Buffer.from(`\r\n--${boundary}\r\n${part}`, 'utf8'));
	if (input.kind.type === 'refused' && input.original.source) {
		chunks.push(
			Buffer.from(`\r\n--${boundary}\r\nContent-Type: message/rfc822\r\n\r\n`, 'utf8'),
			input.original.source
		);
	}
	chunks.push(Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'));
	return { raw: Buffer.concat(chunks), messageId, subject, envelope: { from, to: [to] } };
}

/** Bare address from a header such as `Dr X <x@y>`, or null. */
export function headerAddress(header: string | undefined | null): string | null {
	if (!header) return null;
	const match = header.match(/<([^<>\s]+@[^<>\s]+)>/) ?? header.match(/([^\s<>,;"]+@[^\s<>,;"]+)/);
	return match?.[1]?.trim() ?? null;
}

/**
 * RFC 8098 §2.1: when Disposition-Notification-To differs from Return-Path the user must confirm
 * (it may be a loop or a third party being told what you read). A missing Return-Path counts as
 * differing. Comparison ignores the case of the domain and of the local part (MSSanté addresses
 * are lower-case).
 */
export function receiptNeedsConfirmation(
	dispositionTo: string | null,
	returnPath: string | null
): boolean {
	if (!dispositionTo) return false;
	if (!returnPath) return true;
	return dispositionTo.trim().toLowerCase() !== returnPath.trim().toLowerCase();
}

export type { ReadReceiptOffer as ReceiptOffer } from '../../mail-types.ts';

export function hasMdnSent(flags: Set<string>): boolean {
	for (const flag of flags) if (flag.toLowerCase() === MDN_SENT_KEYWORD.toLowerCase()) return true;
	return false;
}

/** The offer for this message, or null: nothing asked, or already answered / declined. */
export function receiptOffer(
	message: Pick<RawMessage, 'headers' | 'flags'>
): ReadReceiptOffer | null {
	const to = headerAddress(message.headers.get('disposition-notification-to'));
	if (!to || hasMdnSent(message.flags)) return null;
	const returnPath = headerAddress(message.headers.get('return-path'));
	return { to, returnPath, needsConfirmation: receiptNeedsConfirmation(to, returnPath) };
}
