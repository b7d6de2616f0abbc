/**
 * Reading a message: fetched once (then cached briefly), turned into the page's `MessageView`, and
 * its body rendered as a standalone sanitised document for the sandboxed frame.
 */
import { audited, sessionScope } from '../audit/index.ts';
import { messageKeywords } from '../../keywords.ts';
import type { MessageView } from '../../mail-types.ts';
import type { Session } from '../session/store.ts';
import { fetchMessage, type RawMessage } from './imap/message.ts';
import { mailboxConnection } from './mailbox-access.ts';
import { receiptOffer } from './mdn.ts';
import { cacheMessage, getCachedMessage, messageCacheKey } from './message-cache.ts';
import { sanitizeMailHtml, textToSafeHtml } from './mime/sanitize.ts';

export interface MessageRef {
	mailboxId: string;
	folder: string;
	uid: number;
}

export async function loadMessage(session: Session, ref: MessageRef): Promise<RawMessage> {
	const key = messageCacheKey({ sessionKey: session.key, ...ref });
	const cached = getCachedMessage(key);
	if (cached) return cached;
	const connection = mailboxConnection(session, ref.mailboxId);
	const message = await audited(
		{
			...sessionScope(session, ref.mailboxId),
			action: 'read',
			request: `UID FETCH ${ref.uid} (${ref.folder})`
		},
		() => fetchMessage(connection, { folder: ref.folder, uid: ref.uid })
	);
	cacheMessage(key, message);
	return message;
}

function extractAddress(header: string | undefined): string | null {
	if (!header) return null;
	const match = header.match(/<([^>]+)>/) ?? header.match(/([^\s<>,;]+@[^\s<>,;]+)/);
	return match?.[1]?.trim() ?? null;
}

export function toMessageView(message: RawMessage, blockedRemoteResources: number): MessageView {
	return {
		uid: message.uid,
		folder: message.folder,
		subject: message.subject,
		from: message.from,
		to: message.to,
		cc: message.cc,
		replyTo: message.replyTo,
		date: message.date,
		messageId: message.messageId,
		isFlagged: message.flags.has('\\Flagged'),
		text: message.text,
		hasHtml: message.html !== null,
		blockedRemoteResources,
		attachments: message.attachments.filter((a) => !a.isInline),
		readReceiptTo: extractAddress(message.headers.get('disposition-notification-to')),
		readReceipt: receiptOffer(message),
		warnings: message.warnings,
		keywords: messageKeywords(message.flags)
	};
}

export interface RenderedBody {
	document: string;
	blockedRemoteResources: number;
}

const FRAME_STYLE = `body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;margin:16px;overflow-wrap:anywhere}
pre.text{white-space:pre-wrap;font:inherit;margin:0}img{max-width:100%;height:auto}blockquote{border-left:3px solid #c9d3e0;margin:0 0 0 4px;padding-left:12px;color:#4a5563}a{color:#0b5cad}`;

/** The whole document served to the frame; `partUrl` maps a part id to a same-origin URL. */
export function renderBody(
	message: RawMessage,
	options: { allowRemoteImages: boolean; partUrl: (partId: string) => string }
): RenderedBody {
	let body: string;
	let blocked = 0;
	if (message.html !== null) {
		const sanitized = sanitizeMailHtml(message.html, {
			allowRemoteImages: options.allowRemoteImages,
			resolveCid: (cid) => {
				const partId = message.inlineParts.get(cid);
				return partId ? options.partUrl(partId) : null;
			}
		});
		body = sanitized.html;
		blocked = sanitized.blockedRemoteResources;
	} else {
		body = `<pre class="text">${textToSafeHtml(message.text ?? '')}</pre>`;
	}
	const document = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><style>${FRAME_STYLE}</style></head><body>${body}</body></html>`;
	return { document, blockedRemoteResources: blocked };
}

/** The frame's own CSP: no script, no form, no plugin; images only from us (or https when allowed). */
export function bodyContentSecurityPolicy(allowRemoteImages: boolean): string {
	// Plain http images stay blocked by the browser's mixed-content rules on an HTTPS deployment.
	const images = allowRemoteImages ? "'self' data: https: http:" : "'self' data:";
	return [
		"default-src 'none'",
		`img-src ${images}`,
		"style-src 'unsafe-inline'",
		"font-src 'none'",
		"form-action 'none'",
		"base-uri 'none'",
		"frame-ancestors 'self'",
		'sandbox allow-popups allow-popups-to-escape-sandbox'
	].join('; ');
}
