/**
 * One health document of the message's IHE_XDM archive: the PDF inline (only if the bytes are a
 * PDF), a structured (N3) body as inert HTML, or the CDA itself as a download (`?cda=1`). Always
 * nosniff and a sandbox CSP: nothing from the archive can run in our origin.
 */
import { error } from '@sveltejs/kit';
import { positiveIntParam, rethrowAsHttp } from '#lib/server/http-errors.ts';
import { documentAt, loadHealthDocuments } from '#lib/server/mail/health-documents.ts';
import { isPdf } from '#lib/server/mssante/index.ts';
import { loadMessage } from '#lib/server/mail/reading.ts';
import type { RequestHandler } from './$types';

const HTML_STYLE = `body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;margin:16px;overflow-wrap:anywhere}table{border-collapse:collapse}td,th{border:1px solid #c9d3e0;padding:4px 8px}`;

function disposition(kind: 'inline' | 'attachment', filename: string): string {
	return `${kind}; filename="${filename}"`;
}

const COMMON = {
	'x-content-type-options': 'nosniff',
	'x-frame-options': 'SAMEORIGIN',
	'cache-control': 'private, no-store'
};

export const GET: RequestHandler = async ({ locals, params, url }) => {
	const session = locals.session;
	if (!session) error(401, 'Session expirée.');
	const uid = positiveIntParam(params.uid);
	if (!/^\d{1,4}$/.test(params.index)) error(404, 'Document introuvable.');
	const index = Number(params.index);
	const ref = { mailboxId: params.mailbox, folder: params.folder, uid };
	let doc;
	try {
		const message = await loadMessage(session, ref);
		const documents = await loadHealthDocuments(session, ref, message);
		doc = documents ? documentAt(documents, index) : undefined;
	} catch (err) {
		rethrowAsHttp(err);
	}
	if (!doc) error(404, 'Document introuvable.');
	const name = `document-${index + 1}`;

	if (url.searchParams.get('cda') === '1') {
		if (!doc.file) error(404, 'Document introuvable.');
		const isXml = doc.mimeType === 'text/xml' || /\.xml$/i.test(doc.path ?? '');
		return new Response(new Uint8Array(doc.file), {
			headers: {
				...COMMON,
				'content-type': isXml ? 'application/xml' : 'application/octet-stream',
				'content-disposition': disposition('attachment', `${name}${isXml ? '.xml' : ''}`),
				'content-security-policy': "default-src 'none'; sandbox"
			}
		});
	}
	if (doc.content && isPdf(doc.content.bytes)) {
		return new Response(new Uint8Array(doc.content.bytes), {
			headers: {
				...COMMON,
				'content-type': 'application/pdf',
				'content-disposition': disposition('inline', `${name}.pdf`),
				'content-security-policy':
					"default-src 'none'; object-src 'self'; plugin-types application/pdf; sandbox"
			}
		});
	}
	if (doc.narrativeHtml) {
		const html = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><style>${HTML_STYLE}</style></head><body>${doc.narrativeHtml}</body></html>`;
		return new Response(html, {
			headers: {
				...COMMON,
				'content-type': 'text/html; charset=utf-8',
				'content-security-policy':
					"default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'; frame-ancestors 'self'; sandbox"
			}
		});
	}
	error(404, 'Ce document ne peut pas être affiché : téléchargez-le.');
};
