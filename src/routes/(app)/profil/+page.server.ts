import { error, fail } from '@sveltejs/kit';
import { audit } from '#lib/server/audit/index.ts';
import { openAppDb } from '#lib/server/db/app-db.ts';
import { profileOrEmpty, saveProfile, senderDisplayName } from '#lib/server/profile/profile.ts';
import { getRuntime } from '#lib/server/runtime.ts';
import { buildDisplayName, profileProblem, type SenderProfile } from '#lib/display-name.ts';
import type { Session } from '#lib/server/session/store.ts';
import type { Actions, PageServerLoad } from './$types';

function pickMailbox(session: Session, id: string | null) {
	const mailbox = session.mailboxes.find((m) => m.id === id) ?? session.mailboxes[0];
	if (!mailbox) error(404, 'Aucune boîte aux lettres.');
	return mailbox;
}

export const load: PageServerLoad = ({ locals, url }) => {
	const session = locals.session;
	if (!session) error(401, 'Session expirée.');
	const mailbox = pickMailbox(session, url.searchParams.get('bal'));
	const db = openAppDb(getRuntime().config.dataDir);
	return {
		mailbox: { id: mailbox.id, address: mailbox.address, kind: mailbox.kind },
		mailboxes: session.mailboxes.map((m) => ({ id: m.id, address: m.address })),
		profile: profileOrEmpty(db, mailbox.address),
		displayName: senderDisplayName(db, mailbox)
	};
};

function field(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value : '';
}

export const actions: Actions = {
	default: async ({ locals, request, url }) => {
		const session = locals.session;
		if (!session) error(401, 'Session expirée.');
		const form = await request.formData();
		const mailbox = pickMailbox(session, field(form, 'bal') || url.searchParams.get('bal'));
		const profile: SenderProfile = {
			title: field(form, 'titre'),
			firstName: field(form, 'prenom'),
			lastName: field(form, 'nom'),
			profession: field(form, 'profession'),
			structure: field(form, 'structure')
		};
		const problem = profileProblem(profile, mailbox.kind);
		if (problem) return fail(400, { profile, problem });
		const db = openAppDb(getRuntime().config.dataDir);
		saveProfile(db, mailbox.address, profile);
		audit({
			actor: session.userLabel,
			mailbox: mailbox.address,
			action: 'settings',
			request: 'profil expéditeur (nom affiché)',
			outcome: 'ok',
			answer: 'OK'
		});
		return { profile, saved: buildDisplayName(profile, mailbox.kind) };
	}
};
