/**
 * The mailboxes of a Pro Santé Connect user (ECO.3.2.3): after signing in, the person adds the
 * MSSanté mailboxes they use (their own, a structure's); each is opened with the same PSC access
 * token over XOAUTH2, and the operator decides. Switching is one click in the app shell.
 */
import { fail } from '@sveltejs/kit';
import { folderHref } from '#lib/mail-urls.ts';
import { isAppError } from '#lib/server/errors.ts';
import { rootLogger } from '#lib/server/log.ts';
import { addPscMailbox } from '#lib/server/psc/index.ts';
import { PSC_ERROR_MESSAGES } from '#lib/server/psc/oidc.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => ({
	isPsc: Boolean(locals.session?.psc),
	mailboxes: (locals.session?.mailboxes ?? []).map((m) => ({
		id: m.id,
		address: m.address,
		kind: m.kind,
		href: folderHref(m.id, 'INBOX')
	}))
});

export const actions: Actions = {
	ajouter: async ({ request, locals }) => {
		const session = locals.session;
		const form = await request.formData();
		const raw = form.get('adresse');
		const address = typeof raw === 'string' ? raw.trim() : '';
		const values = { adresse: address };
		if (!session?.psc) {
			return fail(403, {
				values,
				error: 'Ajouter une boîte demande une connexion avec Pro Santé Connect.'
			});
		}
		if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address)) {
			return fail(400, {
				values,
				error: 'Saisissez une adresse MSSanté valide (par exemple secretariat@cabinet.mssante.fr).'
			});
		}
		try {
			const mailbox = await addPscMailbox(session, address);
			return { added: { id: mailbox.id, address: mailbox.address } };
		} catch (error) {
			const code = isAppError(error) ? error.code : 'INTERNAL';
			rootLogger.info({ requestId: locals.requestId, code }, 'psc mailbox refused');
			const message =
				code === 'PSC_MAILBOX'
					? `Votre opérateur n’a pas ouvert ${address} avec votre identité Pro Santé Connect : vérifiez l’adresse ou demandez l’accès au responsable de la boîte.`
					: code === 'PSC_TOKEN'
						? PSC_ERROR_MESSAGES.PSC_TOKEN
						: 'Le serveur de messagerie ne répond pas. Réessayez dans un instant.';
			return fail(400, { values, error: message });
		}
	}
};
