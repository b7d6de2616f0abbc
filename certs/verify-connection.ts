/**
 * The one check run after every TLS handshake with an MSSanté operator (IMAP, SMTP, the probe).
 * `mssTlsOptions` already restricts what OpenSSL negotiates; this verifies, on the live socket,
 * what was actually negotiated and who answered, so that a misconfigured caller cannot weaken the
 * policy silently: protocol (ECO.1.1.1/1.1.2), TLS 1.2 suite (ECO.1.1.3), ephemeral key size
 * (ECO.1.1.3), the certificate path to the IGC-Santé anchors (ECO.1.1.4/1.1.5/1.1.10) and
 * revocation by CRL with the on-disk cache (ECO.1.1.6/1.1.7). Framework-free.
 */
import { checkServerIdentity, type DetailedPeerCertificate, type TLSSocket } from 'node:tls';
import { AppError, CertificateError, type ErrorCode } from '../src/lib/server/errors.ts';
import { validateServerChain } from './chain.ts';
import { checkPathRevocation, type RevocationOptions, type RevocationStatus } from './crl-cache.ts';
import { ECO_MIN_DH_BITS, ECO_TLS12_SUITES } from './tls-policy.ts';
import type { CertificateInfo } from './x509.ts';

export interface VerifyPeerOptions extends RevocationOptions {
	/** PEM trust anchors (certs/anchors/ in production). */
	anchors: string[];
	/** Host name the certificate must carry; omitted when the caller already checked it. */
	servername?: string;
}

export interface KeyExchangeInfo {
	/** 'ECDH' or 'DH' (node's getEphemeralKeyInfo). */
	type: string;
	/** Curve name for ECDH. */
	name?: string;
	bits: number;
}

export interface PeerVerdict {
	isTrusted: boolean;
	/** Code of the first failed rule. */
	code?: ErrorCode;
	/** One French sentence per failed rule. */
	reasons: string[];
	/** French remarks that do not fail the connection (CRL served from cache...). */
	notes: string[];
	protocol: string | null;
	cipher: string;
	keyExchange?: KeyExchangeInfo;
	certificate?: CertificateInfo;
	/** Leaf first, anchor last. */
	path: CertificateInfo[];
	revocation: RevocationStatus[];
}

/** ECO.1.1.3: curves of at least 256 bits; X25519 (253-bit group order) is below the line. */
const MIN_EC_BITS = 256;

function checkKeyExchange(
	socket: TLSSocket,
	protocol: string | null
): { info?: KeyExchangeInfo; reason?: string } {
	const raw = socket.getEphemeralKeyInfo();
	if (!raw || !('type' in raw) || !raw.type) {
		// TLS 1.3 is always ephemeral; for 1.2 the six suites are (EC)DHE, so no info = not allowed.
		return protocol === 'TLSv1.3'
			? {}
			: { reason: "L'échange de clés n'est pas éphémère (DHE/ECDHE exigé, ECO.1.1.3)." };
	}
	const info: KeyExchangeInfo = {
		type: raw.type,
		bits: raw.size ?? 0,
		...(raw.name ? { name: raw.name } : {})
	};
	if (info.type === 'DH' && info.bits < ECO_MIN_DH_BITS) {
		return {
			info,
			reason: `Groupe Diffie-Hellman de ${info.bits} bits refusé : ${ECO_MIN_DH_BITS} bits minimum (ECO.1.1.3).`
		};
	}
	if (info.type === 'ECDH' && info.bits < MIN_EC_BITS) {
		return {
			info,
			reason: `Courbe ${info.name ?? ''} de ${info.bits} bits refusée : ${MIN_EC_BITS} bits minimum (ECO.1.1.3).`
		};
	}
	return { info };
}

/** The chain as the peer sent it (plus what OpenSSL completed from `ca`), leaf first. */
function peerChain(socket: TLSSocket): { leaf?: DetailedPeerCertificate; ders: Buffer[] } {
	const leaf = socket.getPeerCertificate(true);
	if (!leaf || !leaf.raw) return { ders: [] };
	const ders: Buffer[] = [];
	const seen = new Set<string>();
	for (let c: DetailedPeerCertificate | undefined = leaf; c?.raw; c = c.issuerCertificate) {
		if (seen.has(c.fingerprint256)) break;
		seen.add(c.fingerprint256);
		ders.push(c.raw);
	}
	return { leaf, ders };
}

