/**
 * One error type for the whole server, with a code from a single table.
 * Each boundary (IMAP, SMTP, certificates, search, import, XDM) has its own subclass so callers
 * can branch on the boundary and on the code; library errors are always wrapped with `cause`.
 * This module is framework-free: CLIs and the framework-free folders import it too.
 */

export const ERROR_CODES = {
	// generic
	INTERNAL: 'INTERNAL',
	INVALID_INPUT: 'INVALID_INPUT',
	NOT_FOUND: 'NOT_FOUND',
	FORBIDDEN: 'FORBIDDEN',
	CONFIG_INVALID: 'CONFIG_INVALID',
	// authentication and session
	AUTH_FAILED: 'AUTH_FAILED',
	SESSION_EXPIRED: 'SESSION_EXPIRED',
	CSRF_REJECTED: 'CSRF_REJECTED',
	RATE_LIMITED: 'RATE_LIMITED',
	// Pro Santé Connect (psc/)
	PSC_STATE: 'PSC_STATE',
	PSC_DENIED: 'PSC_DENIED',
	PSC_CODE: 'PSC_CODE',
	PSC_TOKEN: 'PSC_TOKEN',
	PSC_UNAVAILABLE: 'PSC_UNAVAILABLE',
	PSC_MAILBOX: 'PSC_MAILBOX',
	PSC_DISABLED: 'PSC_DISABLED',
	// IMAP
	IMAP_CONNECT: 'IMAP_CONNECT',
	IMAP_AUTH: 'IMAP_AUTH',
	IMAP_COMMAND: 'IMAP_COMMAND',
	IMAP_DISCONNECTED: 'IMAP_DISCONNECTED',
	MAILBOX_NOT_FOUND: 'MAILBOX_NOT_FOUND',
	MESSAGE_NOT_FOUND: 'MESSAGE_NOT_FOUND',
	// SMTP
	SMTP_CONNECT: 'SMTP_CONNECT',
	SMTP_AUTH: 'SMTP_AUTH',
	SMTP_REJECTED: 'SMTP_REJECTED',
	MESSAGE_TOO_LARGE: 'MESSAGE_TOO_LARGE',
	// MIME
	MIME_PARSE: 'MIME_PARSE',
	// certificates and TLS
	CERT_INVALID: 'CERT_INVALID',
	CERT_EXPIRED: 'CERT_EXPIRED',
	CERT_REVOKED: 'CERT_REVOKED',
	CERT_UNTRUSTED: 'CERT_UNTRUSTED',
	CERT_PKCS12_PASSWORD: 'CERT_PKCS12_PASSWORD',
	CERT_PKCS12_NO_KEY: 'CERT_PKCS12_NO_KEY',
	CERT_REVOCATION_UNKNOWN: 'CERT_REVOCATION_UNKNOWN',
	SECRET_INVALID: 'SECRET_INVALID',
	TLS_POLICY: 'TLS_POLICY',
	// directory search and import
	SEARCH_FAILED: 'SEARCH_FAILED',
	SEARCH_UNAVAILABLE: 'SEARCH_UNAVAILABLE',
	IMPORT_FAILED: 'IMPORT_FAILED',
	IMPORT_MISSING_COLUMN: 'IMPORT_MISSING_COLUMN',
	IMPORT_BAD_ENCODING: 'IMPORT_BAD_ENCODING',
	IMPORT_BAD_ARCHIVE: 'IMPORT_BAD_ARCHIVE',
	IMPORT_SIZE_SUSPICIOUS: 'IMPORT_SIZE_SUSPICIOUS',
	// health documents
	INS_INVALID: 'INS_INVALID',
	PATIENT_INVALID: 'PATIENT_INVALID',
	AUTHOR_INVALID: 'AUTHOR_INVALID',
	XDM_INVALID: 'XDM_INVALID',
	XDM_UNSAFE: 'XDM_UNSAFE',
	XML_UNSAFE: 'XML_UNSAFE',
	// lab and tooling
	LAB_FAILED: 'LAB_FAILED'
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export interface AppErrorOptions {
	cause?: unknown;
	/** Safe, content-free details (ids, sizes, codes) for logs and tests. */
	details?: Record<string, unknown>;
}

export class AppError extends Error {
	readonly code: ErrorCode;
	readonly details: Record<string, unknown>;

	constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
		super(message, options.cause === undefined ? undefined : { cause: options.cause });
		this.name = new.target.name;
		this.code = code;
		this.details = options.details ?? {};
	}
}

export class ImapError extends AppError {}

export class SmtpError extends AppError {
	readonly transient: boolean;
	/** The server's reply line, when there was one (safe to show: it carries no message content). */
	readonly serverReply: string | undefined;

	constructor(
		code: ErrorCode,
		message: string,
		options: AppErrorOptions & { transient: boolean; serverReply?: string }
	) {
		super(code, message, options);
		this.transient = options.transient;
		this.serverReply = options.serverReply;
	}
}

export class MimeError extends AppError {}
export class CertificateError extends AppError {}
export class SearchError extends AppError {}
export class XdmError extends AppError {}

export class ImportError extends AppError {
	readonly file: string | undefined;
	readonly line: number | undefined;

	constructor(
		code: ErrorCode,
		message: string,
		options: AppErrorOptions & { file?: string; line?: number } = {}
	) {
		super(code, message, options);
		this.file = options.file;
		this.line = options.line;
	}
}

export function isAppError(value: unknown): value is AppError {
	return value instanceof AppError;
}
