/**
 * The columns we read from each public extract (research note §2.2–2.4). Headers are matched
 * after normalisation, so casing, accents and punctuation differences do not matter.
 */
import type { FileSpec } from './header.ts';

export const MSSANTE_SPEC = {
	type: { header: 'Type de BAL', required: true },
	address: { header: 'Adresse BAL', required: true },
	idnps: { header: 'Identification nationale PP', required: true },
	structureId: { header: 'Identification Structure' },
	service: { header: 'Service de rattachement' },
	lastName: { header: "Nom d'exercice", required: true },
	firstName: { header: "Prénom d'exercice", required: true },
	professionCode: { header: 'Code Profession', required: true },
	professionLabel: { header: 'Libellé Profession' },
	sfCode: { header: 'Code savoir-faire' },
	sfLabel: { header: 'Libellé savoir-faire' },
	organization: { header: 'Raison Sociale structure BAL' },
	brand: { header: 'Enseigne commerciale structure BAL' },
	streetNumber: { header: 'L4NUMEROVOIE structure BAL' },
	streetRepeat: { header: 'L4COMPLEMENTNUMEROVOIE structure BAL' },
	streetType: { header: 'NL4TYPEVOIE structure BAL', aliases: ['L4TYPEVOIE structure BAL'] },
	streetName: { header: 'L4LIBELLEVOIE structure BAL' },
	cityLine: { header: 'L6LIGNEACHEMINEMENT structure BAL' },
	postalCode: { header: 'Code postal structure BAL' },
	department: { header: 'Département structure BAL' },
	/** Not in the public extract today; honoured if the ANS ever publishes it (FHIR listeRouge). */
	redList: { header: 'Liste rouge', aliases: ['listeRouge'] }
} as const satisfies FileSpec<string>;

export const ACTIVITE_SPEC = {
	idnps: { header: 'Identification nationale PP', required: true },
	lastName: { header: "Nom d'exercice", required: true },
	firstName: { header: "Prénom d'exercice", required: true },
	professionCode: { header: 'Code profession', required: true },
	professionLabel: { header: 'Libellé profession', required: true },
	sfCode: { header: 'Code savoir-faire' },
	sfLabel: { header: 'Libellé savoir-faire' },
	structureId: { header: 'Identifiant technique de la structure' },
	siteName: { header: 'Raison sociale site' },
	brand: { header: 'Enseigne commerciale site' },
	streetNumber: { header: 'Numéro Voie (coord. structure)' },
	streetRepeat: { header: 'Indice répétition voie (coord. structure)' },
	streetType: { header: 'Libellé type de voie (coord. structure)' },
	streetName: { header: 'Libellé Voie (coord. structure)' },
	cedex: { header: 'Bureau cedex (coord. structure)' },
	postalCode: { header: 'Code postal (coord. structure)' },
	commune: { header: 'Code commune (coord. structure)' },
	city: { header: 'Libellé commune (coord. structure)' }
} as const satisfies FileSpec<string>;

export const SAVOIR_FAIRE_SPEC = {
	idnps: { header: 'Identification nationale PP', required: true },
	sfCode: { header: 'Code savoir-faire', required: true },
	sfLabel: { header: 'Libellé savoir-faire', required: true }
} as const satisfies FileSpec<string>;
