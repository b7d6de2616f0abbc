/**
 * The patient and author forms (French field names) ↔ the library's objects, with the library's
 * messages reworded to name the field as the form labels it.
 */
import type { AuthorFormValues, PatientFormValues, PatientRow } from '../../patient-types.ts';
import {
	IDENTITY_STATUS_LABELS,
	insOidLabel,
	isQualified,
	type Author,
	type FieldProblem,
	type Patient
} from '../mssante/index.ts';
import { AUTHOR_SPECIALTY_ROWS } from '../mssante/value-sets/author-specialties.ts';
import type { StoredPatient } from './store.ts';

const PATIENT_FIELDS: Record<string, { name: keyof PatientFormValues; label: string }> = {
	identityStatus: { name: 'statut', label: 'Statut de l’identité' },
	birthName: { name: 'nom_naissance', label: 'Nom de naissance' },
	firstNames: { name: 'prenoms', label: 'Prénoms de naissance' },
	firstName: { name: 'prenoms', label: 'Premier prénom de naissance' },
	usedName: { name: 'nom_utilise', label: 'Nom utilisé' },
	usedFirstName: { name: 'prenom_utilise', label: 'Prénom utilisé' },
	sex: { name: 'sexe', label: 'Sexe' },
	birthDate: { name: 'date_naissance', label: 'Date de naissance' },
	birthPlace: { name: 'lieu_naissance', label: 'Lieu de naissance' },
	ins: { name: 'ins', label: 'Matricule INS' },
	insOid: { name: 'ins_oid', label: 'Type d’INS' }
};

export function emptyPatientForm(): PatientFormValues {
	return {
		statut: 'provisoire',
		nom_naissance: '',
		prenoms: '',
		nom_utilise: '',
		prenom_utilise: '',
		sexe: '',
		date_naissance: '',
		lieu_naissance: '',
		ins: '',
		ins_oid: '1.2.250.1.213.1.4.8'
	};
}

export function readPatientForm(form: FormData): PatientFormValues {
	const values = emptyPatientForm();
	for (const key of Object.keys(values) as (keyof PatientFormValues)[]) {
		const v = form.get(key);
		values[key] = typeof v === 'string' ? v.trim() : '';
	}
	return values;
}

/** The library's input: an INS typed for a non-qualified identity is still checked and kept. */
export function patientInput(v: PatientFormValues): Record<string, unknown> {
	const optional = (s: string) => (s === '' ? undefined : s);
	return {
		identityStatus: v.statut,
		birthName: v.nom_naissance,
		firstNames: v.prenoms,
		usedName: optional(v.nom_utilise),
		usedFirstName: optional(v.prenom_utilise),
		sex: v.sexe,
		birthDate: v.date_naissance,
		birthPlace: optional(v.lieu_naissance),
		ins: optional(v.ins),
		insOid: v.ins ? v.ins_oid : undefined
	};
}

export function patientFormOf(p: Patient): PatientFormValues {
	return {
		statut: p.identityStatus,
		nom_naissance: p.birthName,
		prenoms: p.firstNames,
		nom_utilise: p.usedName ?? '',
		prenom_utilise: p.usedFirstName ?? '',
		sexe: p.sex,
		date_naissance: p.birthDate,
		lieu_naissance: p.birthPlace ?? '',
		ins: p.ins ?? '',
		ins_oid: p.insOid ?? '1.2.250.1.213.1.4.8'
	};
}

/** Problems keyed by form field, each message naming the field by its label. */
export function patientErrors(problems: FieldProblem[]): Record<string, string> {
	const errors: Record<string, string> = {};
	for (const p of problems) {
		const field = PATIENT_FIELDS[p.field];
		const name = field?.name ?? 'form';
		const message = field
			? p.message.replace(new RegExp(`\\b${p.field}\\b`, 'g'), `« ${field.label} »`)
			: p.message;
		errors[name] = errors[name] ? `${errors[name]} ${message}` : message;
	}
	return errors;
}

