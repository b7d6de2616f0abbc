/**
 * The professional who writes the document (CDA author, legalAuthenticator, XDS author).
 * Identifiers per ../shared/spec/xdm-cda-ins.md §1.6: idNat_PS = "8" + RPPS under OID
 * 1.2.250.1.71.4.2.1; Struct_IdNat = "1" + FINESS or "3" + SIRET under 1.2.250.1.71.4.2.2.
 */
import { XdmError, ERROR_CODES } from '../errors.ts';
import { authorSpecialty, type Coded } from './value-sets/codes.ts';
import type { FieldProblem } from './patient.ts';

export const PS_ID_OID = '1.2.250.1.71.4.2.1';
export const STRUCTURE_ID_OID = '1.2.250.1.71.4.2.2';

export interface Author {
	rpps: string;
	lastName: string;
	firstName: string;
	professionCode: string;
	specialtyCode?: string;
	organization: { name: string; finess?: string; siret?: string };
	mailbox: string;
}

/** idNat_PS for an RPPS number. */
export function idNps(author: Pick<Author, 'rpps'>): string {
	return `8${author.rpps}`;
}

/** Struct_IdNat of the organisation, or undefined when it has neither FINESS nor SIRET. */
export function structureIdNat(author: Pick<Author, 'organization'>): string | undefined {
	if (author.organization.finess) return `1${author.organization.finess}`;
	if (author.organization.siret) return `3${author.organization.siret}`;
	return undefined;
}

export function authorSpecialtyOf(author: Author): Coded {
	// parseAuthor has checked it; the fallback keeps the type total.
	return (
		authorSpecialty(author.professionCode, author.specialtyCode) ?? {
			code: `G15_${author.professionCode}`,
			codeSystem: '1.2.250.1.213.1.1.4.5',
			displayName: ''
		}
	);
}

function text(o: Record<string, unknown>, field: string, label: string, problems: FieldProblem[]) {
	const v = o[field];
	if (typeof v !== 'string' || v.trim() === '') {
		problems.push({ field: label, message: `Le champ ${label} est obligatoire.` });
		return undefined;
	}
	return v.trim();
}

/** Checks an untrusted author object; throws an XdmError (AUTHOR_INVALID) naming every field. */
export function parseAuthor(input: unknown): Author {
	const problems: FieldProblem[] = [];
	if (typeof input !== 'object' || input === null || Array.isArray(input)) {
		throw new XdmError(
			ERROR_CODES.AUTHOR_INVALID,
			"Auteur invalide : l'auteur doit être un objet JSON.",
			{
				details: { fields: ['author'] }
			}
		);
	}
	const o = input as Record<string, unknown>;
	const rpps = text(o, 'rpps', 'rpps', problems);
	if (rpps && !/^[0-9]{11}$/.test(rpps)) {
		problems.push({ field: 'rpps', message: 'Le champ rpps doit compter 11 chiffres.' });
	}
	const lastName = text(o, 'lastName', 'lastName', problems);
	const firstName = text(o, 'firstName', 'firstName', problems);
	const professionCode = text(o, 'professionCode', 'professionCode', problems);
	const specialtyCode =
		typeof o.specialtyCode === 'string' && o.specialtyCode.trim()
			? o.specialtyCode.trim()
			: undefined;
	if (professionCode && !authorSpecialty(professionCode, specialtyCode)) {
		problems.push({
			field: specialtyCode ? 'specialtyCode' : 'professionCode',
			message: `Profession ou spécialité inconnue du jeu de valeurs JDV_J01 : ${professionCode}${specialtyCode ? ' / ' + specialtyCode : ''}.`
		});
	}
	const org = o.organization as Record<string, unknown> | undefined;
	let organization: Author['organization'] | undefined;
	if (typeof org !== 'object' || org === null) {
		problems.push({ field: 'organization', message: 'Le champ organization est obligatoire.' });
	} else {
		const name = text(org, 'name', 'organization.name', problems);
		const finess = typeof org.finess === 'string' && org.finess ? org.finess.trim() : undefined;
		const siret = typeof org.siret === 'string' && org.siret ? org.siret.trim() : undefined;
		if (finess && !/^[0-9][0-9AB][0-9]{7}$/.test(finess)) {
			problems.push({
				field: 'organization.finess',
				message: 'Le champ organization.finess doit compter 9 caractères.'
			});
		}
		if (siret && !/^[0-9]{14}$/.test(siret)) {
			problems.push({
				field: 'organization.siret',
				message: 'Le champ organization.siret doit compter 14 chiffres.'
			});
		}
		if (!finess && !siret) {
			// The CDA custodian must carry a Struct_IdNat (CI-SISCustodian rule of the ANS Schematron).
			problems.push({
				field: 'organization.finess',
				message:
					"L'organisation doit avoir un identifiant de structure : organization.finess ou organization.siret."
			});
		}
		if (name) organization = { name, ...(finess ? { finess } : {}), ...(siret ? { siret } : {}) };
	}
	const mailbox = text(o, 'mailbox', 'mailbox', problems);
	if (mailbox && !/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(mailbox)) {
		problems.push({
			field: 'mailbox',
			message: 'Le champ mailbox doit être une adresse de messagerie.'
		});
	}
	if (
		problems.length > 0 ||
		!rpps ||
		!lastName ||
		!firstName ||
		!professionCode ||
		!organization ||
		!mailbox
	) {
		throw new XdmError(
			ERROR_CODES.AUTHOR_INVALID,
			`Auteur invalide (champ${problems.length > 1 ? 's' : ''} ${problems.map((p) => p.field).join(', ')}) : ${problems.map((p) => p.message).join(' ')}`,
			{ details: { fields: problems.map((p) => p.field) } }
		);
	}
	return {
		rpps,
		lastName: lastName.toUpperCase(),
		firstName,
		professionCode,
		...(specialtyCode ? { specialtyCode } : {}),
		organization,
		mailbox
	};
}
