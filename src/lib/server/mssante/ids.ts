/**
 * Identifiers and timestamps for CDA and XDS.
 * OIDs are UUID-derived (ITU-T X.667, arc 2.25), which needs no registration and stays under the
 * 64 characters XDS allows for a uniqueId. XDS times are UTC DTM (YYYYMMDDhhmmss); CDA times are
 * TS with an explicit offset (xdm-cda-ins.md §1.5, §3.1).
 */
import { createHash, randomUUID } from 'node:crypto';

/**
 * Confrère's own root, derived once from UUID 539818aa-499a-43a4-8e88-104a33b4c4d3: the XDS
 * sourceId of the archives we build, and the root of our local patient identifiers (.1).
 */
export const CONFRERE_OID = '2.25.111115653042042326042849887207321552083';
export const LOCAL_PATIENT_ID_ROOT = `${CONFRERE_OID}.1`;

export function uuidUrn(): string {
	return `urn:uuid:${randomUUID()}`;
}

export function uuidToOid(uuid: string): string {
	return `2.25.${BigInt(`0x${uuid.replace(/^urn:uuid:/, '').replace(/-/g, '')}`).toString()}`;
}

export function newOid(): string {
	return uuidToOid(randomUUID());
}

/**
 * A stable local id for a patient whose INS cannot be carried (identity not qualified): the same
 * traits give the same id, so the receiver can group the documents of one patient.
 */
export function localPatientId(traits: {
	birthName: string;
	firstNames: string;
	birthDate: string;
	sex: string;
}): string {
	return createHash('sha256')
		.update([traits.birthName, traits.firstNames, traits.birthDate, traits.sex].join('|'))
		.digest('hex')
		.slice(0, 20)
		.toUpperCase();
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** XDS DTM in UTC: YYYYMMDDhhmmss. */
export function xdsTime(date: Date): string {
	return (
		`${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}` +
		`${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`
	);
}

/** CDA TS with offset; written in UTC (+0000) so that XDS and CDA times agree exactly. */
export function cdaTime(date: Date): string {
	return `${xdsTime(date)}+0000`;
}

/** AAAAMMJJ → a checked calendar date string, or undefined. */
export function checkDay(value: string): string | undefined {
	const m = /^([0-9]{4})([0-9]{2})([0-9]{2})$/.exec(value);
	if (!m) return undefined;
	const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
	return d.toISOString().slice(0, 10).replace(/-/g, '') === value ? value : undefined;
}

export function sha1Hex(bytes: Uint8Array): string {
	return createHash('sha1').update(bytes).digest('hex');
}
