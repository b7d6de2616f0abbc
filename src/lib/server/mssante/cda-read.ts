/**
 * Reading the header and body of a received CDA R2 document (N1 or N3) for display:
 * patient identity (INS with its OID label, traits, xdm-cda-ins.md §3.3), document code, title,
 * dates, author, and the N1 body decoded from base64. Never throws on content problems: they are
 * returned as French warnings so the user still sees what could be read.
 */
import type { Element } from '@xmldom/xmldom';
import { parseXml, NS, attr, child, children, path, textOf } from './xml/parse.ts';
import { isInsKeyValid, isInsOid, insOidLabel } from './ins.ts';
import { isPdf } from './pdf.ts';

export interface DocumentPatient {
	ins?: string;
	oid?: string;
	/** Label of the INS OID (INS-NIR, INS-NIA, INS-NIR de test, INS-NIR de démonstration). */
	oidLabel?: string;
	isInsKeyValid?: boolean;
	birthName?: string;
	firstNames?: string;
	firstName?: string;
	usedName?: string;
	sex?: string;
	/** YYYY-MM-DD when the CDA gives at least a day. */
	birthDate?: string;
	birthPlace?: string;
}

export interface CdaBody {
	mediaType: string;
	/** Decoded bytes of a nonXMLBody; undefined for a structured body or broken base64. */
	bytes?: Uint8Array;
	isPdf: boolean;
	/** True for an N3 document (structuredBody), rendered from its narrative by the UI. */
	isStructured: boolean;
}

export interface CdaInfo {
	id?: string;
	setId?: string;
	version?: number;
	typeCode?: string;
	typeCodeSystem?: string;
	typeLabel?: string;
	title?: string;
	effectiveTime?: string;
	confidentialityCode?: string;
	patient: DocumentPatient;
	author?: { id?: string; name?: string; organization?: string };
	replaces?: string;
	body: CdaBody;
	warnings: string[];
}

function ii(e: Element | undefined): string | undefined {
	if (!e) return undefined;
	const root = attr(e, 'root');
	const ext = attr(e, 'extension');
	if (!root) return undefined;
	return ext ? `${root}^${ext}` : root;
}

function hl7Date(value: string | undefined): string | undefined {
	const m = /^([0-9]{4})([0-9]{2})([0-9]{2})/.exec(value ?? '');
	return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeBody(text: string, warnings: string[]): Uint8Array | undefined {
	const compact = text.replace(/\s+/g, '');
	if (compact.length % 4 !== 0 || !BASE64.test(compact)) {
		warnings.push('Le corps du document (base64) est corrompu : il ne peut pas être affiché.');
		return undefined;
	}
	return new Uint8Array(Buffer.from(compact, 'base64'));
}

function readPatient(role: Element | undefined, warnings: string[]): DocumentPatient {
	const p: DocumentPatient = {};
	const insId = children(role, NS.hl7, 'id').find((id) => isInsOid(attr(id, 'root') ?? ''));
	if (insId) {
		p.ins = attr(insId, 'extension');
		p.oid = attr(insId, 'root');
		p.oidLabel = insOidLabel(p.oid ?? '');
		p.isInsKeyValid = !!p.ins && isInsKeyValid(p.ins);
		if (!p.isInsKeyValid)
			warnings.push(
				"La clé du matricule INS du document est fausse : vérifiez l'identité du patient."
			);
	}
	const patient = child(role, NS.hl7, 'patient');
	const name = child(patient, NS.hl7, 'name');
	for (const part of children(name, NS.hl7)) {
		const q = attr(part, 'qualifier');
		const v = textOf(part);
		if (part.localName === 'family') {
			if (q === 'BR' || (!q && !p.birthName)) p.birthName = v;
			else if (q === 'CL') p.usedName = v;
		} else if (part.localName === 'given') {
			if (q === 'BR') p.firstName = v;
			else if (!q) p.firstNames = v;
		}
	}
	if (!p.firstName && p.firstNames) p.firstName = p.firstNames.split(' ')[0];
	p.sex = attr(child(patient, NS.hl7, 'administrativeGenderCode'), 'code');
	p.birthDate = hl7Date(attr(child(patient, NS.hl7, 'birthTime'), 'value'));
	const county = path(patient, NS.hl7, 'birthplace', 'place', 'addr', 'county');
	if (county) p.birthPlace = textOf(county);
	return p;
}

export function readCda(bytes: Uint8Array, name: string): CdaInfo {
	const doc = parseXml(bytes, { name });
	const root = doc.documentElement!;
	const warnings: string[] = [];
	if (root.localName !== 'ClinicalDocument' || root.namespaceURI !== NS.hl7) {
		warnings.push(`${name} n'est pas un document CDA R2.`);
	}
	const code = child(root, NS.hl7, 'code');
	const role = path(root, NS.hl7, 'recordTarget', 'patientRole');
	const assigned = path(root, NS.hl7, 'author', 'assignedAuthor');
	const person = path(assigned, NS.hl7, 'assignedPerson', 'name');
	const info: CdaInfo = {
		id: ii(child(root, NS.hl7, 'id')),
		setId: ii(child(root, NS.hl7, 'setId')),
		version: Number(attr(child(root, NS.hl7, 'versionNumber'), 'value')) || undefined,
		typeCode: attr(code, 'code'),
		typeCodeSystem: attr(code, 'codeSystem'),
		typeLabel: attr(code, 'displayName'),
		title: textOf(child(root, NS.hl7, 'title')) || undefined,
		effectiveTime: attr(child(root, NS.hl7, 'effectiveTime'), 'value'),
		confidentialityCode: attr(child(root, NS.hl7, 'confidentialityCode'), 'code'),
		patient: readPatient(role, warnings),
		author: assigned && {
			id: attr(child(assigned, NS.hl7, 'id'), 'extension'),
			name: person ? textOf(person) : undefined,
			organization: textOf(path(assigned, NS.hl7, 'representedOrganization', 'name')) || undefined
		},
		replaces: ii(path(root, NS.hl7, 'relatedDocument', 'parentDocument', 'id')),
		body: { mediaType: '', isPdf: false, isStructured: false },
		warnings
	};
	const component = child(root, NS.hl7, 'component');
	const nonXml = child(component, NS.hl7, 'nonXMLBody');
	if (child(component, NS.hl7, 'structuredBody')) {
		info.body = { mediaType: 'text/xml', isPdf: false, isStructured: true };
	} else if (nonXml) {
		const text = child(nonXml, NS.hl7, 'text');
		const mediaType = attr(text, 'mediaType') ?? 'text/plain';
		const b64 = attr(text, 'representation') === 'B64';
		const bytes = b64
			? decodeBody(text?.textContent ?? '', warnings)
			: new TextEncoder().encode(text?.textContent ?? '');
		const pdf = !!bytes && isPdf(bytes);
		if (mediaType === 'application/pdf' && bytes && !pdf) {
			warnings.push(
				"Le document se présente comme un PDF mais n'en est pas un : il ne sera pas affiché."
			);
		}
		info.body = {
			mediaType,
			isPdf: pdf,
			isStructured: false,
			...(bytes && (pdf || mediaType !== 'application/pdf') ? { bytes } : {})
		};
	} else {
		warnings.push(`${name} : corps du document absent.`);
	}
	return info;
}
