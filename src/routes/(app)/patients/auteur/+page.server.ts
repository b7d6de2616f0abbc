import { error, fail } from '@sveltejs/kit';
import {
	AUTHOR_PROFESSIONS,
	authorErrors,
	authorFormOf,
	authorInput,
	emptyAuthorForm,
	readAuthorForm
} from '#lib/server/patients/forms.ts';
import { getPatientStore } from '#lib/server/patients/index.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	const session = locals.session;
	if (!session) error(401, 'Session expirée.');
	const author = getPatientStore().author(session.userLabel);
	return {
		values: author ? authorFormOf(author) : emptyAuthorForm(),
		professions: AUTHOR_PROFESSIONS,
		mailbox: session.mailboxes[0]?.address ?? session.userLabel,
		isNew: author === null
	};
};

export const actions: Actions = {
	default: async ({ locals, request }) => {
		const session = locals.session;
		if (!session) error(401, 'Session expirée.');
		const values = readAuthorForm(await request.formData());
		const mailbox = session.mailboxes[0]?.address ?? session.userLabel;
		const saved = getPatientStore().saveAuthor(session.userLabel, authorInput(values, mailbox));
		if (!saved.ok) return fail(400, { values, errors: authorErrors(saved.problems) });
		return { values, errors: {}, saved: true };
	}
};
