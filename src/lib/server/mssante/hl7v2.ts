/**
 * HL7 v2.5 data types as written in XDS metadata values (xdm-cda-ins.md §1.6): CX for patient
 * ids, XCN for persons, XON for organisations. Component separators (^ & | ~ \) are removed
 * from free text so that a name can never shift the components.
 */
import { PS_ID_OID, STRUCTURE_ID_OID } from './author.ts';

const clean = (v: string) => v.replace(/[\^&|~\\]/g, ' ').trim();

/** CX: `<id>^^^&<oid>&ISO^<type>`; NH for an INS, PI for a local id (IPP). */
export function cx(id: string, oid: string, type: 'NH' | 'PI'): string {
	return `${clean(id)}^^^&${oid}&ISO^${type}`;
}

export interface ParsedCx {
	/** The value as written. */
	raw: string;
	id: string;
	oid: string;
	type: string;
}

/** Parses a CX value; tolerant of missing parts (real archives vary). */
export function parseCx(value: string): ParsedCx | undefined {
	const parts = value.trim().split('^');
	const id = parts[0] ?? '';
	if (!id) return undefined;
	const authority = (parts[3] ?? '').split('&');
	return { raw: value.trim(), id, oid: authority[1] ?? '', type: parts[4] ?? '' };
}

/** XCN for a professional: `<idNat_PS>^NOM^Prénom^^^^^^&1.2.250.1.71.4.2.1&ISO^D^^^IDNPS`. */
export function xcn(idNatPs: string, lastName: string, firstName: string): string {
	return `${clean(idNatPs)}^${clean(lastName)}^${clean(firstName)}^^^^^^&${PS_ID_OID}&ISO^D^^^IDNPS`;
}

/** XON for an organisation; without a national id only the name is given. */
export function xon(name: string, structureIdNat?: string): string {
	if (!structureIdNat) return clean(name);
	return `${clean(name)}^^^^^&${STRUCTURE_ID_OID}&ISO^IDNST^^^${clean(structureIdNat)}`;
}

/** A coded value as in authorSpecialty: `code^display^system`. */
export function ce(code: string, display: string, system: string): string {
	return `${clean(code)}^${clean(display)}^${system}`;
}