export async function verifyPeer(
	socket: TLSSocket,
	options: VerifyPeerOptions
): Promise<PeerVerdict> {
	const protocol = socket.getProtocol();
	const cipher = socket.getCipher()?.name ?? '';
	const verdict: PeerVerdict = {
		isTrusted: false,
		reasons: [],
		notes: [],
		protocol,
		cipher,
		path: [],
		revocation: []
	};
	const fail = (code: ErrorCode, reason: string): void => {
		verdict.code ??= code;
		verdict.reasons.push(reason);
	};
	if (protocol !== 'TLSv1.2' && protocol !== 'TLSv1.3') {
		fail(
			'TLS_POLICY',
			`Protocole ${protocol ?? 'inconnu'} refusé : TLS 1.2 au minimum (ECO.1.1.1).`
		);
	}
	if (protocol === 'TLSv1.2' && !(ECO_TLS12_SUITES as readonly string[]).includes(cipher)) {
		fail(
			'TLS_POLICY',
			`Suite de chiffrement ${cipher} refusée : hors des six suites autorisées (ECO.1.1.3).`
		);
	}
	const kx = checkKeyExchange(socket, protocol);
	if (kx.info) verdict.keyExchange = kx.info;
	if (kx.reason) fail('TLS_POLICY', kx.reason);

	const { leaf, ders } = peerChain(socket);
	const [leafDer, ...intermediates] = ders;
	if (!leaf || !leafDer) {
		fail('CERT_UNTRUSTED', "Le serveur n'a présenté aucun certificat.");
		return verdict;
	}
	if (options.servername) {
		const mismatch = checkServerIdentity(options.servername, leaf);
		if (mismatch)
			fail('CERT_INVALID', `Le certificat ne correspond pas au nom « ${options.servername} ».`);
	}
	try {
		const chain = await validateServerChain({
			leaf: leafDer,
			intermediates,
			anchors: options.anchors,
			...(options.now ? { at: options.now } : {})
		});
		verdict.certificate = chain.leaf;
		verdict.path = chain.path;
		verdict.revocation = await checkPathRevocation(chain.pathDer, options);
		verdict.notes.push(...verdict.revocation.flatMap((r) => (r.note ? [r.note] : [])));
	} catch (error) {
		if (!(error instanceof CertificateError)) throw error;
		fail(error.code, error.message);
	}
	verdict.isTrusted = verdict.reasons.length === 0;
	return verdict;
}

/** For IMAP/SMTP: turn a failed verdict into the error their adapters throw. */
export function assertTrustedPeer(verdict: PeerVerdict): void {
	if (verdict.isTrusted) return;
	const code = verdict.code ?? 'CERT_UNTRUSTED';
	const message = `Connexion refusée : ${verdict.reasons.join(' ')}`;
	throw code === 'TLS_POLICY' ? new AppError(code, message) : new CertificateError(code, message);
}

const HANDSHAKE_ERRORS: { codes: string[]; code: ErrorCode; message: string }[] = [
	{
		codes: ['CERT_HAS_EXPIRED'],
		code: 'CERT_EXPIRED',
		message: 'Le certificat du serveur a expiré (ECO.1.1.5).'
	},
	{
		codes: [
			'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
			'UNABLE_TO_GET_ISSUER_CERT',
			'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
			'SELF_SIGNED_CERT_IN_CHAIN',
			'DEPTH_ZERO_SELF_SIGNED_CERT',
			'CERT_SIGNATURE_FAILURE'
		],
		code: 'CERT_UNTRUSTED',
		message:
			"Le certificat du serveur n'est pas émis par une autorité IGC-Santé de confiance (ECO.1.1.10)."
	},
	{
		codes: ['CERT_NOT_YET_VALID'],
		code: 'CERT_INVALID',
		message: "Le certificat du serveur n'est pas encore valable."
	},
	{
		codes: ['ERR_TLS_CERT_ALTNAME_INVALID'],
		code: 'CERT_INVALID',
		message: 'Le certificat du serveur ne porte pas le nom demandé.'
	},
	{
		codes: [
			'ERR_SSL_UNSUPPORTED_PROTOCOL',
			'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
			'ERR_SSL_WRONG_VERSION_NUMBER'
		],
		code: 'TLS_POLICY',
		message: 'Le serveur ne propose pas TLS 1.2 ou plus récent (ECO.1.1.1).'
	},
	{
		codes: ['ERR_SSL_DH_KEY_TOO_SMALL'],
		code: 'TLS_POLICY',
		message: `Le serveur propose un groupe Diffie-Hellman de moins de ${ECO_MIN_DH_BITS} bits (ECO.1.1.3).`
	},
	{
		codes: [
			'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
			'ERR_SSL_SSL/TLS_ALERT_HANDSHAKE_FAILURE',
			'ERR_SSL_NO_SHARED_CIPHER',
			'ERR_SSL_NO_CIPHERS_AVAILABLE'
		],
		code: 'TLS_POLICY',
		message: 'Le serveur ne propose aucune des suites de chiffrement autorisées (ECO.1.1.3).'
	}
];

/** A failed handshake under `mssTlsOptions`, explained in French with the rule it broke. */
export function describeHandshakeError(error: unknown): AppError {
	const code = (error as { code?: unknown }).code;
	const known = HANDSHAKE_ERRORS.find((e) => typeof code === 'string' && e.codes.includes(code));
	if (known) {
		const Ctor = known.code === 'TLS_POLICY' ? AppError : CertificateError;
		return new Ctor(known.code, known.message, { cause: error, details: { tlsCode: code } });
	}
	const text = error instanceof Error ? error.message : String(error);
	return new AppError('TLS_POLICY', `Échec de la négociation TLS : ${text}`, {
		cause: error,
		details: { tlsCode: code }
	});
}
