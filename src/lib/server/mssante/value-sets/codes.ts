/**
 * The small code tables the writer needs, with lookups. Sources: ../shared/xdm-reference/
 * jeuxDeValeurs (JDV_J02, J04, J08: ANS NOS) and ASS_A11 (template → formatCode), summarised in
 * ../shared/spec/xdm-cda-ins.md §1.5 and §1.8.
 */
import { TYPE_CODE_ROWS } from './type-codes.ts';
import { AUTHOR_SPECIALTY_ROWS, AUTHOR_SPECIALTY_SYSTEM } from './author-specialties.ts';

export interface Coded {
	code: string;
	codeSystem: string;
	displayName: string;
}

export const LOINC = '2.16.840.1.113883.6.1';
/** TRE_A03-ClasseDocument-CISIS, the XDS classCode system. */
export const CLASS_CODE_SYSTEM = '1.2.250.1.213.1.1.4.1';

/**
 * TRE_A03 display names for the two classes whose wording we are sure of. Others are emitted
 * without a Name (optional in ebRIM): guessing a label is worse than none.
 */
const CLASS_LABELS: Readonly<Record<string, string>> = { '10': 'Compte rendu', '11': 'Synthèse' };

export interface DocumentType extends Coded {
	classCode: Coded;
}

/** A JDV_J07 document type with its ASS_X04 class, or undefined when the code is not in J07. */
export function documentType(code: string): DocumentType | undefined {
	const row = TYPE_CODE_ROWS.find((r) => r[0] === code);
	if (!row) return undefined;
	// ASS_X04 has no row for a handful of recent J07 codes; 10 (compte rendu) is the generic class.
	const classCode = row[3] ?? '10';
	return {
		code: row[0],
		codeSystem: row[1],
		displayName: row[2],
		classCode: {
			code: classCode,
			codeSystem: CLASS_CODE_SYSTEM,
			displayName: CLASS_LABELS[classCode] ?? ''
		}
	};
}

/** JDV_J08 confidentiality codes the sender may choose for the CDA (HL7 Confidentiality). */
export const CONFIDENTIALITY_CODES = {
	N: { code: 'N', codeSystem: '2.16.840.1.113883.5.25', displayName: 'Normal' },
	R: { code: 'R', codeSystem: '2.16.840.1.113883.5.25', displayName: 'Restreint' },
	V: { code: 'V', codeSystem: '2.16.840.1.113883.5.25', displayName: 'Très restreint' }
} as const satisfies Record<string, Coded>;

export type Confidentiality = keyof typeof CONFIDENTIALITY_CODES;

/** JDV_J08 masking codes, added as extra XDS confidentialityCode values (1.2.250.1.213.1.1.4.13). */
export const MASKING_CODES = {
	MASQUE_PS: {
		code: 'MASQUE_PS',
		codeSystem: '1.2.250.1.213.1.1.4.13',
		displayName: 'Masqué aux professionnels de santé'
	},
	INVISIBLE_PATIENT: {
		code: 'INVISIBLE_PATIENT',
		codeSystem: '1.2.250.1.213.1.1.4.13',
		displayName: 'Non visible par le patient'
	},
	INVISIBLE_REPRESENTANTS_LEGAUX: {
		code: 'INVISIBLE_REPRESENTANTS_LEGAUX',
		codeSystem: '1.2.250.1.213.1.1.4.13',
		displayName: 'Non visible par les représentants légaux du patient'
	}
} as const satisfies Record<string, Coded>;

export type MaskingCode = keyof typeof MASKING_CODES;

/** Defaults for a professional in private practice: JDV_J02 SA07 and JDV_J04 AMBULATOIRE. */
export const DEFAULT_FACILITY_TYPE: Coded = {
	code: 'SA07',
	codeSystem: '1.2.250.1.71.4.2.4',
	displayName: 'Cabinet individuel'
};
export const DEFAULT_PRACTICE_SETTING: Coded = {
	code: 'AMBULATOIRE',
	codeSystem: '1.2.250.1.213.1.1.4.9',
	displayName: 'Ambulatoire'
};

/** ASS_A11: the N1 template 1.3.6.1.4.1.19376.1.2.20 with a PDF body → this formatCode. */
export const FORMAT_CODE_PDF: Coded = {
	code: 'urn:ihe:iti:xds-sd:pdf:2008',
	codeSystem: '1.3.6.1.4.1.19376.1.2.3',
	displayName: 'Document à corps non structuré en Pdf/A-1'
};

/**
 * Author specialty from profession and specialty codes as a user types them ("10" + "SM26"), or
 * a full code ("G15_10/SM26"). Undefined when not in JDV_J01.
 */
export function authorSpecialty(professionCode: string, specialtyCode?: string): Coded | undefined {
	const profession = professionCode.startsWith('G15_') ? professionCode : `G15_${professionCode}`;
	let code = profession;
	if (specialtyCode) {
		code = specialtyCode.startsWith('G15_') ? specialtyCode : `${profession}/${specialtyCode}`;
	}
	const row = AUTHOR_SPECIALTY_ROWS.find((r) => r[0] === code);
	return row
		? { code: row[0], codeSystem: AUTHOR_SPECIALTY_SYSTEM, displayName: row[1] }
		: undefined;
}
