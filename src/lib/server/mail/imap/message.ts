/**
 * Opening one message: its structure and headers in one FETCH, then only its text parts in one
 * more (never the attachments: a 20 MB PDF costs nothing until it is downloaded, and then it is
 * streamed). Broken structures still show what can be shown, with warnings.
 */
import type { MessageStructureObject } from 'imapflow';
import type { Readable } from 'node:stream';
import type { Address, AttachmentInfo } from '../../../mail-types.ts';
import { ImapError } from '../../errors.ts';
import { safeFilename } from '../mime/parse.ts';
import type { MailboxConnection } from './connection.ts';

export interface RawMessage {
	uid: number;
	folder: string;
	uidValidity: string;
	subject: string;
	from: Address | null;
	to: Address[];
	cc: Address[];
	replyTo: Address[];
	date: string | null;
	messageId: string | null;
	flags: Set<string>;
	/** Lower-cased names of the few headers we act on (receipts, MSSanté headers). */
	headers: Map<string, string>;
	text: string | null;
	html: string | null;
	attachments: AttachmentInfo[];
	/** Content-ID (without brackets) → part id, for inline images. */
	inlineParts: Map<string, string>;
	warnings: string[];
}

const WANTED_HEADERS = [
	'disposition-notification-to',
	'return-path',
	'return-receipt-to',
	'in-reply-to',
	'references',
	'x-mss-codecda',
	'x-mss-ins',
	'x-mss-mes'
];

const MAX_TEXT_PART_BYTES = 4 * 1024 * 1024;

interface Walk {
	text: string | null;
	html: string | null;
	attachments: AttachmentInfo[];
	inline: Map<string, string>;
}

function walkStructure(root: MessageStructureObject): Walk {
	const out: Walk = { text: null, html: null, attachments: [], inline: new Map() };
	const visit = (part: MessageStructureObject, depth: number) => {
		if (depth > 50) return;
		const type = part.type.toLowerCase();
		const id = part.part ?? '1';
		if (type.startsWith('multipart/')) {
			part.childNodes?.forEach((child) => visit(child, depth + 1));
			return;
		}
		const filename = part.dispositionParameters?.filename ?? part.parameters?.name;
		const isAttachment = part.disposition === 'attachment' || Boolean(filename);
		if (!isAttachment && type === 'text/plain' && out.text === null) out.text = id;
		else if (!isAttachment && type === 'text/html' && out.html === null) out.html = id;
		else {
			const contentId = part.id?.replace(/^<|>$/g, '');
			const isInline =
				part.disposition !== 'attachment' && Boolean(contentId) && type.startsWith('image/');
			if (isInline && contentId) out.inline.set(contentId, id);
			out.attachments.push({
				partId: id,
				filename: safeFilename(filename, `piece-jointe-${out.attachments.length + 1}`),
				contentType: type,
				// Encoded size: base64 is about 4/3 of the file.
				size:
					part.encoding === 'base64' ? Math.floor(((part.size ?? 0) * 3) / 4) : (part.size ?? 0),
				isInline
			});
		}
	};
	visit(root, 0);
	return out;
}

function decodeText(
	content: Buffer | null | undefined,
	charset: string | undefined,
	warnings: string[]
): string | null {
	if (!content) return null;
	try {
		return new TextDecoder(charset || 'utf-8').decode(content);
	} catch {
		// Unknown or wrong charset: show it as UTF-8 with replacement characters rather than nothing.
		warnings.push('unknown-charset');
		return new TextDecoder('utf-8').decode(content);
	}
}

function parseHeaderBlock(block: Buffer | undefined): Map<string, string> {
	const headers = new Map<string, string>();
	if (!block) return headers;
	const unfolded = block.toString('utf8').replace(/\r?\n[ \t]+/g, ' ');
	for (const line of unfolded.split(/\r?\n/)) {
		const colon = line.indexOf(':');
		if (colon > 0)
			headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
	}
	return headers;
}

function addressList(list: { name?: string; address?: string }[] | undefined): Address[] {
	return (list ?? []).map((a) => ({ name: a.name ?? '', address: a.address ?? '' }));
}

export async function fetchMessage(
	connection: MailboxConnection,
	options: { folder: string; uid: number; markSeen?: boolean }
): Promise<RawMessage> {
	return connection.inFolder(
		options.folder,
		async (client) => {
			const fetched = await client.fetchOne(
				String(options.uid),
				{ uid: true, flags: true, envelope: true, bodyStructure: true, headers: WANTED_HEADERS },
				{ uid: true }
			);
			if (!fetched) throw new ImapError('MESSAGE_NOT_FOUND', 'Ce message n’existe plus.');
			const warnings: string[] = [];
			const walk = fetched.bodyStructure
				? walkStructure(fetched.bodyStructure)
				: { text: null, html: null, attachments: [], inline: new Map<string, string>() };
			if (!fetched.bodyStructure) warnings.push('no-structure');
			const wanted = [walk.text, walk.html].filter((p): p is string => p !== null);
			const parts = wanted.length
				? await client.downloadMany(String(options.uid), wanted, {
						uid: true,
						maxBytes: MAX_TEXT_PART_BYTES
					})
				: {};
			const textPart = walk.text ? parts[walk.text] : undefined;
			const htmlPart = walk.html ? parts[walk.html] : undefined;
			const flags = fetched.flags ?? new Set<string>();
			if (options.markSeen !== false && !flags.has('\\Seen')) {
				await client.messageFlagsAdd(String(options.uid), ['\\Seen'], { uid: true });
				flags.add('\\Seen');
			}
			const envelope = fetched.envelope;
			return {
				uid: options.uid,
				folder: options.folder,
				uidValidity: String(client.mailbox ? client.mailbox.uidValidity : ''),
				subject: envelope?.subject ?? '',
				from: addressList(envelope?.from)[0] ?? null,
				to: addressList(envelope?.to),
				cc: addressList(envelope?.cc),
				replyTo: addressList(envelope?.replyTo),
				date: envelope?.date ? new Date(envelope.date).toISOString() : null,
				messageId: envelope?.messageId ?? null,
				flags,
				headers: parseHeaderBlock(fetched.headers),
				text: decodeText(textPart?.content, textPart?.meta.charset, warnings),
				html: decodeText(htmlPart?.content, htmlPart?.meta.charset, warnings),
				attachments: walk.attachments,
				inlineParts: walk.inline,
				warnings
			};
		},
		{ isIdempotent: true }
	);
}

/**
 * Streams one part (decoded), for downloads and inline images. imapflow fetches it in chunks, so
 * the folder stays locked (selected) until the stream ends, whatever other requests want.
 */
export async function streamPart(
	connection: MailboxConnection,
	options: { folder: string; uid: number; partId: string }
): Promise<{
	content: Readable;
	contentType: string;
	filename: string | null;
	size: number | null;
}> {
	return connection.run(async (client) => {
		const lock = await client.getMailboxLock(options.folder);
		try {
			const result = await client.download(String(options.uid), options.partId, { uid: true });
			if (!result.content)
				throw new ImapError('MESSAGE_NOT_FOUND', 'Cette pièce jointe n’existe plus.');
			let isReleased = false;
			const release = () => {
				if (!isReleased) lock.release();
				isReleased = true;
			};
			result.content.once('end', release).once('error', release).once('close', release);
			return {
				content: result.content,
				contentType: result.meta.contentType ?? 'application/octet-stream',
				filename: result.meta.filename ?? null,
				size: result.meta.expectedSize ?? null
			};
		} catch (error) {
			lock.release();
			throw error;
		}
	});
}
