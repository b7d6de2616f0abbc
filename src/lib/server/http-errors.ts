/** Turning our errors into HTTP errors for routes: the user sees a French message, never a stack. */
import { error } from '@sveltejs/kit';
import { isAppError, type ErrorCode } from './errors.ts';

const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
	NOT_FOUND: 404,
	MAILBOX_NOT_FOUND: 404,
	MESSAGE_NOT_FOUND: 404,
	FORBIDDEN: 403,
	INVALID_INPUT: 400,
	IMAP_CONNECT: 503,
	IMAP_DISCONNECTED: 503,
	IMAP_AUTH: 401,
	SESSION_EXPIRED: 401
};

const MESSAGE_BY_CODE: Partial<Record<ErrorCode, string>> = {
	IMAP_CONNECT:
		'Le serveur de messagerie ne répond pas pour le moment. Réessayez dans quelques secondes.',
	IMAP_DISCONNECTED:
		'La connexion au serveur de messagerie a été interrompue. Réessayez dans quelques secondes.',
	IMAP_AUTH: 'Le serveur de messagerie a refusé l’accès à cette boîte. Reconnectez-vous.'
};

/** Rethrows `err` as an HTTP error when it is one of ours with a known status. */
export function rethrowAsHttp(err: unknown): never {
	if (isAppError(err)) {
		const status = STATUS_BY_CODE[err.code];
		if (status) error(status, MESSAGE_BY_CODE[err.code] ?? err.message);
	}
	throw err;
}

/** Parses a positive integer route parameter, or 404. */
export function positiveIntParam(value: string | undefined): number {
	const n = Number(value);
	if (!Number.isSafeInteger(n) || n < 1) error(404, 'Page introuvable.');
	return n;
}
