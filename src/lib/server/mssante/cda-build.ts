/**
 * CDA R2 niveau 1 (unstructured body: the PDF in nonXMLBody) with the header of the CI-SIS
 * "Structuration minimale" volet. Element order follows the CDA XSD (POCD_MT000040); the rules
 * are those of the ANS Schematron summarised in xdm-cda-ins.md §3.1, and each generated document
 * is checked against the XSD and that Schematron in conformance.test.ts.
 */
import { el, serialize, type XmlElement } from './xml/writer.ts';
import { NS } from './xml/parse.ts';
import { isQualified, type Patient } from './patient.ts';
import {
	authorSpecialtyOf,
	idNps,
	structureIdNat,
	PS_ID_OID,
	STRUCTURE_ID_OID,
	type Author
} from './author.ts';
import {
	CONFIDENTIALITY_CODES,
	DEFAULT_FACILITY_TYPE,
	DEFAULT_PRACTICE_SETTING,
	type Coded,
	type Confidentiality,
	type DocumentType
} from './value-sets/codes.ts';
import { cdaTime, localPatientId, LOCAL_PATIENT_ID_ROOT } from './ids.ts';

/** The previous version of a document being replaced ("annule et remplace", RPLC). */
export interface ReplacedDocument {
	/** CDA id root (= XDS uniqueId) of the previous version. */
	documentId: string;
	setId: string;
	version: number;
	/** XDS entryUUID of the previous DocumentEntry (for the RPLC association). */
	entryUuid: string;
}

export interface CdaOptions {
	pdf: Uint8Array;
	patient: Patient;
	author: Author;
	type: DocumentType;
	title: string;
	/** Date of the act, AAAAMMJJ. */
	actDate: string;
	confidentiality?: Confidentiality;
	documentId: string;
	/** Defaults to a new OID, or the replaced document's setId. */
	setId: string;
	replaces?: ReplacedDocument;
	facilityType?: Coded;
	practiceSetting?: Coded;
	now: Date;
}

const GENDER: Readonly<Record<Patient['sex'], { code: string; displayName: string }>> = {
	M: { code: 'M', displayName: 'Masculin' },
	F: { code: 'F', displayName: 'Féminin' },
	// HL7 v3 AdministrativeGender has UN, not U.
	U: { code: 'UN', displayName: 'Indéterminé' }
};

const coded = (name: string, c: Coded) =>
	el(name, { code: c.code, displayName: c.displayName || undefined, codeSystem: c.codeSystem });

/** The patient's identifiers: the INS only for a qualified identity (EXI SI 08), else a local id. */
export function patientIds(
	patient: Patient
): { root: string; extension: string; isIns: boolean }[] {
	const ids: { root: string; extension: string; isIns: boolean }[] = [];
	if (isQualified(patient))
		ids.push({ root: patient.insOid!, extension: patient.ins!, isIns: true });
	if (patient.localId) ids.push({ ...patient.localId, isIns: false });
	if (ids.length === 0) {
		ids.push({ root: LOCAL_PATIENT_ID_ROOT, extension: localPatientId(patient), isIns: false });
	}
	return ids;
}

function recordTarget(patient: Patient): XmlElement {
	const g = GENDER[patient.sex];
	return el(
		'recordTarget',
		{},
		el(
			'patientRole',
			{},
			patientIds(patient).map((id) => el('id', { root: id.root, extension: id.extension })),
			el(
				'patient',
				{ classCode: 'PSN' },
				el(
					'name',
					{},
					el('family', { qualifier: 'BR' }, patient.birthName),
					el('given', {}, patient.firstNames),
					el('given', { qualifier: 'BR' }, patient.firstName),
					patient.usedName && el('family', { qualifier: 'CL' }, patient.usedName),
					patient.usedFirstName && el('given', { qualifier: 'CL' }, patient.usedFirstName)
				),
				el('administrativeGenderCode', { ...g, codeSystem: '2.16.840.1.113883.5.1' }),
				el('birthTime', { value: patient.birthDate.replace(/-/g, '') }),
				patient.birthPlace &&
					el(
						'birthplace',
						{},
						el('place', {}, el('addr', {}, el('county', {}, patient.birthPlace)))
					)
			)
		)
	);
}

