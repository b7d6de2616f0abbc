import { error } from '@sveltejs/kit';
import { patientRow } from '#lib/server/patients/forms.ts';
import { getPatientStore } from '#lib/server/patients/index.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	const session = locals.session;
	if (!session) error(401, 'Session expirée.');
	const q = (url.searchParams.get('q') ?? '').slice(0, 200);
	const store = getPatientStore();
	const patients = (q ? store.search(session.userLabel, q) : store.list(session.userLabel)).map(
		patientRow
	);
	return {
		q,
		patients,
		hasAuthor: store.author(session.userLabel) !== null,
		writeFrom: session.mailboxes[0]?.id ?? null
	};
};
