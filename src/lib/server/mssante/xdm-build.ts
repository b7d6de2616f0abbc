/**
 * Builds what a message carrying one health document needs (ECO.2.1.1–2.1.6, 2.4.1, 2.4.2):
 * the IHE_XDM.ZIP (README.TXT, INDEX.HTM, IHE_XDM/SUBSET01/METADATA.XML and DOC0001.XML, the CDA
 * R2 N1), the PDF copy with its ECO.2.1.6 name, the subject and the X-MSS headers.
 * One archive = one submission set = one patient, so "one patient per message" holds as long as a
 * message carries one package (see assertOnePatient for messages with several).
 */
import { zipSync, strToU8 } from 'fflate';
import { XdmError, ERROR_CODES } from '../errors.ts';
import { parsePatient, isQualified } from './patient.ts';
import { parseAuthor, type Author } from './author.ts';
import { buildCda, type ReplacedDocument } from './cda-build.ts';
import { buildMetadata, patientCx } from './metadata-build.ts';
import { mssHeaders, pdfFileName, xdmSubject } from './headers.ts';
import { checkDay, newOid, sha1Hex, uuidUrn, xdsTime } from './ids.ts';
import { isPdf } from './pdf.ts';
import {
	CONFIDENTIALITY_CODES,
	DEFAULT_FACILITY_TYPE,
	DEFAULT_PRACTICE_SETTING,
	FORMAT_CODE_PDF,
	MASKING_CODES,
	documentType,
	type Coded,
	type Confidentiality,
	type MaskingCode
} from './value-sets/codes.ts';

export const XDM_ZIP_NAME = 'IHE_XDM.ZIP';
export const APP_NAME = 'Confrère';
export const APP_VERSION = '0.1.0';

export interface BuildXdmOptions {
	pdf: Uint8Array;
	/** A Patient, or untrusted input: it is checked here either way. */
	patient: unknown;
	/** An Author, or untrusted input: it is checked here either way. */
	author: unknown;
	/** JDV_J07 typeCode (LOINC mostly). */
	type: string;
	title: string;
	/** Date of the act, AAAAMMJJ. */
	date: string;
	confidentiality?: Confidentiality;
	masking?: MaskingCode[];
	replaces?: ReplacedDocument;
	/** Recipients' addresses, written as intendedRecipient. */
	intendedRecipients?: string[];
	productReference?: string;
	facilityType?: Coded;
	practiceSetting?: Coded;
	now?: Date;
}

export interface XdmPackage {
	zip: Uint8Array;
	zipName: typeof XDM_ZIP_NAME;
	pdf: Uint8Array;
	pdfName: string;
	subject: string;
	headers: Record<string, string>;
	cda: string;
	metadata: string;
	/** Keep these to replace the document later (RPLC). */
	document: ReplacedDocument & { patientId: string };
}

function invalid(field: string, message: string): XdmError {
	return new XdmError(ERROR_CODES.INVALID_INPUT, message, { details: { field } });
}

function readme(author: Author, now: Date): string {
	return [
		'IHE XDM - Distribute Document Set on Media (IHE ITI-32)',
		'',
		`Emetteur : ${author.firstName} ${author.lastName}`,
		`Organisation : ${author.organization.name}`,
		`Messagerie : ${author.mailbox}`,
		`Application : ${APP_NAME} ${APP_VERSION} (logiciel libre)`,
		`Date de creation : ${now.toISOString()}`,
		'',
		'Contenu :',
		'  README.TXT                       ce fichier',
		'  INDEX.HTM                        index lisible dans un navigateur',
		'  IHE_XDM/SUBSET01/METADATA.XML    metadonnees XDS (ebRS 3.0)',
		'  IHE_XDM/SUBSET01/DOC0001.XML     document CDA R2 niveau 1 (PDF integre)',
		'',
		"Instructions : importer l'archive dans un logiciel compatible IHE XDM (DMP-compatible),",
		'ou ouvrir INDEX.HTM.',
		''
	].join('\r\n');
}

function indexHtm(title: string): string {
	const esc = (s: string) =>
		s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
	return [
		'<?xml version="1.0" encoding="UTF-8"?>',
		'<html xmlns="http://www.w3.org/1999/xhtml" lang="fr">',
		`<head><meta charset="UTF-8"/><title>IHE XDM</title></head>`,
		'<body>',
		'<h1>Archive IHE XDM</h1>',
		'<ul>',
		'<li><a href="README.TXT">README.TXT</a></li>',
		`<li><a href="IHE_XDM/SUBSET01/DOC0001.XML">${esc(title)}</a> (document CDA)</li>`,
		'<li><a href="IHE_XDM/SUBSET01/METADATA.XML">METADATA.XML</a></li>',
		'</ul>',
		'</body>',
		'</html>',
		''
	].join('\r\n');
}

