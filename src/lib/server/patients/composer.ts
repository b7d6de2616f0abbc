/**
 * The composer's side of the health part: what the page needs to show it (patients, document
 * types, prefill from "Envoyer un document", "Écrire au patient" or "Remplacer ce document"), and
 * sending a health message with its audit entry and its record for a later replacement.
 */
import type { HealthComposerData, HealthFormValues } from '../../patient-types.ts';
import { TYPE_CODE_ROWS, isPatientAddress } from '../mssante/index.ts';
import type { OutgoingMessage } from '../mail/smtp/compose.ts';
import { patientRow } from './forms.ts';
import {
	emptyHealthValues,
	isHealthMessage,
	prepareHealthMessage,
	readHealthPdf,
	readHealthValues,
	replacementValues,
	type HealthErrors,
	type HealthPrepared,
	type HealthValues
} from './health-message.ts';
import { getPatientStore } from './index.ts';

const DOCUMENT_TYPES = TYPE_CODE_ROWS.map((r) => ({ code: r[0], label: r[2] })).sort((a, b) =>
	a.label.localeCompare(b.label, 'fr')
);

export interface HealthPrefill {
	values: HealthFormValues;
	data: HealthComposerData;
	/** Recipients of the replaced document, for the "À" field. */
	to: string | null;
}

/** `?patient=<id>&document=1`, `?patient=<id>&ecrire_patient=1`, `?remplace=<documentId>`. */
export function healthPrefill(owner: string, params: URLSearchParams): HealthPrefill {
	const store = getPatientStore();
	let values: HealthValues = emptyHealthValues();
	let replacing: HealthComposerData['replacing'] = null;
	let to: string | null = null;
	const replaces = params.get('remplace');
	const sent = replaces ? store.sentDocument(owner, replaces) : null;
	if (replaces && sent) {
		values = replacementValues(sent, replaces);
		replacing = { title: sent.title, version: sent.document.version };
		to = sent.recipients.filter((a) => !isPatientAddress(a)).join(', ');
	} else {
		const patientId = params.get('patient') ?? '';
		if (patientId && store.get(owner, patientId)) values.patientId = patientId;
		values.withDocument = params.get('document') === '1';
		values.writeToPatient = params.get('ecrire_patient') === '1';
	}
	return { values, data: composerData(owner, replacing), to };
}

/** The page's data after a refused submit (the replaced document, if any, looked up again). */
export function healthComposerData(owner: string, replaces: string): HealthComposerData {
	const sent = replaces ? getPatientStore().sentDocument(owner, replaces) : null;
	return composerData(owner, sent ? { title: sent.title, version: sent.document.version } : null);
}

function composerData(
	owner: string,
	replacing: HealthComposerData['replacing']
): HealthComposerData {
	const store = getPatientStore();
	return {
		patients: store.list(owner).map(patientRow),
		documentTypes: DOCUMENT_TYPES,
		hasAuthor: store.author(owner) !== null,
		replacing
	};
}

export async function readHealthForm(
	form: FormData
): Promise<{ values: HealthValues; pdf: Uint8Array | null }> {
	return { values: readHealthValues(form), pdf: await readHealthPdf(form) };
}

export type HealthApplied =
	| { ok: false; errors: HealthErrors }
	| { ok: true; message: OutgoingMessage; prepared: HealthPrepared | null };

/** Leaves an ordinary message alone; otherwise builds the health message or says what is wrong. */
export async function applyHealth(input: {
	owner: string;
	values: HealthValues;
	pdf: Uint8Array | null;
	message: OutgoingMessage;
}): Promise<HealthApplied> {
	if (!isHealthMessage(input.values)) return { ok: true, message: input.message, prepared: null };
	const result = await prepareHealthMessage({ store: getPatientStore(), ...input });
	if (result.errors) return { ok: false, errors: result.errors };
	return { ok: true, message: result.prepared.message, prepared: result.prepared };
}

/**
 * Queues the message and records a health document for "Remplacer ce document". The audit entry
 * is the outbox's one per SMTP submission (never the patient or the title): none is added here.
 */
export async function queueHealthAware<T extends { id: string }>(input: {
	owner: string;
	mailbox: string;
	prepared: HealthPrepared | null;
	queue: () => Promise<T>;
}): Promise<T> {
	const status = await input.queue();
	const sent = input.prepared?.sent;
	if (sent) getPatientStore().recordSent(input.owner, { ...sent, sentAt: Date.now() });
	return status;
}
