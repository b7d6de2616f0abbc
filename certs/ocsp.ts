/**
 * Revocation by OCSP (RFC 6960) when the certificate names a responder in its Authority
 * Information Access (ECO.1.1.6 accepts "CRL or OCSP"). The response must be signed by the
 * issuer itself or by a responder it delegated (id-kp-OCSPSigning, RFC 6960 §4.2.2.2), be
 * about this certificate, and be current. Any failure is returned as a reason, so that the
 * caller falls back to the CRL (crl-cache.ts), which keeps working during an outage (ECO.1.1.7).
 * No nonce: IGC-Santé responders, like most, follow the RFC 5019 lightweight profile.
 * Framework-free.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { ParsedCertificate } from './x509.ts';

export interface OcspAnswer {
	status: 'good' | 'revoked';
	thisUpdate: Date;
	nextUpdate?: Date;
	revokedAt?: Date;
}

/** Tolerated clock difference with the responder. */
const SKEW_MS = 5 * 60 * 1000;
const MAX_RESPONSE_BYTES = 1024 * 1024;

async function post(
	url: string,
	body: Uint8Array,
	timeoutMs: number
): Promise<Uint8Array<ArrayBuffer>> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/ocsp-request' },
		body: new Uint8Array(body),
		signal: AbortSignal.timeout(timeoutMs)
	});
	if (!response.ok) throw new Error(`HTTP ${response.status}`);
	const bytes = new Uint8Array(await response.arrayBuffer());
	if (bytes.length > MAX_RESPONSE_BYTES) throw new Error('réponse OCSP trop grande');
	return bytes;
}

function revocationTime(single: pkijs.SingleResponse): Date | undefined {
	// CertStatus ::= CHOICE { good [0] NULL, revoked [1] RevokedInfo, unknown [2] NULL }
	const status = single.certStatus as {
		idBlock?: { tagNumber?: number };
		valueBlock?: { value?: unknown[] };
	};
	if (status.idBlock?.tagNumber !== 1) return undefined;
	const first = status.valueBlock?.value?.[0];
	return first instanceof asn1js.GeneralizedTime ? first.toDate() : undefined;
}

/**
 * Asks the responder about `certificate`. Resolves with the verified answer, or rejects with a
 * French reason (responder unreachable, bad signature, unknown status, stale answer).
 */
export async function queryOcsp(options: {
	url: string;
	certificate: ParsedCertificate;
	issuer: ParsedCertificate;
	now: Date;
	timeoutMs: number;
}): Promise<OcspAnswer> {
	const { certificate, issuer, now } = options;
	const request = new pkijs.OCSPRequest();
	await request.createForCertificate(certificate.cert, {
		hashAlgorithm: 'SHA-1', // RFC 5019 §2.1.1: SHA-1 CertID, what responders index on
		issuerCertificate: issuer.cert
	});
	const raw = await post(
		options.url,
		new Uint8Array(request.toSchema(true).toBER(false)),
		options.timeoutMs
	);
	const response = pkijs.OCSPResponse.fromBER(raw);
	const responseStatus = response.responseStatus.valueBlock.valueDec;
	if (responseStatus !== 0 || !response.responseBytes) {
		throw new Error(`le répondeur OCSP a répondu avec le statut ${responseStatus}`);
	}
	const basic = pkijs.BasicOCSPResponse.fromBER(
		new Uint8Array(response.responseBytes.response.valueBlock.valueHexView)
	);
	// RFC 6960 §4.2.1: a responder that is the issuer may omit its certificate.
	if (!basic.certs || basic.certs.length === 0) basic.certs = [issuer.cert];
	const isAuthentic = await basic
		.verify({
			trustedCerts: [issuer.cert],
			trustedResponders: [issuer.cert],
			issuerCerts: [issuer.cert]
		})
		.catch(() => false);
	if (!isAuthentic)
		throw new Error("la réponse OCSP n'est pas signée par l'autorité du certificat");
	const { isForCertificate, status } = await basic.getCertificateStatus(
		certificate.cert,
		issuer.cert
	);
	if (!isForCertificate) throw new Error('la réponse OCSP concerne un autre certificat');
	const single = basic.tbsResponseData.responses.find((r) =>
		r.certID.serialNumber.isEqual(certificate.cert.serialNumber)
	);
	if (!single) throw new Error('la réponse OCSP concerne un autre certificat');
	if (single.thisUpdate.getTime() > now.getTime() + SKEW_MS)
		throw new Error('réponse OCSP datée du futur');
	if (single.nextUpdate && single.nextUpdate.getTime() < now.getTime() - SKEW_MS) {
		throw new Error('réponse OCSP périmée');
	}
	if (status === 2) throw new Error('certificat inconnu du répondeur OCSP');
	const revokedAt = status === 1 ? revocationTime(single) : undefined;
	return {
		status: status === 1 ? 'revoked' : 'good',
		thisUpdate: single.thisUpdate,
		...(single.nextUpdate ? { nextUpdate: single.nextUpdate } : {}),
		...(revokedAt ? { revokedAt } : {})
	};
}
