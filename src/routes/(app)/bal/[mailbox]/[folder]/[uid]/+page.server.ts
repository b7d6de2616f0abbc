import { error, fail, redirect } from '@sveltejs/kit';
import { keywordFromLabel } from '#lib/keywords.ts';
import { folderHref } from '#lib/mail-urls.ts';
import { ImapError, isAppError } from '#lib/server/errors.ts';
import { positiveIntParam, rethrowAsHttp } from '#lib/server/http-errors.ts';
import { mailboxConnection } from '#lib/server/mail/mailbox-access.ts';
import { archiveOp, deleteOp, flagOp, keywordOp, transferOp } from '#lib/server/mail/organising.ts';
import { loadHealthDocuments, patientSender } from '#lib/server/mail/health-documents.ts';
import { forgetSessionMessages } from '#lib/server/mail/message-cache.ts';
import { loadMessage, renderBody, toMessageView } from '#lib/server/mail/reading.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const session = locals.session;
	if (!session) error(401, 'Session expirée.');
	const uid = positiveIntParam(params.uid);
	const allowRemoteImages = url.searchParams.get('images') === '1';
	try {
		const message = await loadMessage(session, {
			mailboxId: params.mailbox,
			folder: params.folder,
			uid
		});
		// Counting what the sanitiser blocks tells the page whether to offer "show images".
		const { blockedRemoteResources } = renderBody(message, {
			allowRemoteImages,
			partUrl: () => ''
		});
		// Health documents (IHE_XDM) only for messages that carry one; a bad archive is a warning.
		const ref = { mailboxId: params.mailbox, folder: params.folder, uid };
		const health = (await loadHealthDocuments(session, ref, message))?.view ?? null;
		return {
			message: toMessageView(message, blockedRemoteResources),
			allowRemoteImages,
			health,
			patientSender: patientSender(message.from, health)
		};
	} catch (err) {
		rethrowAsHttp(err);
	}
};

/** Runs one organising action on this message, then leaves the page fresh. */
async function act(
	event: RequestEvent,
	run: (ctx: {
		uid: number;
		folder: string;
		connection: ReturnType<typeof mailboxConnection>;
		session: NonNullable<App.Locals['session']>;
	}) => Promise<string | null>
) {
	const session = event.locals.session;
	if (!session) error(401, 'Session expirée.');
	const uid = positiveIntParam(event.params.uid);
	const connection = mailboxConnection(session, event.params.mailbox);
	let next: string | null;
	try {
		next = await run({ uid, folder: event.params.folder, connection, session });
	} catch (err) {
		// A refused organising request (bad label, missing folder) is shown in the "Organiser" panel.
		if (isAppError(err) && (err.code === 'INVALID_INPUT' || err.code === 'MAILBOX_NOT_FOUND'))
			return fail(400, { organiserError: err.message });
		rethrowAsHttp(err);
	}
	forgetSessionMessages(session.key);
	redirect(303, next ?? event.url.pathname);
}

function formText(form: FormData, key: string): string {
	const value = form.get(key);
	return typeof value === 'string' ? value : '';
}

export const actions: Actions = {
	supprimer: (event) =>
		act(event, async ({ uid, folder, session }) => {
			const result = await deleteOp(session, event.params.mailbox, { folder, uids: [uid] });
			const list = folderHref(event.params.mailbox, folder);
			if (!result.trash) return `${list}?info=supprime`;
			const newUid = result.uidMap.get(uid);
			return newUid
				? `${list}?info=corbeille&annuler=${encodeURIComponent(`${result.trash}:${newUid}`)}`
				: `${list}?info=corbeille`;
		}),
	archiver: (event) =>
		act(event, async ({ uid, folder, session }) => {
			await archiveOp(session, event.params.mailbox, { folder, uids: [uid] });
			return `${folderHref(event.params.mailbox, folder)}?info=archive`;
		}),
	deplacer: (event) =>
		act(event, async ({ uid, folder, session }) => {
			const target = formText(await event.request.formData(), 'dossier');
			if (!target) return null;
			await transferOp(session, event.params.mailbox, {
				action: 'move',
				from: folder,
				to: target,
				uids: [uid]
			});
			return `${folderHref(event.params.mailbox, folder)}?info=deplace`;
		}),
	copier: (event) =>
		act(event, async ({ uid, folder, session }) => {
			const target = formText(await event.request.formData(), 'dossier');
			if (!target) return null;
			await transferOp(session, event.params.mailbox, {
				action: 'copy',
				from: folder,
				to: target,
				uids: [uid]
			});
			return `${event.url.pathname}?info=copie`;
		}),
	/** Adds or removes a label: a known atom (`etiquette`), or a new one typed by the user (`nom`). */
	etiquette: (event) =>
		act(event, async ({ uid, folder, session }) => {
			const form = await event.request.formData();
			const isSet = formText(form, 'etat') !== 'retirer';
			let atom = formText(form, 'etiquette');
			if (!atom) {
				const typed = keywordFromLabel(formText(form, 'nom'));
				if (!typed.ok) throw new ImapError('INVALID_INPUT', typed.error);
				atom = typed.atom;
			}
			await keywordOp(session, event.params.mailbox, { folder, uids: [uid], atom, isSet });
			return event.url.pathname;
		}),
	nonlu: (event) =>
		act(event, async ({ uid, folder, session }) => {
			await flagOp(session, event.params.mailbox, {
				folder,
				uids: [uid],
				flag: '\\Seen',
				isSet: false
			});
			return folderHref(event.params.mailbox, folder);
		}),
	suivre: (event) =>
		act(event, async ({ uid, folder, session }) => {
			const isSet = formText(await event.request.formData(), 'etat') !== 'retirer';
			await flagOp(session, event.params.mailbox, {
				folder,
				uids: [uid],
				flag: '\\Flagged',
				isSet
			});
			return null;
		})
};