const personName = (a: Author) =>
	el('name', {}, el('given', {}, a.firstName), el('family', {}, a.lastName));
const psId = (a: Author) => el('id', { root: PS_ID_OID, extension: idNps(a) });

function organization(name: string, a: Author, extra: XmlElement[] = []): XmlElement {
	// parseAuthor guarantees a Struct_IdNat (FINESS or SIRET): CI-SISCustodian requires an id
	// under 1.2.250.1.71.4.2.2, and a nullFlavor id is refused.
	return el(
		name,
		{},
		el('id', { root: STRUCTURE_ID_OID, extension: structureIdNat(a) }),
		el('name', {}, a.organization.name),
		extra
	);
}

export function buildCda(o: CdaOptions): string {
	const time = cdaTime(o.now);
	const version = o.replaces ? o.replaces.version + 1 : 1;
	const confidentiality = CONFIDENTIALITY_CODES[o.confidentiality ?? 'N'];
	const a = o.author;
	const doc = el(
		'ClinicalDocument',
		{ xmlns: NS.hl7, 'xmlns:xsi': NS.xsi },
		el('realmCode', { code: 'FR' }),
		el('typeId', { root: '2.16.840.1.113883.1.3', extension: 'POCD_HD000040' }),
		// N1: exactly these three templateIds (HL7 France, CI-SIS, IHE XDS-SD).
		el('templateId', { root: '2.16.840.1.113883.2.8.2.1' }),
		el('templateId', { root: '1.2.250.1.213.1.1.1.1' }),
		el('templateId', { root: '1.3.6.1.4.1.19376.1.2.20' }),
		el('id', { root: o.documentId }),
		el('code', {
			code: o.type.code,
			displayName: o.type.displayName,
			codeSystem: o.type.codeSystem
		}),
		el('title', {}, o.title),
		el('effectiveTime', { value: time }),
		coded('confidentialityCode', confidentiality),
		el('languageCode', { code: 'fr-FR' }),
		el('setId', { root: o.setId }),
		el('versionNumber', { value: version }),
		recordTarget(o.patient),
		el(
			'author',
			{},
			el('time', { value: time }),
			el(
				'assignedAuthor',
				{},
				psId(a),
				coded('code', authorSpecialtyOf(a)),
				el('telecom', { value: `mailto:${a.mailbox}`, use: 'WP' }),
				el('assignedPerson', {}, personName(a)),
				organization('representedOrganization', a)
			)
		),
		el(
			'custodian',
			{},
			el('assignedCustodian', {}, organization('representedCustodianOrganization', a))
		),
		el(
			'legalAuthenticator',
			{},
			el('time', { value: time }),
			el('signatureCode', { code: 'S' }),
			el('assignedEntity', {}, psId(a), el('assignedPerson', {}, personName(a)))
		),
		el(
			'documentationOf',
			{},
			el(
				'serviceEvent',
				{},
				el('effectiveTime', {}, el('low', { value: o.actDate })),
				el(
					'performer',
					{ typeCode: 'PRF' },
					el(
						'assignedEntity',
						{},
						psId(a),
						el('assignedPerson', {}, personName(a)),
						organization('representedOrganization', a, [
							coded('standardIndustryClassCode', o.practiceSetting ?? DEFAULT_PRACTICE_SETTING)
						])
					)
				)
			)
		),
		o.replaces &&
			el(
				'relatedDocument',
				{ typeCode: 'RPLC' },
				el(
					'parentDocument',
					{},
					// Only id and versionNumber are allowed here (CI-SISRelatedDocument, closed template).
					el('id', { root: o.replaces.documentId }),
					el('versionNumber', { value: o.replaces.version })
				)
			),
		el(
			'componentOf',
			{},
			el(
				'encompassingEncounter',
				{},
				el('effectiveTime', {}, el('low', { value: o.actDate })),
				el(
					'location',
					{},
					el('healthCareFacility', {}, coded('code', o.facilityType ?? DEFAULT_FACILITY_TYPE))
				)
			)
		),
		el(
			'component',
			{},
			el(
				'nonXMLBody',
				{},
				el(
					'text',
					{ mediaType: 'application/pdf', representation: 'B64' },
					Buffer.from(o.pdf).toString('base64')
				)
			)
		)
	);
	return serialize(doc);
}
