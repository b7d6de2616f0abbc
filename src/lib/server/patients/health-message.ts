/**
 * The composer's health part (issue 6): "Joindre un document de santé" (ECO.2.1.1–2.1.6, 2.4.1,
 * 2.4.2) and "Écrire au patient" (ECO.2.2.6, 3.1.5, 2.2.8). Reads its own form fields, checks them
 * with French messages naming the field, and turns an ordinary outgoing message into a health
 * message: the IHE_XDM.ZIP and the named PDF built by the mssante library from one source, the
 * `XDM/1.0/DDM+…` subject, X-MSS-CODECDA / X-MSS-INS, the patient's Mon Espace Santé address
 * (qualified INS only) and X-MSS-MES: FIN. One patient per message: the form carries one patient,
 * and any patient address among the recipients must be that patient's.
 */
import {
	CONFIDENTIALITY_CODES,
	PATIENT_MESSAGE_MAX_BYTES,
	buildXdmPackage,
	documentType,
	isPatientAddress,
	isQualified,
	mssHeaders,
	patientMailbox,
	type Confidentiality,
	type XdmPackage
} from '../mssante/index.ts';
import { isAppError } from '../errors.ts';
import type { OutgoingMessage } from '../mail/smtp/compose.ts';
import type { PatientStore, SentDocument, StoredPatient } from './store.ts';

export interface HealthValues {
	patientId: string;
	/** "Joindre un document de santé" is ticked. */
	withDocument: boolean;
	type: string;
	title: string;
	/** YYYY-MM-DD */
	actDate: string;
	confidentiality: Confidentiality;
	/** documentId of the sent document this one replaces (RPLC). */
	replaces: string;
	writeToPatient: boolean;
	patientCannotReply: boolean;
}

export type HealthErrors = Partial<Record<keyof HealthValues | 'pdf' | 'author' | 'size', string>>;

export function emptyHealthValues(): HealthValues {
	return {
		patientId: '',
		withDocument: false,
		type: '',
		title: '',
		actDate: '',
		confidentiality: 'N',
		replaces: '',
		writeToPatient: false,
		patientCannotReply: false
	};
}

function text(form: FormData, key: string): string {
	const value = form.get(key);
	return typeof value === 'string' ? value.trim() : '';
}

export function readHealthValues(form: FormData): HealthValues {
	const confidentiality = text(form, 'sante_confidentialite');
	return {
		patientId: text(form, 'sante_patient'),
		withDocument: form.get('sante_document') === 'on',
		type: text(form, 'sante_type'),
		title: text(form, 'sante_titre'),
		actDate: text(form, 'sante_date'),
		confidentiality: Object.hasOwn(CONFIDENTIALITY_CODES, confidentiality)
			? (confidentiality as Confidentiality)
			: 'N',
		replaces: text(form, 'sante_remplace'),
		writeToPatient: form.get('ecrire_patient') === 'on',
		patientCannotReply: form.get('patient_sans_reponse') === 'on'
	};
}

export async function readHealthPdf(form: FormData): Promise<Uint8Array | null> {
	const file = form.get('sante_pdf');
	if (typeof file !== 'object' || file === null || file.size === 0) return null;
	return new Uint8Array(await file.arrayBuffer());
}

/** True when the health part asks for anything: otherwise the message is left alone. */
export function isHealthMessage(values: HealthValues): boolean {
	return values.withDocument || values.writeToPatient;
}

/** The prefill of "Remplacer ce document": same patient, type, title, recipients; new PDF. */
export function replacementValues(sent: SentDocument, documentId: string): HealthValues {
	return {
		...emptyHealthValues(),
		patientId: sent.patientId,
		withDocument: true,
		type: sent.type,
		title: sent.title,
		actDate: sent.actDate,
		confidentiality: sent.confidentiality,
		replaces: documentId
	};
}

export interface HealthPrepared {
	message: OutgoingMessage;
	/** Present when a document was built: to record it once the message is queued. */
	sent: Omit<SentDocument, 'sentAt'> | null;
	package: XdmPackage | null;
}

/** Wire size of a message's attachments and text (base64 makes attachments a third bigger). */
function wireSize(message: OutgoingMessage): number {
	return (
		message.text.length +
		message.attachments.reduce((sum, a) => sum + Math.ceil((a.content.length * 4) / 3), 0)
	);
}

/**
 * Applies the health part to a checked outgoing message. Returns the errors by field (the caller
 * shows them and keeps everything typed), or the message to queue.
 */
