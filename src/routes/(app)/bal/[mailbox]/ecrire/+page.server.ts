import { error, fail, redirect } from '@sveltejs/kit';
import { rethrowAsHttp } from '#lib/server/http-errors.ts';
import { replyReferences } from '#lib/server/mail/smtp/compose.ts';
import { findMailbox } from '#lib/server/mail/mailbox-access.ts';
import { queueSend } from '#lib/server/mail/outbox.ts';
import { loadMessage } from '#lib/server/mail/reading.ts';
import {
	parentReferences,
	parseParentRef,
	prefillFromMessage,
	type ReplyMode
} from '#lib/server/mail/reply.ts';
import {
	readAttachments,
	readComposerValues,
	emptyComposerValues,
	toOutgoing,
	validateComposer,
	type ComposerValues
} from '#lib/server/mail/draft-form.ts';
import {
	collectAttachments,
	readComposerForm,
	saveComposerDraft,
	senderFrom
} from '#lib/server/mail/composer-request.ts';
import {
	attachmentInfos,
	discardDraft,
	openDraft,
	type DraftAttachmentInfo
} from '#lib/server/mail/drafts.ts';
import { audit } from '#lib/server/audit/index.ts';
import { isAppError } from '#lib/server/errors.ts';
import {
	applyHealth,
	healthComposerData,
	healthPrefill,
	queueHealthAware,
	readHealthForm
} from '#lib/server/patients/composer.ts';
import { getRuntime } from '#lib/server/runtime.ts';
import type { Actions, PageServerLoad } from './$types';

const MODES: ReplyMode[] = ['repondre', 'repondre-a-tous', 'transferer', 'transferer-pj'];

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const session = locals.session;
	if (!session) error(401, 'Session expirée.');
	const { config } = getRuntime();
	const mailbox = findMailbox(session, params.mailbox);
	const mode = url.searchParams.get('mode') as ReplyMode | null;
	const source = parseParentRef(url.searchParams.get('message') ?? '');
	const draftUid = Number(url.searchParams.get('brouillon') ?? '');
	let values: ComposerValues = { ...emptyComposerValues(), to: url.searchParams.get('a') ?? '' };
	let attachments: DraftAttachmentInfo[] = [];
	if (Number.isInteger(draftUid) && draftUid > 0) {
		try {
			({ values, attachments } = await openDraft(
				session,
				params.mailbox,
				draftUid,
				config.maxMessageBytes * 2
			));
		} catch (err) {
			rethrowAsHttp(err);
		}
	} else if (mode && MODES.includes(mode) && source) {
		try {
			const message = await loadMessage(session, { mailboxId: params.mailbox, ...source });
			values = prefillFromMessage(message, mode, mailbox.address);
		} catch (err) {
			rethrowAsHttp(err);
		}
	}
	const health = healthPrefill(session.userLabel, url.searchParams);
	if (health.to && !values.to) values.to = health.to;
	return {
		values,
		attachments,
		from: mailbox.address,
		fromName: senderFrom(session, params.mailbox).displayName,
		maxMessageBytes: config.maxMessageBytes,
		health
	};
};

