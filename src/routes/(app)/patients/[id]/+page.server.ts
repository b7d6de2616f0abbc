import { error, fail } from '@sveltejs/kit';
import { documentType } from '#lib/server/mssante/index.ts';
import {
	patientErrors,
	patientFormOf,
	patientInput,
	patientRow,
	readPatientForm
} from '#lib/server/patients/forms.ts';
import { getPatientStore } from '#lib/server/patients/index.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, params, url }) => {
	const session = locals.session;
	if (!session) error(401, 'Session expirée.');
	const store = getPatientStore();
	const patient = store.get(session.userLabel, params.id);
	if (!patient) error(404, 'Patient introuvable.');
	const documents = store.sentDocuments(session.userLabel, patient.id).map((d) => ({
		id: d.document.documentId,
		title: d.title,
		typeLabel: documentType(d.type)?.displayName ?? d.type,
		actDate: d.actDate.split('-').reverse().join('/'),
		version: d.document.version,
		sentAt: new Date(d.sentAt).toLocaleString('fr-FR', { timeZone: 'Europe/Paris' }),
		recipients: d.recipients
	}));
	return {
		patient: patientRow(patient),
		values: patientFormOf(patient),
		documents,
		saved: url.searchParams.has('enregistre'),
		writeFrom: session.mailboxes[0]?.id ?? null
	};
};

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		const session = locals.session;
		if (!session) error(401, 'Session expirée.');
		const values = readPatientForm(await request.formData());
		const saved = getPatientStore().save(session.userLabel, patientInput(values), params.id);
		if (!saved.ok) return fail(400, { values, errors: patientErrors(saved.problems) });
		return { values, errors: {}, saved: true };
	}
};