export async function prepareHealthMessage(input: {
	store: PatientStore;
	owner: string;
	values: HealthValues;
	pdf: Uint8Array | null;
	message: OutgoingMessage;
}): Promise<{ errors: HealthErrors } | { errors: null; prepared: HealthPrepared }> {
	const { store, owner, values, pdf } = input;
	const errors: HealthErrors = {};
	const message: OutgoingMessage = {
		...input.message,
		to: [...input.message.to],
		attachments: [...input.message.attachments],
		extraHeaders: { ...input.message.extraHeaders }
	};
	let patient: StoredPatient | null = null;
	if (!values.patientId) errors.patientId = 'Choisissez le patient concerné.';
	else {
		patient = store.get(owner, values.patientId);
		if (!patient) errors.patientId = 'Ce patient n’est plus dans votre liste.';
	}
	if (!patient) return { errors };

	// ECO.2.2.6 / 3.1.5: the patient's address comes only from a qualified INS.
	if (values.writeToPatient) {
		if (!isQualified(patient)) {
			errors.writeToPatient =
				'L’identité de ce patient n’est pas qualifiée : son adresse Mon Espace Santé ne peut pas être construite. Qualifiez l’identité (INSi) dans la liste des patients.';
		} else {
			const address = patientMailbox(patient).toLowerCase();
			if (![...message.to, ...message.cc, ...message.bcc].includes(address))
				message.to.push(address);
		}
	}
	// ECO.2.1.1: one patient per message — a patient address of someone else is refused.
	const own = isQualified(patient) ? patientMailbox(patient).toLowerCase() : null;
	const others = [...message.to, ...message.cc, ...message.bcc].filter(
		(a) => isPatientAddress(a) && a.toLowerCase() !== own
	);
	if (others.length > 0 && values.withDocument) {
		errors.patientId = `Un message portant un document de santé ne concerne qu’un seul patient : retirez ${others.join(', ')} des destinataires ou choisissez ce patient.`;
	}

	if (!values.withDocument && Object.keys(errors).length > 0) return { errors };
	let pkg: XdmPackage | null = null;
	let sent: HealthPrepared['sent'] = null;
	if (values.withDocument) {
		const author = store.author(owner);
		if (!author) {
			errors.author =
				'Renseignez d’abord votre profil d’auteur (RPPS, profession, organisation) : il figure dans le document.';
		}
		if (!pdf) errors.pdf = 'Joignez le document au format PDF.';
		if (!documentType(values.type)) errors.type = 'Choisissez le type de document.';
		if (!values.title) errors.title = 'Indiquez le titre du document.';
		if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(values.actDate))
			errors.actDate = 'Indiquez la date de l’acte.';
		let replaced: SentDocument | null = null;
		if (values.replaces) {
			replaced = store.sentDocument(owner, values.replaces);
			if (!replaced) errors.replaces = 'Le document à remplacer est introuvable.';
			else if (replaced.patientId !== patient.id)
				errors.patientId = 'Le document de remplacement doit concerner le même patient.';
		}
		if (Object.keys(errors).length > 0 || !author || !pdf) return { errors };
		try {
			pkg = await buildXdmPackage({
				pdf,
				patient,
				author,
				type: values.type,
				title: values.title,
				date: values.actDate.replaceAll('-', ''),
				confidentiality: values.confidentiality,
				replaces: replaced?.document,
				intendedRecipients: [...message.to, ...message.cc]
			});
		} catch (error) {
			if (!isAppError(error)) throw error;
			const field = error.details.field;
			const key: keyof HealthErrors =
				field === 'pdf' || field === 'title' || field === 'type' || field === 'date'
					? field === 'date'
						? 'actDate'
						: field
					: field === 'patient' || error.code === 'PATIENT_INVALID'
						? 'patientId'
						: 'author';
			return { errors: { [key]: error.message } };
		}
		// ECO.2.1.3: the subject is the XDM one; ECO.2.1.1/2.1.5: the archive and the same PDF.
		message.subject = pkg.subject;
		message.attachments.push(
			{ filename: pkg.zipName, contentType: 'application/zip', content: Buffer.from(pkg.zip) },
			{ filename: pkg.pdfName, contentType: 'application/pdf', content: Buffer.from(pkg.pdf) }
		);
		sent = {
			patientId: patient.id,
			document: {
				documentId: pkg.document.documentId,
				setId: pkg.document.setId,
				version: pkg.document.version,
				entryUuid: pkg.document.entryUuid
			},
			type: values.type,
			title: values.title,
			actDate: values.actDate,
			confidentiality: values.confidentiality,
			recipients: [...message.to, ...message.cc]
		};
	}
	const toPatient = [...message.to, ...message.cc, ...message.bcc].some(isPatientAddress);
	Object.assign(
		message.extraHeaders!,
		mssHeaders({
			cdaCodes: pkg ? [values.type] : [],
			hasQualifiedIns: isQualified(patient),
			// ECO.2.2.8: only meaningful on a message to a patient.
			patientCannotReply: toPatient && values.patientCannotReply
		})
	);
	// Mon Espace Santé refuses more than 25 MB (CNAM ENS v1.3).
	if (toPatient && wireSize(message) > PATIENT_MESSAGE_MAX_BYTES) {
		return {
			errors: {
				size: `Un message à un patient (Mon Espace Santé) ne peut dépasser ${PATIENT_MESSAGE_MAX_BYTES / (1024 * 1024)} Mo, pièces jointes comprises.`
			}
		};
	}
	return { errors: null, prepared: { message, sent, package: pkg } };
}
