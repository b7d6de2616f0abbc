/**
 * METADATA.XML of one submission set: an ebRS 3.0 lcm:SubmitObjectsRequest with one
 * DocumentEntry (rim:ExtrinsicObject) per CDA, the SubmissionSet (rim:RegistryPackage), its
 * classification, a HasMember association per document and, for a replacement, the RPLC
 * association (xdm-cda-ins.md §1.3–§1.7). Child order inside each object is the one rim.xsd
 * fixes: Slot*, Name, Description, VersionInfo, Classification*, ExternalIdentifier*.
 */
import { el, serialize, type XmlChild, type XmlElement } from './xml/writer.ts';
import { NS } from './xml/parse.ts';
import type { Patient } from './patient.ts';
import { authorSpecialtyOf, idNps, structureIdNat, type Author } from './author.ts';
import type { ReplacedDocument } from './cda-build.ts';
import { patientIds } from './cda-build.ts';
import { ce, cx, xcn, xon } from './hl7v2.ts';
import { uuidUrn, CONFRERE_OID } from './ids.ts';
import type { Coded, DocumentType } from './value-sets/codes.ts';

/** ebRIM classification and identification schemes (IHE ITI TF-3 §4.2.5). */
export const XDS = {
	submissionSetNode: 'urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd',
	ssAuthor: 'urn:uuid:a7058bb9-b4e4-4307-ba5b-e3f0ab85e12d',
	ssContentType: 'urn:uuid:aa543740-bdda-424e-8c96-df4873be8500',
	ssPatientId: 'urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446',
	ssSourceId: 'urn:uuid:554ac39e-e3fe-47fe-b233-965d2a147832',
	ssUniqueId: 'urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8',
	docEntryType: 'urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1',
	deAuthor: 'urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d',
	deClassCode: 'urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a',
	deConfidentiality: 'urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f',
	deFormatCode: 'urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d',
	deFacilityType: 'urn:uuid:f33fb8ac-18af-42cc-ae0e-ed0b0bdb91e1',
	dePracticeSetting: 'urn:uuid:cccf5598-8b07-4b77-a05e-ae952c785ead',
	deTypeCode: 'urn:uuid:f0306f51-975f-434e-a61c-c59651d33983',
	dePatientId: 'urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427',
	deUniqueId: 'urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab',
	hasMember: 'urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember',
	rplc: 'urn:ihe:iti:2007:AssociationType:RPLC'
} as const;

export interface MetadataDocument {
	entryUuid: string;
	uniqueId: string;
	hash: string;
	size: number;
	uri: string;
	title: string;
	type: DocumentType;
	/** First the HL7 code (N, R, V), then optional masking codes. */
	confidentiality: Coded[];
	format: Coded;
	facilityType: Coded;
	practiceSetting: Coded;
	/** XDS DTM (UTC). */
	creationTime: string;
	/** Date of the act (AAAAMMJJ is a valid DTM). */
	serviceStartTime: string;
	replaces?: ReplacedDocument;
}

export interface MetadataOptions {
	patient: Patient;
	author: Author;
	documents: MetadataDocument[];
	submission: {
		entryUuid: string;
		uniqueId: string;
		submissionTime: string;
		title?: string;
		intendedRecipients?: string[];
	};
	contentType: Coded;
}

const rim = (
	name: string,
	attrs: Record<string, string | number | undefined> = {},
	...c: XmlChild[]
) => el(`rim:${name}`, attrs, ...c);

const slot = (name: string, values: string[]) =>
	rim(
		'Slot',
		{ name },
		rim(
			'ValueList',
			{},
			values.map((v) => rim('Value', {}, v))
		)
	);

const localized = (tag: 'Name' | 'Description', value: string) =>
	rim(tag, {}, rim('LocalizedString', { value }));

function classification(scheme: string, object: string, c: Coded): XmlElement {
	return rim(
		'Classification',
		{
			id: uuidUrn(),
			classificationScheme: scheme,
			classifiedObject: object,
			nodeRepresentation: c.code
		},
		slot('codingScheme', [c.codeSystem]),
		c.displayName ? localized('Name', c.displayName) : null
	);
}

function externalId(scheme: string, object: string, value: string, label: string): XmlElement {
	return rim(
		'ExternalIdentifier',
		{ id: uuidUrn(), registryObject: object, identificationScheme: scheme, value },
		localized('Name', label)
	);
}

function authorClassification(scheme: string, object: string, a: Author): XmlElement {
	const s = authorSpecialtyOf(a);
	return rim(
		'Classification',
		{
			id: uuidUrn(),
			classificationScheme: scheme,
			classifiedObject: object,
			nodeRepresentation: ''
		},
		slot('authorPerson', [xcn(idNps(a), a.lastName, a.firstName)]),
		slot('authorInstitution', [xon(a.organization.name, structureIdNat(a))]),
		slot('authorSpecialty', [ce(s.code, s.displayName, s.codeSystem)]),
		slot('authorTelecommunication', [`^^Internet^${a.mailbox}`])
	);
}

