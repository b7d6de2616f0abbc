/**
 * Submitting raw messages to the operator over SMTP with STARTTLS (ECO.1.0.1) and the MSSanté TLS
 * rules. The only file importing nodemailer's transport. Failures become `SmtpError`s that say
 * whether a retry may succeed and carry the server's reply.
 */
import { createTransport } from 'nodemailer';
import { mssTlsOptions } from '../../../../../certs/tls-policy.ts';
import { isAppError, SmtpError } from '../../errors.ts';
import { isTrustRefusal, pinnedOperator } from '../operator-trust.ts';
import type { MailboxAuth, MailEndpoint } from '../imap/client.ts';

export interface SubmitOptions {
	endpoint: MailEndpoint;
	auth: MailboxAuth;
	anchors: string[];
	/** Where the trust layer caches CRLs. */
	dataDir: string;
	raw: Buffer;
	envelope: { from: string; to: string[] };
	/** ECO.2.3.1: ask for a delivery status notification (RFC 3461) when the server offers DSN. */
	dsn?: { id: string } | null;
}

export interface SubmitResult {
	accepted: string[];
	rejected: string[];
	serverReply: string;
}

interface NodemailerFailure {
	code?: string;
	responseCode?: number;
	response?: string;
	permanent?: boolean;
}

async function authFor(auth: MailboxAuth) {
	if (auth.kind === 'xoauth2')
		return { type: 'OAuth2', user: auth.user, accessToken: await auth.accessToken() };
	if (auth.kind === 'password') return { user: auth.user, pass: auth.password };
	// ECO.1.3.1: the client certificate authenticates; the mailbox address is the login.
	return { user: auth.user, pass: auth.user };
}

/** French text for a failure, with the server's own reply when there is one. */
export function toSmtpError(error: unknown): SmtpError {
	const failure = (error ?? {}) as NodemailerFailure;
	const reply = failure.response?.slice(0, 300);
	const code = failure.responseCode;
	if (failure.code === 'EAUTH') {
		return new SmtpError('SMTP_AUTH', 'Le serveur d’envoi a refusé l’authentification.', {
			cause: error,
			transient: false,
			serverReply: reply
		});
	}
	if (code === 552 || code === 523 || /size/i.test(reply ?? '')) {
		return new SmtpError(
			'MESSAGE_TOO_LARGE',
			'Le message est trop volumineux pour le serveur d’envoi.',
			{
				cause: error,
				transient: false,
				serverReply: reply
			}
		);
	}
	if (code !== undefined) {
		const transient = failure.permanent === false || (code >= 400 && code < 500);
		return new SmtpError(
			'SMTP_REJECTED',
			transient
				? 'Le serveur d’envoi a temporairement refusé le message.'
				: 'Le serveur d’envoi a refusé le message.',
			{ cause: error, transient, serverReply: reply, details: { responseCode: code } }
		);
	}
	return new SmtpError('SMTP_CONNECT', 'Le serveur d’envoi ne répond pas.', {
		cause: error,
		transient: true,
		details: { code: failure.code }
	});
}

export async function submitMessage(options: SubmitOptions): Promise<SubmitResult> {
	const { endpoint, auth } = options;
	let checkIdentity;
	try {
		checkIdentity = await pinnedOperator(endpoint, 'smtp', {
			anchors: options.anchors,
			dataDir: options.dataDir,
			...(auth.kind === 'certificate'
				? { clientCertificate: { certPem: auth.certPem, keyPem: auth.keyPem } }
				: {})
		});
	} catch (cause) {
		if (!isAppError(cause)) throw cause;
		const isRefusal = isTrustRefusal(cause.code);
		throw new SmtpError(
			'SMTP_CONNECT',
			isRefusal ? `Serveur d’envoi refusé : ${cause.message}` : 'Le serveur d’envoi ne répond pas.',
			{ cause, transient: !isRefusal, details: { code: cause.code } }
		);
	}
	const transport = createTransport({
		host: endpoint.host,
		port: endpoint.port,
		secure: endpoint.security === 'tls',
		requireTLS: endpoint.security === 'starttls',
		tls: mssTlsOptions({
			anchors: options.anchors,
			servername: endpoint.host,
			checkServerIdentity: checkIdentity,
			clientCertificate:
				auth.kind === 'certificate' ? { certPem: auth.certPem, keyPem: auth.keyPem } : undefined
		}),
		auth: await authFor(auth),
		connectionTimeout: 15_000,
		greetingTimeout: 10_000,
		socketTimeout: 120_000,
		logger: false
	});
	try {
		const info = await transport.sendMail({
			envelope: options.envelope,
			raw: options.raw,
			dsn: options.dsn
				? { id: options.dsn.id, notify: ['SUCCESS', 'FAILURE', 'DELAY'], ret: 'HDRS' }
				: undefined
		});
		const rejected = (info.rejected ?? []).map(String);
		if (rejected.length && rejected.length === options.envelope.to.length) {
			throw Object.assign(new Error('all recipients rejected'), {
				responseCode: 550,
				response: info.response
			});
		}
		return {
			accepted: (info.accepted ?? []).map(String),
			rejected,
			serverReply: String(info.response ?? '')
		};
	} catch (error) {
		throw toSmtpError(error);
	} finally {
		transport.close();
	}
}
