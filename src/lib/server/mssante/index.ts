/**
 * Public API of the health-document library (framework-free; see each module for the rules and
 * their sources). The webmail pages reach it through server code only.
 */
export {
	INS_OIDS,
	INS_OID_LABELS,
	checkIns,
	checkMatricule,
	insKey,
	insOidLabel,
	isInsKeyValid,
	validateIns
} from './ins.ts';
export type { InsOid, InsProblem } from './ins.ts';
export {
	IDENTITY_STATUSES,
	IDENTITY_STATUS_LABELS,
	PATIENT_MAIL_DOMAIN,
	checkPatient,
	isPatientAddress,
	isQualified,
	parsePatient,
	patientMailbox
} from './patient.ts';
export type { FieldProblem, IdentityStatus, Patient, Sex } from './patient.ts';
export { searchPatients, isSamePatient } from './patient-search.ts';
export { parseAuthor } from './author.ts';
export type { Author } from './author.ts';
export { buildCda } from './cda-build.ts';
export type { CdaOptions, ReplacedDocument } from './cda-build.ts';
export { buildXdmPackage, assertOnePatient, XDM_ZIP_NAME } from './xdm-build.ts';
export type { BuildXdmOptions, XdmPackage } from './xdm-build.ts';
export { readXdmPackage } from './xdm-read.ts';
export type {
	XdmDocument,
	XdmPatient,
	XdmReadOptions,
	XdmReadResult,
	XdmSubmissionSet
} from './xdm-read.ts';
export { toJsonSummary } from './xdm-summary.ts';
export { readCda } from './cda-read.ts';
export type { CdaInfo, DocumentPatient } from './cda-read.ts';
export { findXdmAttachments, isFromPatient, isXdmAttachmentName } from './attachments.ts';
export {
	PATIENT_MESSAGE_MAX_BYTES,
	XDM_SUBJECT_PREFIX,
	displaySubject,
	mssHeaders,
	pdfFileName,
	xdmSubject
} from './headers.ts';
export type { MssHeaderOptions } from './headers.ts';
export { MDN_ERROR_CODES, mdnErrorValue, rejectionReport, rejectionSubject } from './mdn-codes.ts';
export { renderStructuredBody } from './narrative.ts';
export type { MdnErrorCode, RejectionReportOptions } from './mdn-codes.ts';
export { CONFIDENTIALITY_CODES, MASKING_CODES, documentType } from './value-sets/codes.ts';
export type { Confidentiality, DocumentType, MaskingCode } from './value-sets/codes.ts';
export { TYPE_CODE_ROWS } from './value-sets/type-codes.ts';
export { isPdf } from './pdf.ts';
export { DEFAULT_ZIP_LIMITS } from './zip-safe.ts';
export type { ZipLimits } from './zip-safe.ts';
