import { error, fail, redirect } from '@sveltejs/kit';
import {
	emptyPatientForm,
	patientErrors,
	patientInput,
	readPatientForm
} from '#lib/server/patients/forms.ts';
import { getPatientStore } from '#lib/server/patients/index.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({ values: emptyPatientForm() });

export const actions: Actions = {
	default: async ({ locals, request }) => {
		const session = locals.session;
		if (!session) error(401, 'Session expirée.');
		const values = readPatientForm(await request.formData());
		const saved = getPatientStore().save(session.userLabel, patientInput(values));
		if (!saved.ok) return fail(400, { values, errors: patientErrors(saved.problems) });
		redirect(303, `/patients/${saved.value.id}?enregistre=1`);
	}
};
