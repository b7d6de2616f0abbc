/**
 * The previewed file itself: streamed from IMAP, served only if its first bytes are a PDF or one
 * of the previewed image formats — whatever the declared type says — with the preview headers of
 * `mail/preview.ts` (images: `default-src 'none'; img-src 'self'`; PDF: `default-src 'none'`,
 * nosniff). Anything else is refused (415); the reader offers the download instead.
 */
import { error } from '@sveltejs/kit';
import { Readable } from 'node:stream';
import { positiveIntParam, rethrowAsHttp } from '#lib/server/http-errors.ts';
import { streamPart } from '#lib/server/mail/imap/message.ts';
import { mailboxConnection } from '#lib/server/mail/mailbox-access.ts';
import { safeFilename } from '#lib/server/mail/mime/parse.ts';
import { previewHeaders, sniffStream } from '#lib/server/mail/preview.ts';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params }) => {
	const session = locals.session;
	if (!session) error(401, 'Session expirée.');
	const uid = positiveIntParam(params.uid);
	if (!/^\d+(\.\d+)*$/.test(params.part)) error(404, 'Pièce jointe introuvable.');
	let part;
	try {
		part = await streamPart(mailboxConnection(session, params.mailbox), {
			folder: params.folder,
			uid,
			partId: params.part
		});
	} catch (err) {
		rethrowAsHttp(err);
	}
	const { kind, stream } = await sniffStream(part.content);
	if (!kind) {
		part.content.destroy();
		error(415, 'Ce fichier ne peut pas être affiché : son contenu n’est ni un PDF ni une image.');
	}
	const filename = safeFilename(part.filename ?? undefined, 'piece-jointe');
	return new Response(Readable.toWeb(stream) as ReadableStream, {
		headers: previewHeaders(kind, filename)
	});
};
