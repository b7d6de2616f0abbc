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
	applyHealth,
	healthComposerData,
	healthPrefill,
	queueHealthAware,
	readHealthForm
} from '#lib/server/patients/composer.ts';
import { getRuntime } from '#lib/server/runtime.ts';
import type { Actions, PageServerLoad } from './$types';

const MODES: ReplyMode[] = ['repondre', 'repondre-a-tous', 'transferer'];

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const session = locals.session;
	if (!session) error(401, 'Session expirée.');
	const mailbox = findMailbox(session, params.mailbox);
	const mode = url.searchParams.get('mode') as ReplyMode | null;
	const source = parseParentRef(url.searchParams.get('message') ?? '');
	let values: ComposerValues = { ...emptyComposerValues(), to: url.searchParams.get('a') ?? '' };
	if (mode && MODES.includes(mode) && source) {
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
		from: mailbox.address,
		maxMessageBytes: getRuntime().config.maxMessageBytes,
		health
	};
};

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		const session = locals.session;
		if (!session) error(401, 'Session expirée.');
		const { config } = getRuntime();
		const mailbox = findMailbox(session, params.mailbox);
		const form = await request.formData();
		const values = readComposerValues(form);
		const attachments = await readAttachments(form);
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
		if (Object.keys(checked.errors).length)
			return fail(400, { values, errors: checked.errors, ...healthFailure({}) });

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
			from: { address: mailbox.address, displayName: mailbox.displayName },
			parent,
			references,
			mssNil: config.mssNil
		});
		const applied = await applyHealth({ owner: session.userLabel, ...health, message: plain });
		if (!applied.ok) return fail(400, { values, errors: {}, ...healthFailure(applied.errors) });
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
			const message =
				err instanceof Error && 'code' in err
					? err.message
					: 'Le message n’a pas pu être enregistré.';
			return fail(503, {
				values,
				errors: { form: `${message} Votre message n’a pas été envoyé ; il est toujours ici.` },
				...healthFailure({})
			});
		}
		redirect(303, `/bal/${encodeURIComponent(params.mailbox)}/envoi/${id}`);
	}
};
