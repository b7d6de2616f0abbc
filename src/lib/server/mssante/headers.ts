/**
 * Message-level rules for health documents and patients (Référentiel socle MSSanté #2, as quoted
 * in mssante-client.md §3.2–§3.6): the XDM subject (ECO.2.1.3), the PDF copy's name (ECO.2.1.6),
 * the X-MSS-* headers (ECO.2.4.1, 2.4.2, 2.4.3, 2.2.8) and the Mon Espace Santé size limit.
 */
import type { Patient } from './patient.ts';

export const XDM_SUBJECT_PREFIX = 'XDM/1.0/DDM+';

/** Mon Espace Santé refuses messages above 25 MB (CNAM ENS v1.3, mssante-client.md §3.5). */
export const PATIENT_MESSAGE_MAX_BYTES = 25 * 1024 * 1024;

/** DD/MM/YYYY, as in the ANS example subject. */
export function frenchDate(isoDate: string): string {
	const [y, m, d] = isoDate.split('-');
	return `${d}/${m}/${y}`;
}

/** `XDM/1.0/DDM+<libellé> <NOM> <prénom> <date de naissance>` (ECO.2.1.3). */
export function xdmSubject(
	label: string,
	patient: Pick<Patient, 'birthName' | 'firstName' | 'birthDate'>
): string {
	const oneLine = (s: string) =>
		s
			.replace(/[\r\n\t]+/g, ' ')
			.replace(/\s+/g, ' ')
			.trim();
	return `${XDM_SUBJECT_PREFIX}${oneLine(label)} ${patient.birthName} ${patient.firstName} ${frenchDate(patient.birthDate)}`;
}

/** The subject without the `XDM/1.0/DDM+` prefix, for message lists (SC.MSS/UX.28, ECO.3.1.3). */
export function displaySubject(subject: string): string {
	return subject.startsWith(XDM_SUBJECT_PREFIX)
		? subject.slice(XDM_SUBJECT_PREFIX.length)
		: subject;
}

/** ASCII letters, digits, `-` and `_` only: accents removed, anything else becomes `_`. */
export function fileNamePart(value: string, maxLength = 40): string {
	return value
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[^A-Za-z0-9-]+/g, '_')
		.replace(/^_+|_+$/g, '')
		.slice(0, maxLength)
		.replace(/_+$/, '');
}

/**
 * `<AAAAMMJJ>_<type (≤ 40)>_<NOM>_<prénom>[_<n° dossier>].pdf` (ECO.2.1.6), e.g.
 * `20220531_CR_d_imagerie_medicale_CORSE_FIGATELLIX.pdf`.
 */
export function pdfFileName(options: {
	actDate: string;
	typeLabel: string;
	patient: Pick<Patient, 'birthName' | 'firstName'>;
	caseNumber?: string;
}): string {
	const parts = [
		options.actDate,
		fileNamePart(options.typeLabel),
		fileNamePart(options.patient.birthName.toUpperCase(), 60),
		fileNamePart(options.patient.firstName, 60)
	];
	if (options.caseNumber) parts.push(fileNamePart(options.caseNumber, 30));
	return `${parts.filter((p) => p !== '').join('_')}.pdf`;
}

export interface MssHeaderOptions {
	/** ClinicalDocument/code/@code of every CDA in the message's IHE_XDM archives. */
	cdaCodes?: string[];
	/** True when a qualified INS (matricule + OID + traits) is in the archive. */
	hasQualifiedIns?: boolean;
	/** The product reference from convergence.esante.gouv.fr (X-MSS-NIL, every message). */
	productReference?: string;
	/** Mail to a patient who must not reply (ECO.2.2.8). */
	patientCannotReply?: boolean;
}

/** The X-MSS-* headers for one message; absent headers are simply not in the record. */
export function mssHeaders(o: MssHeaderOptions): Record<string, string> {
	const headers: Record<string, string> = {};
	const codes = [...new Set(o.cdaCodes ?? [])];
	if (codes.length > 0) {
		headers['X-MSS-CODECDA'] = codes.join(',');
		headers['X-MSS-INS'] = o.hasQualifiedIns ? 'O' : 'N';
	}
	if (o.productReference) headers['X-MSS-NIL'] = o.productReference;
	if (o.patientCannotReply) headers['X-MSS-MES'] = 'FIN';
	return headers;
}
