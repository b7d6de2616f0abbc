/**
 * The one pino root logger. Redaction happens here, at the root, so that no child logger can leak
 * credentials or health content: tokens, passwords, cookies, subjects, bodies, attachment names,
 * patient identities and INS. Log ids, sizes and codes instead.
 * Framework-free: used by the CLIs and the lab too.
 */
import { pino, type Logger } from 'pino';

const REDACTED_KEYS = [
	'password',
	'pass',
	'passphrase',
	'secret',
	'token',
	'accessToken',
	'refreshToken',
	'access_token',
	'refresh_token',
	'id_token',
	'authorization',
	'cookie',
	'set-cookie',
	'privateKey',
	'key',
	'subject',
	'body',
	'text',
	'html',
	'filename',
	'attachmentName',
	'patient',
	'ins',
	'birthName',
	'firstName',
	'lastName',
	'birthDate'
];

const REDACT_PATHS = REDACTED_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

function defaultLevel(): string {
	if (process.env.LOG_LEVEL) return process.env.LOG_LEVEL;
	if (process.env.VITEST) return 'silent';
	return 'info';
}

export const rootLogger: Logger = pino({
	level: defaultLevel(),
	base: { app: 'confrere' },
	redact: { paths: REDACT_PATHS, censor: '[redacted]' }
});

export type { Logger };

export function childLogger(bindings: Record<string, unknown>): Logger {
	return rootLogger.child(bindings);
}
