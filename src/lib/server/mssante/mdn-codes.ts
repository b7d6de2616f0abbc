/**
 * Integration error codes a receiver returns in an MDN when it rejects a health document
 * (ANS IG "transmission LPS … courriel MSSanté", error-codes.md; xdm-cda-ins.md §1.1). The MDN
 * carries `Disposition: …; processed/Error: <code>^<libellé>` and the subject `[KO Intégration système !][<code>] XDM/1.0/DDM+…`.
 */
export const MDN_ERROR_CODES = {
	'900': 'Version incorrecte pour un remplacement ou une suppression',
	'901': 'Auteur non autorisé',
	'902': 'Patient inconnu',
	'903': "Pas d'INS dans le document",
	'904': 'INS ou traits différents du dossier local',
	'905': 'Traits INS incomplets',
	'906': 'Autre erreur'
} as const;

export type MdnErrorCode = keyof typeof MDN_ERROR_CODES;

/** The value of the MDN `Disposition` error modifier, e.g. `902^Patient inconnu`. */
export function mdnErrorValue(code: MdnErrorCode): string {
	return `${code}^${MDN_ERROR_CODES[code]}`;
}

/** Subject of a rejection answered as a standard mail. */
export function rejectionSubject(code: MdnErrorCode, originalSubject: string): string {
	return `[KO Intégration système !][${code}] ${originalSubject}`;
}

export interface RejectionReportOptions {
	code: MdnErrorCode;
	/** The mailbox that rejects (our user's address). */
	finalRecipient: string;
	originalRecipient?: string;
	originalMessageId: string;
	reportingUa?: string;
}

const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ').trim();

/**
 * The `message/disposition-notification` part (RFC 8098 §3.2) of a rejection MDN, with the ANS
 * `processed/Error: <code>^<libellé>` disposition and the Original-Message-ID and
 * Original-Recipient fields ANS asks for. A user chose to send it: manual-action.
 */
export function rejectionReport(o: RejectionReportOptions): string {
	const lines = [
		`Reporting-UA: ${oneLine(o.reportingUa ?? 'Confrère')}`,
		...(o.originalRecipient ? [`Original-Recipient: rfc822;${oneLine(o.originalRecipient)}`] : []),
		`Final-Recipient: rfc822;${oneLine(o.finalRecipient)}`,
		`Original-Message-ID: ${oneLine(o.originalMessageId)}`,
		`Disposition: manual-action/MDN-sent-manually; processed/Error: ${mdnErrorValue(o.code)}`
	];
	return `${lines.join('\r\n')}\r\n`;
}