function title(s: string): string {
	return s
		.toLowerCase()
		.replace(/(^|[\s'-])(\p{L})/gu, (_m, sep: string, c: string) => sep + c.toUpperCase());
}

export function patientRow(p: StoredPatient): PatientRow {
	const qualified = isQualified(p);
	return {
		id: p.id,
		name: `${p.birthName} ${title(p.firstNames)}`,
		usedName: p.usedName && p.usedName !== p.birthName ? p.usedName : null,
		birthDate: p.birthDate.split('-').reverse().join('/'),
		sex: p.sex,
		status: p.identityStatus,
		statusLabel: IDENTITY_STATUS_LABELS[p.identityStatus],
		isQualified: qualified,
		ins: qualified ? p.ins! : null,
		insLabel: qualified ? (insOidLabel(p.insOid!) ?? null) : null
	};
}

/** "Profession – spécialité" choices of JDV_J01 for the author form. */
export const AUTHOR_PROFESSIONS = AUTHOR_SPECIALTY_ROWS.map(([code, label]) => ({
	value: code.replace(/^G15_/, ''),
	label
}));

const AUTHOR_FIELDS: Record<string, keyof AuthorFormValues | 'form'> = {
	rpps: 'rpps',
	lastName: 'nom',
	firstName: 'prenom',
	professionCode: 'profession',
	specialtyCode: 'profession',
	organization: 'organisation',
	'organization.name': 'organisation',
	'organization.finess': 'finess',
	'organization.siret': 'siret',
	mailbox: 'form'
};

export function emptyAuthorForm(): AuthorFormValues {
	return { rpps: '', nom: '', prenom: '', profession: '', organisation: '', finess: '', siret: '' };
}

export function readAuthorForm(form: FormData): AuthorFormValues {
	const values = emptyAuthorForm();
	for (const key of Object.keys(values) as (keyof AuthorFormValues)[]) {
		const v = form.get(key);
		values[key] = typeof v === 'string' ? v.trim() : '';
	}
	return values;
}

export function authorInput(v: AuthorFormValues, mailbox: string): Record<string, unknown> {
	const [professionCode, specialtyCode] = v.profession.split('/');
	return {
		rpps: v.rpps,
		lastName: v.nom,
		firstName: v.prenom,
		professionCode: professionCode ?? '',
		specialtyCode,
		organization: {
			name: v.organisation,
			finess: v.finess || undefined,
			siret: v.siret || undefined
		},
		mailbox
	};
}

export function authorFormOf(a: Author): AuthorFormValues {
	return {
		rpps: a.rpps,
		nom: a.lastName,
		prenom: a.firstName,
		profession: a.specialtyCode ? `${a.professionCode}/${a.specialtyCode}` : a.professionCode,
		organisation: a.organization.name,
		finess: a.organization.finess ?? '',
		siret: a.organization.siret ?? ''
	};
}

const AUTHOR_MESSAGES: Record<keyof AuthorFormValues | 'form', string> = {
	rpps: 'Le numéro RPPS doit compter 11 chiffres.',
	nom: 'Indiquez votre nom.',
	prenom: 'Indiquez votre prénom.',
	profession: 'Choisissez votre profession (et votre spécialité).',
	organisation: 'Indiquez le nom de votre organisation.',
	finess: 'Indiquez le FINESS (9 caractères) ou le SIRET (14 chiffres) de votre organisation.',
	siret: 'Le SIRET compte 14 chiffres.',
	form: 'Profil d’auteur invalide.'
};

/** Problems keyed by form field, in French, naming the field. */
export function authorErrors(problems: FieldProblem[]): Record<string, string> {
	const errors: Record<string, string> = {};
	for (const p of problems) {
		const name = AUTHOR_FIELDS[p.field] ?? 'form';
		errors[name] = AUTHOR_MESSAGES[name];
	}
	return errors;
}
