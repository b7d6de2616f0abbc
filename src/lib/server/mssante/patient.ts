/**
 * The patient a document or a message is about: strict INS traits and RNIV identity status.
 * Sources: ../shared/spec/xdm-cda-ins.md §2.3 (traits), §2.4 (statuses: only a qualified identity
 * carries the INS, EXI SI 08), §2.5 (Mon Espace Santé address, ECO.2.2.6).
 */
import { XdmError, ERROR_CODES } from '../errors.ts';
import { checkIns, normaliseMatricule, type InsOid } from './ins.ts';

export const IDENTITY_STATUSES = ['provisoire', 'recuperee', 'validee', 'qualifiee'] as const;
export type IdentityStatus = (typeof IDENTITY_STATUSES)[number];

export const IDENTITY_STATUS_LABELS: Readonly<Record<IdentityStatus, string>> = {
	provisoire: 'Identité provisoire',
	recuperee: 'Identité récupérée',
	validee: 'Identité validée',
	qualifiee: 'Identité qualifiée'
};

export type Sex = 'M' | 'F' | 'U';

export interface Patient {
	/** Matricule INS (15 characters); present only when the identity status allows carrying it. */
	ins?: string;
	insOid?: InsOid;
	/** Nom de naissance. */
	birthName: string;
	/** Prénoms de naissance, space-separated, as returned by INSi. */
	firstNames: string;
	/** Premier prénom de naissance: the first of firstNames. */
	firstName: string;
	usedName?: string;
	usedFirstName?: string;
	sex: Sex;
	/** YYYY-MM-DD */
	birthDate: string;
	/** COG (code officiel géographique, INSEE) of the birth place, e.g. 51215, 2A004, 99100. */
	birthPlace?: string;
	identityStatus: IdentityStatus;
	/** A local identifier (IPP), used when the INS cannot be carried. */
	localId?: { root: string; extension: string };
}

export interface FieldProblem {
	field: string;
	message: string;
}

const NAME_CHARS = /^[\p{L}][\p{L}' -]*$/u;
const COG = /^(?:[0-9]{2}|2A|2B)[0-9]{3}$/;
const OID = /^[0-2](?:\.(?:0|[1-9][0-9]*))+$/;

export function isQualified(patient: Pick<Patient, 'identityStatus' | 'ins' | 'insOid'>): boolean {
	return patient.identityStatus === 'qualifiee' && !!patient.ins && !!patient.insOid;
}

function str(input: Record<string, unknown>, field: string, problems: FieldProblem[]) {
	const value = input[field];
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value !== 'string') {
		problems.push({ field, message: `Le champ ${field} doit être une chaîne de caractères.` });
		return undefined;
	}
	return value.trim().replace(/\s+/g, ' ');
}

function checkName(
	value: string | undefined,
	field: string,
	required: boolean,
	problems: FieldProblem[]
) {
	if (value === undefined) {
		if (required) problems.push({ field, message: `Le champ ${field} est obligatoire.` });
		return;
	}
	if (value.length > 100 || !NAME_CHARS.test(value)) {
		problems.push({
			field,
			message: `Le champ ${field} ne doit contenir que des lettres, espaces, tirets et apostrophes (100 caractères au plus).`
		});
	}
}

/** A calendar date YYYY-MM-DD, not in the future and not before 1850. */
export function checkBirthDate(value: string, field = 'birthDate'): FieldProblem | undefined {
	const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(value);
	const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
	if (!m || !date || date.toISOString().slice(0, 10) !== value) {
		return {
			field,
			message: `Le champ ${field} doit être une date réelle au format AAAA-MM-JJ ; reçu « ${value} ».`
		};
	}
	if (date.getTime() > Date.now() || date.getUTCFullYear() < 1850) {
		return { field, message: `Le champ ${field} n'est pas une date de naissance plausible.` };
	}
	return undefined;
}

