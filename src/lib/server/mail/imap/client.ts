/**
 * Opening one IMAP connection to the operator with the MSSanté TLS rules. The only file, with
 * the rest of this folder, that imports imapflow.
 */
import { ImapFlow } from 'imapflow';
import { mssTlsOptions } from '../../../../../certs/tls-policy.ts';
import { ImapError, isAppError } from '../../errors.ts';
import { isTrustRefusal, pinnedOperator } from '../operator-trust.ts';
import type { Logger } from '../../log.ts';

export interface MailEndpoint {
	host: string;
	port: number;
	/** `starttls` (ECO.1.0.2, the MSSanté default) or implicit `tls`. */
	security: 'starttls' | 'tls';
}

/** How a mailbox authenticates. XOAUTH2 (ECO.1.2.1) and certificates (ECO.1.3.1) plug in here. */
export type MailboxAuth =
	| { kind: 'password'; user: string; password: string }
	| { kind: 'xoauth2'; user: string; accessToken: () => Promise<string> }
	| { kind: 'certificate'; user: string; certPem: string; keyPem: string };

export interface ImapClientOptions {
	endpoint: MailEndpoint;
	auth: MailboxAuth;
	anchors: string[];
	/** Where the trust layer caches CRLs. */
	dataDir: string;
	logger: Logger;
	/** A push connection: it sits in IDLE (RFC 2177) instead of serving requests. */
	isWatcher?: boolean;
}

/**
 * imapflow logs whole responses at debug level, which would put subjects and addresses in our
 * logs. Only its warnings and errors go through, reduced to their message.
 */
function imapflowLogger(logger: Logger) {
	const pass = (level: 'warn' | 'error') => (entry: { msg?: string; err?: unknown }) =>
		logger[level]({ component: 'imapflow' }, entry?.msg ?? 'imap event');
	const drop = () => {};
	return { debug: drop, info: drop, warn: pass('warn'), error: pass('error') };
}

export async function openImapClient(options: ImapClientOptions): Promise<ImapFlow> {
	const { endpoint, auth, anchors, logger } = options;
	let checkIdentity;
	try {
		checkIdentity = await pinnedOperator(endpoint, 'imap', {
			anchors,
			dataDir: options.dataDir,
			...(auth.kind === 'certificate'
				? { clientCertificate: { certPem: auth.certPem, keyPem: auth.keyPem } }
				: {})
		});
	} catch (cause) {
		if (!isAppError(cause)) throw cause;
		const message = isTrustRefusal(cause.code)
			? `Serveur IMAP refusé : ${cause.message}`
			: 'Connexion au serveur IMAP impossible.';
		throw new ImapError('IMAP_CONNECT', message, { cause, details: { code: cause.code } });
	}
	const tls = mssTlsOptions({
		anchors,
		servername: endpoint.host,
		checkServerIdentity: checkIdentity,
		clientCertificate:
			auth.kind === 'certificate' ? { certPem: auth.certPem, keyPem: auth.keyPem } : undefined
	});
	const credentials =
		auth.kind === 'xoauth2'
			? { user: auth.user, accessToken: await auth.accessToken() }
			: auth.kind === 'password'
				? { user: auth.user, pass: auth.password }
				: // ECO.1.3.1: the certificate authenticates; the mailbox address is the PLAIN login.
					{ user: auth.user, pass: auth.user };

	const client = new ImapFlow({
		host: endpoint.host,
		port: endpoint.port,
		secure: endpoint.security === 'tls',
		doSTARTTLS: endpoint.security === 'starttls' ? true : undefined,
		tls,
		auth: credentials,
		clientInfo: { name: 'Confrère', vendor: 'Confrère' },
		logger: imapflowLogger(logger),
		qresync: true,
		// The request connection never idles: every IDLE would cost a DONE round trip before each
		// command. Push gets its own connection, which does nothing but IDLE.
		disableAutoIdle: options.isWatcher !== true,
		maxIdleTime: options.isWatcher ? 4 * 60_000 : undefined,
		// imapflow waits 15 s before entering IDLE; a watcher has nothing else to do.
		autoIdleDelay: options.isWatcher ? 100 : undefined,
		connectionTimeout: 15_000,
		greetingTimeout: 10_000,
		socketTimeout: 5 * 60_000
	});
	// An 'error' event without a listener would crash the process (ECO.1.2.3).
	client.on('error', (err: Error) =>
		logger.warn({ code: (err as { code?: string }).code }, 'imap connection error')
	);

	try {
		await client.connect();
	} catch (cause) {
		const failed = cause as { authenticationFailed?: boolean; code?: string };
		if (failed.authenticationFailed) {
			throw new ImapError('IMAP_AUTH', 'Authentification refusée par le serveur IMAP.', { cause });
		}
		throw new ImapError('IMAP_CONNECT', 'Connexion au serveur IMAP impossible.', {
			cause,
			details: { code: failed.code, host: endpoint.host, port: endpoint.port }
		});
	}
	return client;
}

export type { ImapFlow };