function failure(err: unknown, fallback: string): string {
	return isAppError(err) ? err.message : fallback;
}

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		const session = locals.session;
		if (!session) error(401, 'Session expirée.');
		const { config } = getRuntime();
		const mailbox = findMailbox(session, params.mailbox);
		let form: FormData;
		try {
			form = await readComposerForm(request, config.maxMessageBytes);
		} catch (err) {
			return fail(413, {
				values: emptyComposerValues(),
				errors: { attachments: failure(err, 'Le formulaire n’a pas pu être lu.') },
				attachments: [] as DraftAttachmentInfo[]
			});
		}
		const values = readComposerValues(form);

		// « Enregistrer le brouillon » (the autosave's counterpart without JavaScript).
		if (form.get('intention') === 'brouillon') {
			try {
				const saved = await saveComposerDraft(session, params.mailbox, form, {
					mssNil: config.mssNil,
					maxBytes: config.maxMessageBytes
				});
				return { values: saved.values, savedAt: saved.savedAt, attachments: saved.attachments };
			} catch (err) {
				return fail(isAppError(err) && err.code === 'MESSAGE_TOO_LARGE' ? 413 : 503, {
					values,
					errors: {
						[isAppError(err) && err.code === 'MESSAGE_TOO_LARGE' ? 'attachments' : 'form']: failure(
							err,
							'Le brouillon n’a pas pu être enregistré.'
						)
					},
					attachments: [] as DraftAttachmentInfo[]
				});
			}
		}

		let attachments;
		try {
			attachments = await collectAttachments(
				session,
				params.mailbox,
				values,
				await readAttachments(form),
				config.maxMessageBytes
			);
		} catch (err) {
			return fail(409, {
				values,
				errors: { form: failure(err, 'Les pièces jointes n’ont pas pu être reprises.') },
				attachments: [] as DraftAttachmentInfo[]
			});
		}
		const health = await readHealthForm(form);
		const healthFailure = (healthErrors: Record<string, string | undefined>) => ({
			health: health.values,
			healthData: healthComposerData(session.userLabel, health.values.replaces),
			healthErrors
		});
		// A health document's subject is built from it (ECO.2.1.3): the typed one is not required.
		const checked = validateComposer(
			health.values.withDocument ? { ...values, subject: values.subject || 'XDM' } : values,
			attachments,
			config.maxMessageBytes
		);
		if (Object.keys(checked.errors).length) {
			// The draft's attachments stay listed (new files must be picked again without JavaScript).
			const kept = values.draft ? attachments.slice(0, values.keep.length) : [];
			const infos = attachmentInfos(kept).map((info, i) => ({ ...info, index: values.keep[i]! }));
			return fail(400, {
				values,
				errors: checked.errors,
				attachments: infos,
				...healthFailure({})
			});
		}

		const parentLocation = parseParentRef(values.parent);
		let parent = null;
		let references: string[] = [];
		if (parentLocation) {
			try {
				const message = await loadMessage(session, {
					mailboxId: params.mailbox,
					...parentLocation
				});
				parent = { messageId: message.messageId, references: parentReferences(message) };
				references = replyReferences(parent);
			} catch {
				// The answered message is gone: send as a new message rather than lose the reply.
				parent = null;
			}
		}
		const plain = toOutgoing({
			values,
			...checked,
			attachments,
			from: senderFrom(session, params.mailbox),
			parent,
			references,
			mssNil: config.mssNil
		});
		const applied = await applyHealth({ owner: session.userLabel, ...health, message: plain });
		if (!applied.ok) {
			return fail(400, {
				values,
				errors: {},
				attachments: [] as DraftAttachmentInfo[],
				...healthFailure(applied.errors)
			});
		}
		let id: string;
		try {
			const status = await queueHealthAware({
				owner: session.userLabel,
				mailbox: mailbox.address,
				prepared: applied.prepared,
				queue: () =>
					queueSend({
						session,
						mailboxId: params.mailbox,
						message: applied.message,
						undoMs: config.undoSendMs,
						replyTo: parent && parentLocation ? parentLocation : null
					})
			});
			id = status.id;
		} catch (err) {
			// Delivery is traced by the outbox; a message that could not even be queued is traced here.
			audit({
				actor: session.userLabel,
				mailbox: mailbox.address,
				action: 'send',
				request: 'APPEND Drafts (file d’envoi)',
				outcome: 'failure',
				answer: isAppError(err) ? err.code : 'erreur'
			});
			const message =
				err instanceof Error && 'code' in err
					? err.message
					: 'Le message n’a pas pu être enregistré.';
			return fail(503, {
				values,
				errors: { form: `${message} Votre message n’a pas été envoyé ; il est toujours ici.` },
				attachments: [] as DraftAttachmentInfo[],
				...healthFailure({})
			});
		}
		// The outbox keeps its own copy in Drafts until sent: the autosaved one can go.
		if (values.draft) {
			await discardDraft(session, params.mailbox, Number(values.draft)).catch(() => undefined);
		}
		redirect(303, `/bal/${encodeURIComponent(params.mailbox)}/envoi/${id}`);
	}
};