/** Checks an untrusted patient object. Returns the patient or every problem found. */
export function checkPatient(
	input: unknown
): { patient: Patient; problems: [] } | { patient?: undefined; problems: FieldProblem[] } {
	if (typeof input !== 'object' || input === null || Array.isArray(input)) {
		return { problems: [{ field: 'patient', message: 'Le patient doit être un objet JSON.' }] };
	}
	const o = input as Record<string, unknown>;
	const problems: FieldProblem[] = [];
	const identityStatus = str(o, 'identityStatus', problems);
	if (!identityStatus || !(IDENTITY_STATUSES as readonly string[]).includes(identityStatus)) {
		problems.push({
			field: 'identityStatus',
			message: `Le champ identityStatus doit valoir ${IDENTITY_STATUSES.join(', ')}.`
		});
	}
	const qualified = identityStatus === 'qualifiee';
	const birthName = str(o, 'birthName', problems)?.toUpperCase();
	const firstNames = str(o, 'firstNames', problems)?.toUpperCase();
	let firstName = str(o, 'firstName', problems)?.toUpperCase();
	const usedName = str(o, 'usedName', problems)?.toUpperCase();
	const usedFirstName = str(o, 'usedFirstName', problems)?.toUpperCase();
	checkName(birthName, 'birthName', true, problems);
	checkName(firstNames, 'firstNames', true, problems);
	if (firstName === undefined && firstNames) firstName = firstNames.split(' ')[0];
	checkName(firstName, 'firstName', true, problems);
	checkName(usedName, 'usedName', false, problems);
	checkName(usedFirstName, 'usedFirstName', false, problems);
	if (firstName && firstNames && firstNames.split(' ')[0] !== firstName) {
		problems.push({
			field: 'firstName',
			message:
				'Le champ firstName (premier prénom de naissance) doit être le premier des prénoms de naissance (firstNames).'
		});
	}
	const sex = str(o, 'sex', problems);
	if (sex !== 'M' && sex !== 'F' && sex !== 'U') {
		problems.push({ field: 'sex', message: 'Le champ sex doit valoir M, F ou U.' });
	}
	const birthDate = str(o, 'birthDate', problems);
	if (!birthDate)
		problems.push({ field: 'birthDate', message: 'Le champ birthDate est obligatoire.' });
	else {
		const p = checkBirthDate(birthDate);
		if (p) problems.push(p);
	}
	const birthPlace = str(o, 'birthPlace', problems)?.toUpperCase();
	if (birthPlace !== undefined && !COG.test(birthPlace)) {
		problems.push({
			field: 'birthPlace',
			message: `Le champ birthPlace doit être un code officiel géographique INSEE à 5 caractères (ex. 75056, 2A004, 99100) ; reçu « ${birthPlace} ».`
		});
	} else if (birthPlace === undefined && qualified) {
		problems.push({
			field: 'birthPlace',
			message:
				'Le champ birthPlace (lieu de naissance, code INSEE) est obligatoire pour une identité qualifiée.'
		});
	}
	const ins = str(o, 'ins', problems);
	const insOid = str(o, 'insOid', problems);
	if (ins !== undefined || insOid !== undefined || qualified) {
		if (ins === undefined)
			problems.push({
				field: 'ins',
				message: 'Le champ ins (matricule INS) est obligatoire pour une identité qualifiée.'
			});
		if (insOid === undefined)
			problems.push({
				field: 'insOid',
				message: "Le champ insOid (OID de l'INS) est obligatoire avec un matricule INS."
			});
		if (ins !== undefined && insOid !== undefined) problems.push(...checkIns(ins, insOid));
	}
	let localId: Patient['localId'];
	if (o.localId !== undefined) {
		const l = o.localId as Record<string, unknown> | null;
		if (
			!l ||
			typeof l.root !== 'string' ||
			!OID.test(l.root) ||
			typeof l.extension !== 'string' ||
			!l.extension
		) {
			problems.push({
				field: 'localId',
				message: 'Le champ localId doit être { "root": "<OID>", "extension": "<IPP>" }.'
			});
		} else localId = { root: l.root, extension: l.extension };
	}
	if (problems.length > 0) return { problems };
	const patient: Patient = {
		birthName: birthName!,
		firstNames: firstNames!,
		firstName: firstName!,
		sex: sex as Sex,
		birthDate: birthDate!,
		identityStatus: identityStatus as IdentityStatus
	};
	if (ins && insOid) {
		patient.ins = normaliseMatricule(ins);
		patient.insOid = insOid as InsOid;
	}
	if (birthPlace) patient.birthPlace = birthPlace;
	if (usedName) patient.usedName = usedName;
	if (usedFirstName) patient.usedFirstName = usedFirstName;
	if (localId) patient.localId = localId;
	return { patient, problems: [] };
}

/** Like checkPatient, but throws an XdmError (PATIENT_INVALID) whose message names every field. */
export function parsePatient(input: unknown): Patient {
	const result = checkPatient(input);
	if (result.patient) return result.patient;
	throw new XdmError(
		ERROR_CODES.PATIENT_INVALID,
		`Patient invalide (champ${result.problems.length > 1 ? 's' : ''} ${[...new Set(result.problems.map((p) => p.field))].join(', ')}) : ${result.problems.map((p) => p.message).join(' ')}`,
		{ details: { fields: result.problems.map((p) => p.field) } }
	);
}

export const PATIENT_MAIL_DOMAIN = 'patient.mssante.fr';

/** `<matricule INS>@patient.mssante.fr`, built only from a qualified INS (ECO.2.2.6, ECO.3.1.5). */
export function patientMailbox(
	patient: Pick<Patient, 'identityStatus' | 'ins' | 'insOid'>
): string {
	if (!isQualified(patient)) {
		throw new XdmError(
			ERROR_CODES.PATIENT_INVALID,
			"L'adresse Mon Espace Santé ne peut être construite qu'à partir d'une INS qualifiée.",
			{ details: { field: 'identityStatus' } }
		);
	}
	return `${patient.ins}@${PATIENT_MAIL_DOMAIN}`;
}

/** True for a Mon Espace Santé address (mail from or to a patient, ECO.3.1.1). */
export function isPatientAddress(address: string): boolean {
	return /^[0-9AB]{15}@patient\.mssante\.fr$/i.test(address.trim());
}
