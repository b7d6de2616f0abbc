/**
 * Managing folders: create, rename / move, delete (non-empty ones after a confirmation), and
 * empty Trash / Junk. Plain form actions: everything works without JavaScript.
 */
import { error, fail, redirect } from '@sveltejs/kit';
import { isAppError } from '#lib/server/errors.ts';
import { FolderNotEmptyError } from '#lib/server/mail/imap/folder-admin.ts';
import { forgetSessionMessages } from '#lib/server/mail/message-cache.ts';
import {
	createFolderOp,
	deleteFolderOp,
	emptyFolderOp,
	renameFolderOp
} from '#lib/server/mail/organising.ts';
import type { Actions, RequestEvent } from './$types';

function text(form: FormData, key: string): string {
	const value = form.get(key);
	return typeof value === 'string' ? value : '';
}

/** Runs an action; our errors become a French message on the page, the form values kept. */
async function act(
	event: RequestEvent,
	run: (ctx: { form: FormData; session: NonNullable<App.Locals['session']> }) => Promise<string>
) {
	const session = event.locals.session;
	if (!session) error(401, 'Session expirée.');
	const form = await event.request.formData();
	const values = {
		action: new URL(event.request.url).search.replace(/^\?\/?/, ''),
		path: text(form, 'dossier'),
		name: text(form, 'nom'),
		parent: text(form, 'parent')
	};
	let info: string;
	try {
		info = await run({ form, session });
	} catch (err) {
		if (err instanceof FolderNotEmptyError)
			return fail(409, {
				values,
				confirmDelete: { path: values.path, messages: err.messages, children: err.children }
			});
		if (isAppError(err)) {
			const message =
				err.code === 'INVALID_INPUT' || err.code === 'MAILBOX_NOT_FOUND'
					? err.message
					: 'Le serveur de messagerie n’a pas pu traiter la demande. Réessayez dans quelques secondes.';
			return fail(err.code === 'INVALID_INPUT' ? 400 : 503, { values, error: message });
		}
		throw err;
	}
	forgetSessionMessages(session.key);
	redirect(303, `/bal/${encodeURIComponent(event.params.mailbox)}/dossiers?info=${info}`);
}

const parentOf = (form: FormData) => text(form, 'parent') || null;

export const actions: Actions = {
	creer: (event) =>
		act(event, async ({ form, session }) => {
			await createFolderOp(session, event.params.mailbox, {
				parent: parentOf(form),
				name: text(form, 'nom')
			});
			return 'cree';
		}),
	renommer: (event) =>
		act(event, async ({ form, session }) => {
			await renameFolderOp(session, event.params.mailbox, {
				path: text(form, 'dossier'),
				name: text(form, 'nom'),
				parent: parentOf(form)
			});
			return 'renomme';
		}),
	supprimer: (event) =>
		act(event, async ({ form, session }) => {
			await deleteFolderOp(session, event.params.mailbox, {
				path: text(form, 'dossier'),
				confirmed: text(form, 'confirme') === 'oui'
			});
			return 'supprime';
		}),
	vider: (event) =>
		act(event, async ({ form, session }) => {
			await emptyFolderOp(session, event.params.mailbox, text(form, 'dossier'));
			return 'vide';
		})
};
