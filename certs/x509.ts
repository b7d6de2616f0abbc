/**
 * Reading X.509 certificates (RFC 5280) with pkijs and turning them into our own
 * `CertificateInfo`: the rest of the code never sees a pkijs object (house style: library types
 * stay in certs/). Framework-free.
 */
import { createHash } from 'node:crypto';
import * as pkijs from 'pkijs';
import { CertificateError } from '../src/lib/server/errors.ts';

/** What the app, the probe and the certificate screens know about a certificate. */
export interface CertificateInfo {
	subject: string;
	issuer: string;
	/** Subject CN (the server name, or the mailbox address of an ORG AUTH_CLI certificate). */
	commonName: string | undefined;
	/** Subject O: the structure (for ORG AUTH_CLI) or the operator. */
	organisation: string | undefined;
	/** Hex, lower case, no leading zero byte. */
	serialNumber: string;
	notBefore: Date;
	notAfter: Date;
	/** Whole days from `at` to notAfter (negative once expired). */
	daysLeft: number;
	/** SHA-256 of the DER, colon-separated upper-case hex (what `openssl x509 -fingerprint` shows). */
	fingerprintSha256: string;
	/** RFC 5280 §4.2.1.3 names: digitalSignature, keyEncipherment, keyCertSign, cRLSign... */
	keyUsages: string[];
	/** RFC 5280 §4.2.1.12 purposes by name (serverAuth, clientAuth) or OID when unknown. */
	extendedKeyUsages: string[];
	isCa: boolean;
	/** http(s) URLs of the CRL distribution points (RFC 5280 §4.2.1.13). */
	crlUrls: string[];
	/** OCSP responders named in the Authority Information Access (RFC 5280 §4.2.2.1). */
	ocspUrls: string[];
}