/** The patient CX for patientId: the INS (NH) for a qualified identity, else the local id (PI). */
export function patientCx(patient: Patient): string {
	const first = patientIds(patient)[0]!;
	return cx(first.extension, first.root, first.isIns ? 'NH' : 'PI');
}

function sourcePatientInfo(p: Patient, pid3: string): string[] {
	const values = [
		`PID-3|${pid3}`,
		`PID-5|${p.birthName}^${p.firstName}^${p.firstNames}^^^^L`,
		p.usedName ? `PID-5|${p.usedName}^${p.usedFirstName ?? p.firstName}^^^^^D` : '',
		`PID-7|${p.birthDate.replace(/-/g, '')}`,
		`PID-8|${p.sex}`,
		p.birthPlace ? `PID-11|^^^^^^BDL^^${p.birthPlace}` : ''
	];
	return values.filter((v) => v !== '');
}

function documentEntry(o: MetadataOptions, d: MetadataDocument): XmlElement {
	const pid = patientCx(o.patient);
	const ids = patientIds(o.patient);
	const local = ids.find((i) => !i.isIns);
	const sourcePid = local ? cx(local.extension, local.root, 'PI') : pid;
	const a = o.author;
	return rim(
		'ExtrinsicObject',
		{ id: d.entryUuid, mimeType: 'text/xml', objectType: XDS.docEntryType },
		slot('creationTime', [d.creationTime]),
		slot('languageCode', ['fr-FR']),
		slot('serviceStartTime', [d.serviceStartTime]),
		slot('hash', [d.hash]),
		slot('size', [String(d.size)]),
		slot('URI', [d.uri]),
		slot('legalAuthenticator', [xcn(idNps(a), a.lastName, a.firstName)]),
		slot('sourcePatientId', [sourcePid]),
		slot('sourcePatientInfo', sourcePatientInfo(o.patient, sourcePid)),
		localized('Name', d.title),
		authorClassification(XDS.deAuthor, d.entryUuid, a),
		classification(XDS.deClassCode, d.entryUuid, d.type.classCode),
		d.confidentiality.map((c) => classification(XDS.deConfidentiality, d.entryUuid, c)),
		classification(XDS.deFormatCode, d.entryUuid, d.format),
		classification(XDS.deFacilityType, d.entryUuid, d.facilityType),
		classification(XDS.dePracticeSetting, d.entryUuid, d.practiceSetting),
		classification(XDS.deTypeCode, d.entryUuid, d.type),
		externalId(XDS.dePatientId, d.entryUuid, pid, 'XDSDocumentEntry.patientId'),
		externalId(XDS.deUniqueId, d.entryUuid, d.uniqueId, 'XDSDocumentEntry.uniqueId')
	);
}

export function buildMetadata(o: MetadataOptions): string {
	const ss = o.submission;
	const pid = patientCx(o.patient);
	const recipients = (ss.intendedRecipients ?? []).map((r) => `||^^Internet^${r}`);
	const root = el(
		'lcm:SubmitObjectsRequest',
		{ 'xmlns:lcm': NS.lcm, 'xmlns:rim': NS.rim },
		rim(
			'RegistryObjectList',
			{},
			o.documents.map((d) => documentEntry(o, d)),
			rim(
				'RegistryPackage',
				{ id: ss.entryUuid },
				slot('submissionTime', [ss.submissionTime]),
				recipients.length > 0 ? slot('intendedRecipient', recipients) : null,
				ss.title ? localized('Name', ss.title) : null,
				authorClassification(XDS.ssAuthor, ss.entryUuid, o.author),
				classification(XDS.ssContentType, ss.entryUuid, o.contentType),
				externalId(XDS.ssUniqueId, ss.entryUuid, ss.uniqueId, 'XDSSubmissionSet.uniqueId'),
				externalId(XDS.ssSourceId, ss.entryUuid, CONFRERE_OID, 'XDSSubmissionSet.sourceId'),
				externalId(XDS.ssPatientId, ss.entryUuid, pid, 'XDSSubmissionSet.patientId')
			),
			rim('Classification', {
				id: uuidUrn(),
				classifiedObject: ss.entryUuid,
				classificationNode: XDS.submissionSetNode
			}),
			o.documents.map((d) =>
				rim(
					'Association',
					{
						id: uuidUrn(),
						associationType: XDS.hasMember,
						sourceObject: ss.entryUuid,
						targetObject: d.entryUuid
					},
					slot('SubmissionSetStatus', ['Original'])
				)
			),
			o.documents
				.filter((d) => d.replaces)
				.map((d) =>
					rim('Association', {
						id: uuidUrn(),
						associationType: XDS.rplc,
						sourceObject: d.entryUuid,
						targetObject: d.replaces!.entryUuid
					})
				)
		)
	);
	return serialize(root);
}
