/**
 * One attachment, streamed from IMAP to the browser without being held in memory. Inline previews
 * only for images and PDF; everything else is a download. nosniff and a sandbox CSP always.
 */
import { error } from '@sveltejs/kit';
import { Readable } from 'node:stream';
import { audited, sessionScope } from '#lib/server/audit/index.ts';
import { positiveIntParam, rethrowAsHttp } from '#lib/server/http-errors.ts';
import { streamPart } from '#lib/server/mail/imap/message.ts';
import { mailboxConnection } from '#lib/server/mail/mailbox-access.ts';
import { safeFilename } from '#lib/server/mail/mime/parse.ts';
import type { RequestHandler } from './$types';

const PREVIEWABLE = /^(image\/(png|jpeg|gif|webp)|application\/pdf)$/;

function contentDisposition(kind: 'inline' | 'attachment', filename: string): string {
	const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
	return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export const GET: RequestHandler = async ({ locals, params, url }) => {
	const session = locals.session;
	if (!session) error(401, 'Session expirée.');
	const uid = positiveIntParam(params.uid);
	if (!/^\d+(\.\d+)*$/.test(params.part)) error(404, 'Pièce jointe introuvable.');
	try {
		const part = await audited(
			{
				...sessionScope(session, params.mailbox),
				action: 'download',
				request: `UID FETCH ${uid} BODY[${params.part}] (${params.folder})`
			},
			() =>
				streamPart(mailboxConnection(session, params.mailbox), {
					folder: params.folder,
					uid,
					partId: params.part
				})
		);
		const contentType = part.contentType.toLowerCase();
		const isPreview = url.searchParams.get('apercu') === '1' && PREVIEWABLE.test(contentType);
		const filename = safeFilename(part.filename ?? undefined, 'piece-jointe');
		const headers: Record<string, string> = {
			'content-type': isPreview ? contentType : 'application/octet-stream',
			'content-disposition': contentDisposition(isPreview ? 'inline' : 'attachment', filename),
			'content-security-policy':
				"default-src 'none'; img-src 'self'; object-src 'self'; plugin-types application/pdf; sandbox",
			'x-frame-options': 'SAMEORIGIN',
			'cache-control': 'private, no-store'
		};
		return new Response(Readable.toWeb(part.content) as ReadableStream, { headers });
	} catch (err) {
		rethrowAsHttp(err);
	}
};
