/**
 * The TLS rules of the MSSanté trust space, as `node:tls` options, shared by IMAP, SMTP and the
 * connection probe so that every outgoing connection to an operator obeys the same policy.
 * Framework-free.
 */
import type { ConnectionOptions } from 'node:tls';

/**
 * ECO.1.1.3: for TLS 1.2 only these six suites, in this order of preference
 * (IANA 0xC030, 0xC02F, 0xC028, 0xC027, 0x009F, 0x009E → OpenSSL names).
 */
export const ECO_TLS12_SUITES = [
	'ECDHE-RSA-AES256-GCM-SHA384',
	'ECDHE-RSA-AES128-GCM-SHA256',
	'ECDHE-RSA-AES256-SHA384',
	'ECDHE-RSA-AES128-SHA256',
	'DHE-RSA-AES256-GCM-SHA384',
	'DHE-RSA-AES128-GCM-SHA256'
] as const;

/**
 * ECO.1.1.2 allows TLS 1.3; its suites are not listed by the referential (open question in the
 * spec), so we keep OpenSSL's three standard AEAD suites.
 */
export const TLS13_SUITES = [
	'TLS_AES_256_GCM_SHA384',
	'TLS_AES_128_GCM_SHA256',
	'TLS_CHACHA20_POLY1305_SHA256'
] as const;

/** ECO.1.1.3: ECDHE curves of at least 256 bits (X25519 is 255 bits, so it is left out). */
export const ECO_CURVES = 'P-256:P-384:P-521';

/** ECO.1.1.3: DHE groups of at least 2048 bits. */
export const ECO_MIN_DH_BITS = 2048;

export interface MssTlsOptions {
	/** PEM trust anchors: the only CAs accepted (ECO.1.1.10); never the system store. */
	anchors: string[];
	/** Expected server name (SNI and certificate check). */
	servername?: string;
	/** Client certificate for structure / applicative mailboxes (ECO.1.3.1). */
	clientCertificate?: { certPem: string; keyPem: string; chainPem?: string[] } | undefined;
	/** Extra identity check, e.g. pinning the certificate a full verification vouched for. */
	checkServerIdentity?: ConnectionOptions['checkServerIdentity'];
}

export function mssTlsOptions(options: MssTlsOptions): ConnectionOptions {
	if (options.anchors.length === 0) {
		throw new Error('mssTlsOptions: at least one trust anchor is required');
	}
	const tls: ConnectionOptions = {
		ca: options.anchors,
		minVersion: 'TLSv1.2',
		maxVersion: 'TLSv1.3',
		ciphers: [...TLS13_SUITES, ...ECO_TLS12_SUITES].join(':'),
		ecdhCurve: ECO_CURVES,
		minDHSize: ECO_MIN_DH_BITS,
		rejectUnauthorized: true,
		honorCipherOrder: true
	};
	if (options.servername) tls.servername = options.servername;
	if (options.checkServerIdentity) tls.checkServerIdentity = options.checkServerIdentity;
	if (options.clientCertificate) {
		const { certPem, keyPem, chainPem = [] } = options.clientCertificate;
		tls.cert = [certPem, ...chainPem].join('\n');
		tls.key = keyPem;
	}
	return tls;
}