/** Builds the package; bad input rejects with an XdmError naming the field. */
export function buildXdmPackage(o: BuildXdmOptions): Promise<XdmPackage> {
	// Async in signature so a streaming or worker-based zip can come later without API change.
	return new Promise((resolve) => resolve(build(o)));
}

function build(o: BuildXdmOptions): XdmPackage {
	const patient = parsePatient(o.patient);
	const author = parseAuthor(o.author);
	const type = documentType(o.type);
	if (!type)
		throw invalid('type', `Type de document inconnu du jeu de valeurs JDV_J07 : « ${o.type} ».`);
	const title = o.title.replace(/\s+/g, ' ').trim();
	if (!title || title.length > 255)
		throw invalid('title', 'Le titre du document est obligatoire (255 caractères au plus).');
	if (!checkDay(o.date))
		throw invalid(
			'date',
			`La date de l'acte doit être une date réelle au format AAAAMMJJ ; reçu « ${o.date} ».`
		);
	if (!isPdf(o.pdf))
		throw invalid('pdf', "Le fichier joint n'est pas un PDF (signature %PDF- absente).");
	const confidentiality = o.confidentiality ?? 'N';
	if (!Object.hasOwn(CONFIDENTIALITY_CODES, confidentiality)) {
		throw invalid('confidentiality', 'La confidentialité doit valoir N, R ou V.');
	}
	const now = o.now ?? new Date();
	const documentId = newOid();
	const setId = o.replaces?.setId ?? newOid();
	const facilityType = o.facilityType ?? DEFAULT_FACILITY_TYPE;
	const practiceSetting = o.practiceSetting ?? DEFAULT_PRACTICE_SETTING;
	const cda = buildCda({
		pdf: o.pdf,
		patient,
		author,
		type,
		title,
		actDate: o.date,
		confidentiality,
		documentId,
		setId,
		replaces: o.replaces,
		facilityType,
		practiceSetting,
		now
	});
	const cdaBytes = strToU8(cda);
	const entryUuid = uuidUrn();
	const metadata = buildMetadata({
		patient,
		author,
		contentType: facilityType,
		submission: {
			entryUuid: uuidUrn(),
			uniqueId: newOid(),
			submissionTime: xdsTime(now),
			title,
			intendedRecipients: o.intendedRecipients
		},
		documents: [
			{
				entryUuid,
				uniqueId: documentId,
				hash: sha1Hex(cdaBytes),
				size: cdaBytes.byteLength,
				uri: 'DOC0001.XML',
				title,
				type,
				confidentiality: [
					CONFIDENTIALITY_CODES[confidentiality],
					...(o.masking ?? []).map((m) => MASKING_CODES[m])
				],
				format: FORMAT_CODE_PDF,
				facilityType,
				practiceSetting,
				creationTime: xdsTime(now),
				serviceStartTime: o.date,
				replaces: o.replaces
			}
		]
	});
	const mtime = now;
	const zip = zipSync(
		{
			'README.TXT': [strToU8(readme(author, now)), { mtime }],
			'INDEX.HTM': [strToU8(indexHtm(title)), { mtime }],
			'IHE_XDM/SUBSET01/METADATA.XML': [strToU8(metadata), { mtime }],
			'IHE_XDM/SUBSET01/DOC0001.XML': [cdaBytes, { mtime }]
		},
		{ level: 6 }
	);
	return {
		zip,
		zipName: XDM_ZIP_NAME,
		pdf: o.pdf,
		pdfName: pdfFileName({ actDate: o.date, typeLabel: type.displayName, patient }),
		subject: xdmSubject(title, patient),
		headers: mssHeaders({
			cdaCodes: [type.code],
			hasQualifiedIns: isQualified(patient),
			productReference: o.productReference
		}),
		cda,
		metadata,
		document: {
			documentId,
			setId,
			version: o.replaces ? o.replaces.version + 1 : 1,
			entryUuid,
			patientId: patientCx(patient)
		}
	};
}

/** ECO.2.1.1: a message carrying health documents concerns one single patient. */
export function assertOnePatient(packages: Pick<XdmPackage, 'document'>[]): void {
	const ids = new Set(packages.map((p) => p.document.patientId));
	if (ids.size > 1) {
		throw new XdmError(
			ERROR_CODES.INVALID_INPUT,
			'Un message ne peut porter des documents de santé que pour un seul patient.',
			{ details: { field: 'patient', patients: ids.size } }
		);
	}
}
