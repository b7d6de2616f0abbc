/**
 * Tolerant reading of a received METADATA.XML (ebRS 3.0 SubmitObjectsRequest). Elements are
 * matched by local name only, so ebRIM 2.1 documents and odd prefixes read too; short association
 * types ("HasMember") are accepted (seen in the DirectProject samples, xdm-cda-ins.md §1.2).
 */
import type { Element } from '@xmldom/xmldom';
import { parseXml, attr, children, textOf } from './xml/parse.ts';
import { XDS } from './metadata-build.ts';
import { parseCx, type ParsedCx } from './hl7v2.ts';

export interface MetadataPatientInfo {
	birthName?: string;
	firstName?: string;
	firstNames?: string;
	birthDate?: string;
	sex?: string;
	birthPlace?: string;
}

export interface MetadataDocumentEntry {
	entryUuid: string;
	uniqueId?: string;
	patientId?: ParsedCx;
	mimeType?: string;
	title?: string;
	typeCode?: string;
	typeLabel?: string;
	classCode?: string;
	formatCode?: string;
	confidentiality: string[];
	hash?: string;
	size?: number;
	uri?: string;
	creationTime?: string;
	sourcePatient: MetadataPatientInfo;
}

export interface MetadataSubmissionSet {
	entryUuid: string;
	uniqueId?: string;
	patientId?: ParsedCx;
	title?: string;
	submissionTime?: string;
}

export interface MetadataAssociation {
	/** 'HasMember', 'RPLC', or the raw associationType when it is another one. */
	type: string;
	source: string;
	target: string;
}

export interface MetadataContent {
	submissionSets: MetadataSubmissionSet[];
	documents: MetadataDocumentEntry[];
	associations: MetadataAssociation[];
}

const all = (e: Element | undefined, local: string) => children(e, undefined, local);

function slots(e: Element): Map<string, string[]> {
	const out = new Map<string, string[]>();
	for (const s of all(e, 'Slot')) {
		const values = all(all(s, 'ValueList')[0], 'Value').map((v) => textOf(v));
		out.set(attr(s, 'name') ?? '', values);
	}
	return out;
}

function localized(e: Element, tag: string): string | undefined {
	const ls = all(all(e, tag)[0], 'LocalizedString')[0];
	return attr(ls, 'value') || undefined;
}

function externalId(e: Element, scheme: string): string | undefined {
	const x = all(e, 'ExternalIdentifier').find((i) => attr(i, 'identificationScheme') === scheme);
	return attr(x, 'value');
}

function classification(e: Element, scheme: string): Element[] {
	return all(e, 'Classification').filter((c) => attr(c, 'classificationScheme') === scheme);
}

/** Parses PID-5, PID-7, PID-8, PID-11 values of sourcePatientInfo (§1.6). */
export function parseSourcePatientInfo(values: string[]): MetadataPatientInfo {
	const info: MetadataPatientInfo = {};
	// PID-5 may be repeated: L = birth name and first names (the INS traits), D = used name.
	const names = values.filter((v) => v.startsWith('PID-5|')).map((v) => v.slice(6).split('^'));
	const birth = names.find((c) => c[6] === 'L') ?? names.find((c) => !c[6]) ?? names[0];
	if (birth) {
		info.birthName = birth[0] || undefined;
		info.firstName = birth[1] || undefined;
		info.firstNames = birth[2] || undefined;
	}
	for (const v of values) {
		const [field, ...rest] = v.split('|');
		const value = rest.join('|');
		const c = value.split('^');
		if (field === 'PID-7') {
			const m = /^([0-9]{4})([0-9]{2})([0-9]{2})/.exec(value);
			if (m) info.birthDate = `${m[1]}-${m[2]}-${m[3]}`;
		} else if (field === 'PID-8') {
			info.sex = value || undefined;
		} else if (field === 'PID-11' && c[6] === 'BDL') {
			info.birthPlace = c[8] || undefined;
		}
	}
	return info;
}

const cx = (v: string | undefined) => (v ? parseCx(v) : undefined);

export function readMetadata(bytes: Uint8Array, name: string): MetadataContent {
	const doc = parseXml(bytes, { name });
	const root = doc.documentElement!;
	const list = all(root, 'RegistryObjectList')[0] ?? root;
	const content: MetadataContent = { submissionSets: [], documents: [], associations: [] };
	const ssIds = new Set(
		all(list, 'Classification')
			.filter((c) => attr(c, 'classificationNode') === XDS.submissionSetNode)
			.map((c) => attr(c, 'classifiedObject') ?? '')
	);
	for (const e of all(list, 'ExtrinsicObject')) {
		const s = slots(e);
		const first = (k: string) => s.get(k)?.[0];
		const type = classification(e, XDS.deTypeCode)[0];
		const size = Number(first('size'));
		content.documents.push({
			entryUuid: attr(e, 'id') ?? '',
			uniqueId: externalId(e, XDS.deUniqueId),
			patientId: cx(externalId(e, XDS.dePatientId)),
			mimeType: attr(e, 'mimeType'),
			title: localized(e, 'Name'),
			typeCode: attr(type, 'nodeRepresentation'),
			typeLabel: type ? localized(type, 'Name') : undefined,
			classCode: attr(classification(e, XDS.deClassCode)[0], 'nodeRepresentation'),
			formatCode: attr(classification(e, XDS.deFormatCode)[0], 'nodeRepresentation'),
			confidentiality: classification(e, XDS.deConfidentiality).map(
				(c) => attr(c, 'nodeRepresentation') ?? ''
			),
			hash: first('hash')?.toLowerCase(),
			size: Number.isFinite(size) && first('size') !== undefined ? size : undefined,
			uri: first('URI'),
			creationTime: first('creationTime'),
			sourcePatient: parseSourcePatientInfo(s.get('sourcePatientInfo') ?? [])
		});
	}
	const packages = all(list, 'RegistryPackage');
	for (const p of packages) {
		const id = attr(p, 'id') ?? '';
		const isSs =
			ssIds.has(id) ||
			all(p, 'Classification').some(
				(c) => attr(c, 'classificationNode') === XDS.submissionSetNode
			) ||
			externalId(p, XDS.ssUniqueId) !== undefined ||
			packages.length === 1;
		if (!isSs) continue;
		const s = slots(p);
		content.submissionSets.push({
			entryUuid: id,
			uniqueId: externalId(p, XDS.ssUniqueId),
			patientId: cx(externalId(p, XDS.ssPatientId)),
			title: localized(p, 'Name'),
			submissionTime: s.get('submissionTime')?.[0]
		});
	}
	for (const a of all(list, 'Association')) {
		const raw = attr(a, 'associationType') ?? '';
		const short = raw.split(':').pop() ?? raw;
		content.associations.push({
			type: short === 'HasMember' || short === 'RPLC' ? short : raw,
			source: attr(a, 'sourceObject') ?? '',
			target: attr(a, 'targetObject') ?? ''
		});
	}
	return content;
}
