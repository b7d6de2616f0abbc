import { error, redirect } from '@sveltejs/kit';
import { folderHref } from '#lib/mail-urls.ts';
import { positiveIntParam, rethrowAsHttp } from '#lib/server/http-errors.ts';
import {
	archiveMessages,
	changeFlags,
	deleteMessages,
	moveMessages
} from '#lib/server/mail/imap/organise.ts';
import { mailboxConnection } from '#lib/server/mail/mailbox-access.ts';
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
	}) => Promise<string | null>
) {
	const session = event.locals.session;
	if (!session) error(401, 'Session expirée.');
	const uid = positiveIntParam(event.params.uid);
	const connection = mailboxConnection(session, event.params.mailbox);
	let next: string | null;
	try {
		next = await run({ uid, folder: event.params.folder, connection });
	} catch (err) {
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
		act(event, async ({ uid, folder, connection }) => {
			const result = await deleteMessages(connection, { folder, uids: [uid] });
			const list = folderHref(event.params.mailbox, folder);
			if (!result.trash) return `${list}?info=supprime`;
			const newUid = result.uidMap.get(uid);
			return newUid
				? `${list}?info=corbeille&annuler=${encodeURIComponent(`${result.trash}:${newUid}`)}`
				: `${list}?info=corbeille`;
		}),
	archiver: (event) =>
		act(event, async ({ uid, folder, connection }) => {
			await archiveMessages(connection, { folder, uids: [uid] });
			return `${folderHref(event.params.mailbox, folder)}?info=archive`;
		}),
	deplacer: (event) =>
		act(event, async ({ uid, folder, connection }) => {
			const target = formText(await event.request.formData(), 'dossier');
			if (!target) return null;
			await moveMessages(connection, { folder, uids: [uid], target });
			return `${folderHref(event.params.mailbox, folder)}?info=deplace`;
		}),
	nonlu: (event) =>
		act(event, async ({ uid, folder, connection }) => {
			await changeFlags(connection, {
				folder,
				uids: [uid],
				change: { flag: '\\Seen', isSet: false }
			});
			return folderHref(event.params.mailbox, folder);
		}),
	suivre: (event) =>
		act(event, async ({ uid, folder, connection }) => {
			const isSet = formText(await event.request.formData(), 'etat') !== 'retirer';
			await changeFlags(connection, { folder, uids: [uid], change: { flag: '\\Flagged', isSet } });
			return null;
		})
};
