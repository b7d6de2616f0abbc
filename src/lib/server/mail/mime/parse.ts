/**
 * Parsing a raw RFC 5322 message into our own `ParsedMessage`. The only file importing
 * mailparser. Malformed MIME (unknown charsets, missing boundaries, deep nesting, huge headers)
 * never throws past here: what can be shown is returned with warnings.
 */
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import type { Readable } from 'node:stream';
import type { Address } from '../../../mail-types.ts';
import { MimeError } from '../../errors.ts';

export interface ParsedAttachment {
	filename: string;
	contentType: string;
	size: number;
	contentId: string | null;
	isInline: boolean;
	content: Buffer;
}

export interface ParsedMessage {
	subject: string;
	from: Address | null;
	to: Address[];
	cc: Address[];
	replyTo: Address[];
	date: Date | null;
	messageId: string | null;
	inReplyTo: string | null;
	references: string[];
	/** Lower-cased header name → raw header value(s) as text. */
	headers: Map<string, string>;
	text: string | null;
	html: string | null;
	attachments: ParsedAttachment[];
	warnings: string[];
}

function flatten(value: AddressObject | AddressObject[] | undefined): Address[] {
	const objects = Array.isArray(value) ? value : value ? [value] : [];
	const out: Address[] = [];
	const visit = (entries: { name: string; address?: string; group?: unknown[] }[]) => {
		for (const entry of entries) {
			if (entry.group) visit(entry.group as typeof entries);
			else out.push({ name: entry.name ?? '', address: entry.address ?? '' });
		}
	};
	for (const object of objects) visit(object.value);
	return out;
}

function headerText(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return value;
	if (value instanceof Date) return value.toISOString();
	if (Array.isArray(value)) return value.map(headerText).join(', ');
	if (typeof value === 'object' && 'text' in value) return headerText(value.text);
	if (typeof value === 'object' && 'value' in value) return headerText(value.value);
	return typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

/** A hostile or broken file name never reaches a page or a disk as is. */
export function safeFilename(name: string | undefined, fallback: string): string {
	const cleaned = (name ?? '')
		// eslint-disable-next-line no-control-regex -- control characters are exactly what we strip
		.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '')
		.split(/[\\/]/)
		.pop()
		?.trim()
		.replace(/^\.+/, '')
		.slice(0, 200);
	return cleaned || fallback;
}

function toParsed(mail: ParsedMail): ParsedMessage {
	const warnings: string[] = [];
	const headers = new Map<string, string>();
	for (const [key, value] of mail.headers) headers.set(key.toLowerCase(), headerText(value));
	const references = Array.isArray(mail.references)
		? mail.references
		: mail.references
			? [mail.references]
			: [];
	const attachments = mail.attachments.map((attachment, index) => ({
		filename: safeFilename(attachment.filename, `piece-jointe-${index + 1}`),
		contentType: (attachment.contentType || 'application/octet-stream').toLowerCase(),
		size: attachment.size ?? attachment.content.length,
		contentId: attachment.contentId ?? null,
		isInline: attachment.contentDisposition === 'inline' && Boolean(attachment.contentId),
		content: attachment.content
	}));
	if (!mail.text && !mail.html && attachments.length === 0) warnings.push('empty-body');
	return {
		subject: mail.subject ?? '',
		from: flatten(mail.from)[0] ?? null,
		to: flatten(mail.to),
		cc: flatten(mail.cc),
		replyTo: flatten(mail.replyTo),
		date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : null,
		messageId: mail.messageId ?? null,
		inReplyTo: mail.inReplyTo ?? null,
		references,
		headers,
		text: mail.text ?? null,
		html: typeof mail.html === 'string' ? mail.html : null,
		attachments,
		warnings
	};
}

export async function parseMessage(source: Buffer | Readable): Promise<ParsedMessage> {
	try {
		const mail = await simpleParser(source, {
			skipImageLinks: true,
			skipTextToHtml: true,
			skipTextLinks: true,
			maxHtmlLengthToParse: 2 * 1024 * 1024
		});
		return toParsed(mail);
	} catch (cause) {
		throw new MimeError('MIME_PARSE', 'Ce message est illisible (structure MIME invalide).', {
			cause
		});
	}
}