/** A parsed certificate kept inside certs/: the pkijs object plus its DER. */
export interface ParsedCertificate {
	der: Uint8Array;
	cert: pkijs.Certificate;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** Every `label` block of a PEM text, as DER. */
export function pemBlocks(pem: string, label = 'CERTIFICATE'): Uint8Array[] {
	const blocks: Uint8Array[] = [];
	for (const match of pem.matchAll(PEM_BLOCK)) {
		if (match[1] === label)
			blocks.push(Buffer.from((match[2] ?? '').replace(/\s+/g, ''), 'base64'));
	}
	return blocks;
}

export function derToPem(der: Uint8Array, label = 'CERTIFICATE'): string {
	const b64 = Buffer.from(der).toString('base64');
	const lines = b64.match(/.{1,64}/g) ?? [];
	return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** PEM text (first certificate) or DER bytes → DER. */
export function toDer(input: string | Uint8Array): Uint8Array {
	if (typeof input !== 'string') return input;
	const [first] = pemBlocks(input);
	if (!first) {
		throw new CertificateError('CERT_INVALID', 'Le texte fourni ne contient aucun certificat PEM.');
	}
	return first;
}

export function parseCertificate(input: string | Uint8Array): ParsedCertificate {
	const der = toDer(input);
	try {
		return { der, cert: pkijs.Certificate.fromBER(new Uint8Array(der)) };
	} catch (cause) {
		throw new CertificateError('CERT_INVALID', 'Certificat illisible (DER/PEM invalide).', {
			cause
		});
	}
}

const NAME_OIDS: Record<string, string> = {
	'2.5.4.3': 'CN',
	'2.5.4.6': 'C',
	'2.5.4.7': 'L',
	'2.5.4.8': 'ST',
	'2.5.4.10': 'O',
	'2.5.4.11': 'OU',
	'2.5.4.5': 'serialNumber',
	'1.2.840.113549.1.9.1': 'emailAddress'
};

function nameEntries(name: pkijs.RelativeDistinguishedNames): [string, string][] {
	return name.typesAndValues.map((tv) => {
		const value = tv.value as { valueBlock?: { value?: unknown } };
		const text = typeof value.valueBlock?.value === 'string' ? value.valueBlock.value : '';
		return [NAME_OIDS[tv.type] ?? tv.type, text];
	});
}

/** RFC 4514 order (most specific first), e.g. "CN=x, O=y, C=FR". */
function nameToString(name: pkijs.RelativeDistinguishedNames): string {
	return nameEntries(name)
		.reverse()
		.map(([k, v]) => `${k}=${v}`)
		.join(', ');
}

function nameField(name: pkijs.RelativeDistinguishedNames, key: string): string | undefined {
	return nameEntries(name).find(([k]) => k === key)?.[1];
}

/** RFC 5280 §4.2.1.3, bit 0 first. */
const KEY_USAGE_BITS = [
	'digitalSignature',
	'nonRepudiation',
	'keyEncipherment',
	'dataEncipherment',
	'keyAgreement',
	'keyCertSign',
	'cRLSign',
	'encipherOnly',
	'decipherOnly'
];

const EKU_NAMES: Record<string, string> = {
	'1.3.6.1.5.5.7.3.1': 'serverAuth',
	'1.3.6.1.5.5.7.3.2': 'clientAuth',
	'1.3.6.1.5.5.7.3.4': 'emailProtection',
	'2.5.29.37.0': 'anyExtendedKeyUsage'
};

function extension(cert: pkijs.Certificate, oid: string): pkijs.Extension | undefined {
	return cert.extensions?.find((e) => e.extnID === oid);
}

function keyUsages(cert: pkijs.Certificate): string[] {
	const ext = extension(cert, '2.5.29.15');
	if (!ext) return [];
	const bits = new Uint8Array(
		(ext.parsedValue as { valueBlock: { valueHex: ArrayBuffer } }).valueBlock.valueHex
	);
	return KEY_USAGE_BITS.filter((_, i) => ((bits[i >> 3] ?? 0) & (0x80 >> (i & 7))) !== 0);
}

function extendedKeyUsages(cert: pkijs.Certificate): string[] {
	const ext = extension(cert, '2.5.29.37');
	if (!ext) return [];
	return (ext.parsedValue as pkijs.ExtKeyUsage).keyPurposes.map((oid) => EKU_NAMES[oid] ?? oid);
}

function isCa(cert: pkijs.Certificate): boolean {
	const ext = extension(cert, '2.5.29.19');
	return ext ? (ext.parsedValue as pkijs.BasicConstraints).cA === true : false;
}

/** GeneralName type 6 = uniformResourceIdentifier (RFC 5280 §4.2.1.6). */
function uris(names: pkijs.GeneralName[] | undefined): string[] {
	return (names ?? []).filter((n) => n.type === 6).map((n) => String(n.value));
}

function crlUrls(cert: pkijs.Certificate): string[] {
	const ext = extension(cert, '2.5.29.31');
	if (!ext) return [];
	const points = (ext.parsedValue as pkijs.CRLDistributionPoints).distributionPoints;
	return points
		.flatMap((p) => (Array.isArray(p.distributionPoint) ? uris(p.distributionPoint) : []))
		.filter((u) => /^https?:\/\//i.test(u));
}

function ocspUrls(cert: pkijs.Certificate): string[] {
	const ext = extension(cert, '1.3.6.1.5.5.7.1.1');
	if (!ext) return [];
	return (ext.parsedValue as pkijs.InfoAccess).accessDescriptions
		.filter((d) => d.accessMethod === '1.3.6.1.5.5.7.48.1')
		.flatMap((d) => uris([d.accessLocation]));
}

export function serialHex(cert: pkijs.Certificate): string {
	const hex = Buffer.from(cert.serialNumber.valueBlock.valueHexView).toString('hex');
	return hex.replace(/^(00)+(?=.)/, '');
}

const DAY = 24 * 3600 * 1000;

export function certificateInfo(parsed: ParsedCertificate, at: Date = new Date()): CertificateInfo {
	const { cert, der } = parsed;
	const notAfter = cert.notAfter.value;
	const fingerprint = createHash('sha256').update(der).digest('hex').toUpperCase();
	return {
		subject: nameToString(cert.subject),
		issuer: nameToString(cert.issuer),
		commonName: nameField(cert.subject, 'CN'),
		organisation: nameField(cert.subject, 'O'),
		serialNumber: serialHex(cert),
		notBefore: cert.notBefore.value,
		notAfter,
		daysLeft: Math.floor((notAfter.getTime() - at.getTime()) / DAY),
		fingerprintSha256: fingerprint.match(/../g)?.join(':') ?? fingerprint,
		keyUsages: keyUsages(cert),
		extendedKeyUsages: extendedKeyUsages(cert),
		isCa: isCa(cert),
		crlUrls: crlUrls(cert),
		ocspUrls: ocspUrls(cert)
	};
}

/** Shortcut for callers outside certs/ that hold a PEM or DER. */
export function describeCertificate(input: string | Uint8Array, at?: Date): CertificateInfo {
	return certificateInfo(parseCertificate(input), at);
}
