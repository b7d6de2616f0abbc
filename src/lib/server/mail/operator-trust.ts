/**
 * The operator's certificate is checked with the full MSSanté rules before we talk to it: the
 * IGC-Santé Élémentaire Organisations chain only (ECO.1.1.10), expiry (1.1.5), revocation by OCSP
 * or CRL with the last valid CRL kept (1.1.6, 1.1.7), TLS version, suites and key exchange
 * (1.1.1–1.1.3). The check is `certs/probe.ts` — the same code as `npm run mss -- probe` — run at
 * most every ten minutes per endpoint; every IMAP and SMTP connection then pins the certificate it
 * vouched for, so a connection can never use a certificate that was not checked.
 */
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import { probe } from '../../../../certs/probe.ts';
import { CertificateError } from '../errors.ts';
import type { MailEndpoint } from './imap/client.ts';

const VERDICT_TTL_MS = 10 * 60_000;

export interface TrustContext {
	anchors: string[];
	/** Where CRLs are cached. */
	dataDir: string;
	/** Presented to listeners that require a client certificate (ECO.1.3.1). */
	clientCertificate?: { certPem: string; keyPem: string };
}

interface Verdict {
	fingerprints: Set<string>;
	expiresAt: number;
}

const verdicts = new Map<string, Verdict>();
const pending = new Map<string, Promise<Verdict>>();

function normalise(fingerprint: string): string {
	return fingerprint.replace(/:/g, '').toLowerCase();
}

function endpointKey(endpoint: MailEndpoint, protocol: 'imap' | 'smtp'): string {
	const scheme = endpoint.security === 'tls' ? `${protocol}s` : protocol;
	return `${scheme}://${endpoint.host}:${endpoint.port}`;
}

async function check(key: string, context: TrustContext): Promise<Verdict> {
	const report = await probe({
		target: key,
		anchors: context.anchors,
		dataDir: context.dataDir,
		timeoutMs: 10_000,
		...(context.clientCertificate ? { clientCertificate: context.clientCertificate } : {})
	});
	const fingerprint = report.peer?.certificate?.fingerprintSha256;
	if (!report.isOk || !fingerprint) {
		throw new CertificateError(
			report.failure?.code ?? 'CERT_UNTRUSTED',
			report.failure?.message ?? 'Le certificat du serveur de messagerie n’a pas pu être vérifié.',
			{ details: { endpoint: key } }
		);
	}
	return {
		fingerprints: new Set([normalise(fingerprint)]),
		expiresAt: Date.now() + VERDICT_TTL_MS
	};
}

/** Checks (or reuses a fresh check of) the endpoint; returns the `checkServerIdentity` to pin it. */
export async function pinnedOperator(
	endpoint: MailEndpoint,
	protocol: 'imap' | 'smtp',
	context: TrustContext
): Promise<(host: string, cert: PeerCertificate) => Error | undefined> {
	const key = endpointKey(endpoint, protocol);
	let verdict = verdicts.get(key);
	if (!verdict || verdict.expiresAt < Date.now()) {
		let running = pending.get(key);
		if (!running) {
			running = check(key, context).finally(() => pending.delete(key));
			pending.set(key, running);
		}
		verdict = await running;
		verdicts.set(key, verdict);
	}
	const { fingerprints } = verdict;
	return (host, cert) => {
		const identityError = checkServerIdentity(host, cert);
		if (identityError) return identityError;
		if (fingerprints.has(normalise(cert.fingerprint256))) return undefined;
		// The operator changed its certificate since the check: check again on the next attempt.
		verdicts.delete(key);
		return new Error('the server certificate changed since it was verified');
	};
}

/** A refusal of the certificate or of the TLS parameters, as opposed to a server that is down. */
export function isTrustRefusal(code: string): boolean {
	return code.startsWith('CERT_') || code.startsWith('TLS_');
}

/** For tests and for an administrator's "check again" action. */
export function forgetOperatorVerdicts(): void {
	verdicts.clear();
}
