/**
 * What the reading page knows about the health documents (IHE_XDM) of a message: a page-safe
 * summary (no bytes), built on the server by `server/mail/health-documents.ts`.
 */

/** Identity of the patient as shown in the banner (ECO.3.1.1–3.1.3). */
export interface HealthPatientBanner {
	birthName?: string;
	firstName?: string;
	/** YYYY-MM-DD. */
	birthDate?: string;
	/** M, F or U. */
	sex?: string;
	ins?: string;
	oid?: string;
	/** INS-NIR, INS-NIA, INS-NIR de test, INS-NIR de démonstration. */
	oidLabel?: string;
	/** Wrong INS key, traits differing between the CDA and the metadata, several patients… */
	warnings: string[];
}

export interface HealthDocumentSummary {
	/** Index across the whole message, used by the document route. */
	index: number;
	title?: string;
	typeCode?: string;
	typeLabel?: string;
	/** YYYY-MM-DD: when the document was written (CDA effectiveTime), when known. */
	date?: string;
	author?: string;
	mimeType?: string;
	hashOk: boolean;
	sizeOk: boolean;
	/** How it can be shown inline: a PDF, a rendered structured body, or not at all. */
	view: 'pdf' | 'html' | null;
	/** True when the raw file (CDA XML) can be downloaded. */
	hasFile: boolean;
	warnings: string[];
}

export interface HealthSubmissionSetSummary {
	title?: string;
	documents: HealthDocumentSummary[];
}

export interface HealthArchiveSummary {
	/** IMAP part id of the IHE_XDM.ZIP (the attachment route downloads it whole). */
	partId: string;
	filename: string;
	patient: HealthPatientBanner | null;
	submissionSets: HealthSubmissionSetSummary[];
	/** Problems with the archive itself (unreadable, too large, unsafe…), in French. */
	warnings: string[];
}

export interface HealthDocumentsView {
	archives: HealthArchiveSummary[];
}

/** Mail from a patient's Mon Espace Santé address (…@patient.mssante.fr). */
export interface PatientSender {
	matricule: string;
	/** Only when an XDM in this message names the same INS. */
	birthName?: string;
	firstName?: string;
}
