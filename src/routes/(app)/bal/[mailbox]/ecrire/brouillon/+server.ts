/**
 * The composer's autosave: the form (multipart, as the page would post it) saved as the draft,
 * replacing the previous version. Answers JSON: the draft's new UID, when, and its attachments.
 */
import { error, json } from '@sveltejs/kit';
import { isAppError } from '#lib/server/errors.ts';
import { readComposerForm, saveComposerDraft } from '#lib/server/mail/composer-request.ts';
import { getRuntime } from '#lib/server/runtime.ts';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ locals, params, request }) => {
	const session = locals.session;
	if (!session) error(401, 'Session expirée.');
	const { config } = getRuntime();
	try {
		const form = await readComposerForm(request, config.maxMessageBytes);
		const saved = await saveComposerDraft(session, params.mailbox, form, {
			mssNil: config.mssNil,
			maxBytes: config.maxMessageBytes
		});
		return json({
			draft: saved.values.draft,
			savedAt: saved.savedAt,
			attachments: saved.attachments
		});
	} catch (err) {
		if (!isAppError(err)) throw err;
		const status =
			err.code === 'MESSAGE_TOO_LARGE' ? 413 : err.code === 'MAILBOX_NOT_FOUND' ? 404 : 503;
		return json({ error: err.message, code: err.code }, { status });
	}
};
