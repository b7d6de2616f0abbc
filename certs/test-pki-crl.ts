/**
 * X.509 v2 CRL builder for the test PKI (RFC 5280 §5). node-forge parses certificates but cannot
 * write CRLs, so the TBSCertList is assembled here with forge's ASN.1 helpers and signed with
 * sha256WithRSAEncryption. Test material only.
 */
import forge from 'node-forge';
import type { Issuer } from './test-pki-x509.ts';

const { asn1 } = forge;

export interface RevokedEntry {
	/** Hex serial number, as forge's `cert.serialNumber`. */
	serialNumber: string;
	revocationDate: Date;
}

export interface CrlRequest {
	issuer: Issuer;
	revoked: RevokedEntry[];
	thisUpdate: Date;
	nextUpdate: Date;
	crlNumber: number;
}

function seq(value: forge.asn1.Asn1[]): forge.asn1.Asn1 {
	return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, value);
}

function integerFromHex(hex: string): forge.asn1.Asn1 {
	return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, forge.util.hexToBytes(hex));
}

/** RFC 5280 §5.1.2.4: UTCTime through 2049. */
function utcTime(date: Date): forge.asn1.Asn1 {
	return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(date));
}

function sha256WithRsa(): forge.asn1.Asn1 {
	return seq([
		asn1.create(
			asn1.Class.UNIVERSAL,
			asn1.Type.OID,
			false,
			asn1.oidToDer(forge.pki.oids.sha256WithRSAEncryption ?? '1.2.840.113549.1.1.11').getBytes()
		),
		asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')
	]);
}

function extension(oid: string, valueDer: forge.asn1.Asn1): forge.asn1.Asn1 {
	return seq([
		asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes()),
		asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, asn1.toDer(valueDer).getBytes())
	]);
}

function crlExtensions(request: CrlRequest): forge.asn1.Asn1 {
	// authorityKeyIdentifier (2.5.29.35): lets OpenSSL pick the right issuer key (§5.2.1, MUST).
	const aki = seq([
		asn1.create(
			asn1.Class.CONTEXT_SPECIFIC,
			0,
			false,
			request.issuer.cert.generateSubjectKeyIdentifier().getBytes()
		)
	]);
	// cRLNumber (2.5.29.20): monotonically increasing (§5.2.3, MUST).
	const crlNumber = asn1.create(
		asn1.Class.UNIVERSAL,
		asn1.Type.INTEGER,
		false,
		asn1.integerToDer(request.crlNumber).getBytes()
	);
	return asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [
		seq([extension('2.5.29.35', aki), extension('2.5.29.20', crlNumber)])
	]);
}

/** Returns the CRL as DER bytes. */
export function createCrl(request: CrlRequest): Buffer {
	const tbsParts: forge.asn1.Asn1[] = [
		asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(1).getBytes()),
		sha256WithRsa(),
		forge.pki.distinguishedNameToAsn1(request.issuer.cert.subject),
		utcTime(request.thisUpdate),
		utcTime(request.nextUpdate)
	];
	// An empty revokedCertificates SEQUENCE must be omitted, not written empty (§5.1.2.6).
	if (request.revoked.length > 0) {
		tbsParts.push(
			seq(
				request.revoked.map((entry) =>
					seq([integerFromHex(entry.serialNumber), utcTime(entry.revocationDate)])
				)
			)
		);
	}
	tbsParts.push(crlExtensions(request));
	const tbs = seq(tbsParts);

	const md = forge.md.sha256.create();
	md.update(asn1.toDer(tbs).getBytes());
	const signature = request.issuer.keys.privateKey.sign(md);

	const crl = seq([
		tbs,
		sha256WithRsa(),
		// BIT STRING: leading 0x00 = no unused bits.
		asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, '\x00' + signature)
	]);
	return Buffer.from(asn1.toDer(crl).getBytes(), 'binary');
}

export function crlDerToPem(der: Buffer): string {
	const body = der.toString('base64').replace(/(.{64})/g, '$1\n');
	return `-----BEGIN X509 CRL-----\n${body.trimEnd()}\n-----END X509 CRL-----\n`;
}
