/**
 * INS (Identité Nationale de Santé): the matricule (NIR or NIA) and its assigning-authority OID.
 * Sources: ../shared/spec/xdm-cda-ins.md §2.1 (layout, key), §2.2 (OIDs, labels as in the ANS
 * stylesheet CDA-FO.xsl). The key rule is key = 97 − (13-digit number mod 97), with Corsica's
 * 2A/2B replaced by 19/18 for the computation only.
 */
import { XdmError, ERROR_CODES } from '../errors.ts';

/** OIDs accepted as INS roots by the Structuration minimale Schematron (and nothing else). */
export const INS_OIDS = {
	NIR: '1.2.250.1.213.1.4.8',
	NIA: '1.2.250.1.213.1.4.9',
	NIR_TEST: '1.2.250.1.213.1.4.10',
	NIR_DEMO: '1.2.250.1.213.1.4.11'
} as const;

export type InsOid = (typeof INS_OIDS)[keyof typeof INS_OIDS];

/** Labels shown in the patient banner, worded as the ANS stylesheet does. */
export const INS_OID_LABELS: Readonly<Record<InsOid, string>> = {
	'1.2.250.1.213.1.4.8': 'INS-NIR',
	'1.2.250.1.213.1.4.9': 'INS-NIA',
	'1.2.250.1.213.1.4.10': 'INS-NIR de test',
	'1.2.250.1.213.1.4.11': 'INS-NIR de démonstration'
};

export function isInsOid(value: string): value is InsOid {
	return Object.hasOwn(INS_OID_LABELS, value);
}

export function insOidLabel(oid: string): string | undefined {
	return isInsOid(oid) ? INS_OID_LABELS[oid] : undefined;
}

/** One problem found in an INS, naming the field (French message, shown to the user). */
export interface InsProblem {
	field: 'ins' | 'insOid';
	message: string;
}

const MATRICULE_SHAPE = /^[1-478][0-9]{4}(?:[0-9]{2}|2A|2B)[0-9]{6}[0-9]{2}$/;

/**
 * Computes the key of a 13-character NIR/NIA body (digits, or 2A/2B at the department place).
 * Returns undefined when the body does not have that shape.
 */
export function insKey(body: string): number | undefined {
	const upper = body.toUpperCase();
	if (!/^[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]{6}$/.test(upper)) return undefined;
	// Corsica: 2A → 19, 2B → 18, for the computation only (the matricule keeps 2A/2B).
	const numeric = upper.replace(/^(.{5})2A/, '$119').replace(/^(.{5})2B/, '$118');
	// 13 digits stay below 2^53, so a plain number is exact.
	return 97 - (Number(numeric) % 97);
}

/** Normalises what a user may paste: spaces, dots and dashes removed, upper case. */
export function normaliseMatricule(value: string): string {
	return value.replace(/[\s.-]/g, '').toUpperCase();
}

/** Checks a matricule INS (15 characters incl. key). Returns the problems, empty when valid. */
export function checkMatricule(value: string): InsProblem[] {
	const m = normaliseMatricule(value);
	if (m.length !== 15) {
		return [
			{
				field: 'ins',
				message: `Le matricule INS doit compter 15 caractères (clé comprise) ; ${m.length} reçu(s).`
			}
		];
	}
	if (!MATRICULE_SHAPE.test(m)) {
		return [
			{
				field: 'ins',
				message:
					'Le matricule INS doit être composé de chiffres (sexe 1, 2, 3, 4, 7 ou 8 en tête ; 2A ou 2B admis pour la Corse).'
			}
		];
	}
	const expected = insKey(m.slice(0, 13));
	const key = Number(m.slice(13));
	if (expected === undefined || expected !== key) {
		return [
			{
				field: 'ins',
				message: `La clé du matricule INS est fausse (${m.slice(13)} ; attendue ${String(expected).padStart(2, '0')}).`
			}
		];
	}
	return [];
}

/** Checks a matricule and its OID together; see checkMatricule. */
export function checkIns(ins: string, oid: string): InsProblem[] {
	const problems = checkMatricule(ins);
	if (!isInsOid(oid)) {
		problems.push({
			field: 'insOid',
			message: `L'OID de l'INS doit être l'un de ${Object.values(INS_OIDS).join(', ')} ; reçu « ${oid} ».`
		});
	}
	return problems;
}

/** Throws an XdmError (INS_INVALID) naming the field, or returns the normalised matricule. */
export function validateIns(ins: string, oid: string): { ins: string; oid: InsOid } {
	const problems = checkIns(ins, oid);
	const first = problems[0];
	if (first) {
		throw new XdmError(ERROR_CODES.INS_INVALID, first.message, {
			details: { field: first.field, problems: problems.map((p) => p.field) }
		});
	}
	return { ins: normaliseMatricule(ins), oid: oid as InsOid };
}

/** True when the matricule is well formed and its key is right (no throw; for readers). */
export function isInsKeyValid(value: string): boolean {
	return checkMatricule(value).length === 0;
}
