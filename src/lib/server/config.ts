/**
 * The server configuration, parsed once from the environment with a schema. Every bad key is
 * reported at once; defaults live in the schema, never for secrets. Documented in .env.example.
 */
import * as v from 'valibot';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { AppError } from './errors.ts';
import { PSC_ENV, pscConfigFrom, type PscConfig } from './psc/config.ts';

const port = v.pipe(v.string(), v.transform(Number), v.integer(), v.minValue(1), v.maxValue(65535));
const positiveInt = v.pipe(v.string(), v.transform(Number), v.integer(), v.minValue(1));
const security = v.picklist(['starttls', 'tls']);

const EnvSchema = v.object({
	CONFRERE_DATA_DIR: v.optional(v.string(), 'var/data'),
	SESSION_SECRET: v.pipe(
		v.string('SESSION_SECRET est obligatoire (32 caractères au moins)'),
		v.minLength(32, 'SESSION_SECRET doit faire au moins 32 caractères')
	),
	MSS_IMAP_HOST: v.string('MSS_IMAP_HOST est obligatoire'),
	MSS_IMAP_PORT: v.optional(port, '143'),
	MSS_IMAP_SECURITY: v.optional(security, 'starttls'),
	MSS_SMTP_HOST: v.string('MSS_SMTP_HOST est obligatoire'),
	MSS_SMTP_PORT: v.optional(port, '587'),
	MSS_SMTP_SECURITY: v.optional(security, 'starttls'),
	/** A PEM file or a folder of PEM files: the only CAs trusted for IMAP/SMTP (ECO.1.1.10). */
	MSS_TRUST_ANCHORS: v.optional(v.string(), 'certs/anchors'),
	/** The "référence produit" of Convergence, sent as X-MSS-NIL on every message (ECO.2.4.3). */
	MSS_NIL: v.optional(v.string()),
	SESSION_IDLE_MINUTES: v.optional(positiveInt, '30'),
	IMAP_IDLE_CLOSE_SECONDS: v.optional(positiveInt, '300'),
	MAX_MESSAGE_BYTES: v.optional(positiveInt, String(25 * 1024 * 1024)),
	/** Hour (UTC, 0–23) at which the server downloads and imports the Annuaire Santé every day. */
	ANNUAIRE_REFRESH_HOUR_UTC: v.optional(
		v.pipe(v.string(), v.transform(Number), v.integer(), v.minValue(0), v.maxValue(23))
	),
	UNDO_SEND_SECONDS: v.optional(
		v.pipe(v.string(), v.transform(Number), v.integer(), v.minValue(0)),
		'10'
	),
	/** How long the audit trail keeps its entries (ECO.4.1.2: 6 months by default). */
	AUDIT_RETENTION_DAYS: v.optional(positiveInt, '183'),
	/** Comma-separated addresses of Confrère's administrators (certificates, structures, audit). */
	ADMIN_ADDRESSES: v.optional(v.string(), ''),
	/** SMTP port for certificate (ORG AUTH_CLI, ECO.1.3.1) mailboxes; default MSS_SMTP_PORT. */
	MSS_SMTP_CERT_PORT: v.optional(port),
	...PSC_ENV
});

export interface AppConfig {
	dataDir: string;
	sessionSecret: string;
	imap: { host: string; port: number; security: 'starttls' | 'tls' };
	smtp: { host: string; port: number; security: 'starttls' | 'tls' };
	trustAnchors: string[];
	mssNil: string | undefined;
	sessionIdleMs: number;
	imapIdleCloseMs: number;
	maxMessageBytes: number;
	undoSendMs: number;
	/** Daily directory refresh hour (UTC); undefined: no automatic refresh. */
	directoryRefreshHourUtc: number | undefined;
	auditRetentionMs: number;
	/** Lower-cased; administrators manage certificates and structures and read every audit entry. */
	adminAddresses: string[];
	/** SMTP endpoint used by mailboxes that authenticate with a client certificate. */
	smtpCertificate: { host: string; port: number; security: 'starttls' | 'tls' };
	/** Pro Santé Connect (ECO.1.2.1); undefined when not configured (password sign-in only). */
	psc: PscConfig | undefined;
}

/** Reads PEM anchors from a file or every `.pem`/`.crt` file of a folder. */
export function loadAnchors(location: string): string[] {
	if (!existsSync(location)) return [];
	const files = statSync(location).isDirectory()
		? readdirSync(location)
				.filter((name) => /\.(pem|crt)$/i.test(name))
				.sort()
				.map((name) => path.join(location, name))
		: [location];
	return files
		.map((file) => readFileSync(file, 'utf8'))
		.filter((pem) => pem.includes('BEGIN CERTIFICATE'));
}

export function parseConfig(env: Record<string, string | undefined>): AppConfig {
	const result = v.safeParse(EnvSchema, env);
	if (!result.success) {
		const problems = result.issues.map((issue) => {
			const key = issue.path?.map((p) => String(p.key)).join('.') ?? '?';
			return `${key}: ${issue.message}`;
		});
		throw new AppError('CONFIG_INVALID', `Configuration invalide :\n- ${problems.join('\n- ')}`, {
			details: { keys: problems.length }
		});
	}
	const e = result.output;
	const trustAnchors = loadAnchors(e.MSS_TRUST_ANCHORS);
	if (trustAnchors.length === 0) {
		throw new AppError(
			'CONFIG_INVALID',
			`Configuration invalide :\n- MSS_TRUST_ANCHORS: aucun certificat PEM dans ${e.MSS_TRUST_ANCHORS}`
		);
	}
	return {
		dataDir: path.resolve(e.CONFRERE_DATA_DIR),
		sessionSecret: e.SESSION_SECRET,
		imap: { host: e.MSS_IMAP_HOST, port: e.MSS_IMAP_PORT, security: e.MSS_IMAP_SECURITY },
		smtp: { host: e.MSS_SMTP_HOST, port: e.MSS_SMTP_PORT, security: e.MSS_SMTP_SECURITY },
		trustAnchors,
		mssNil: e.MSS_NIL,
		sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
		imapIdleCloseMs: e.IMAP_IDLE_CLOSE_SECONDS * 1000,
		maxMessageBytes: e.MAX_MESSAGE_BYTES,
		undoSendMs: e.UNDO_SEND_SECONDS * 1000,
		directoryRefreshHourUtc: e.ANNUAIRE_REFRESH_HOUR_UTC,
		auditRetentionMs: e.AUDIT_RETENTION_DAYS * 86_400_000,
		adminAddresses: e.ADMIN_ADDRESSES.split(',')
			.map((a) => a.trim().toLowerCase())
			.filter(Boolean),
		smtpCertificate: {
			host: e.MSS_SMTP_HOST,
			port: e.MSS_SMTP_CERT_PORT ?? e.MSS_SMTP_PORT,
			security: e.MSS_SMTP_SECURITY
		},
		psc: pscConfigFrom(e)
	};
}

let cached: AppConfig | undefined;

export function getConfig(): AppConfig {
	cached ??= parseConfig(process.env);
	return cached;
}
