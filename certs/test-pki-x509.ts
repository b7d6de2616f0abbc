/**
 * Building blocks for the test PKI (test-pki.ts): key pairs, names and certificates shaped like
 * IGC-Santé ones. Test material only — nothing here is used to verify production certificates.
 * Keys come from node:crypto (native, fast) and are handed to node-forge, which builds and signs
 * the certificates (node-forge cannot do ECDSA, so the whole test PKI is RSA 2048).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface KeyPair {
	privateKey: forge.pki.rsa.PrivateKey;
	publicKey: forge.pki.rsa.PublicKey;
	privateKeyPem: string;
}

export interface Issuer {
	cert: forge.pki.Certificate;
	keys: KeyPair;
}

export interface NameAttribute {
	/** forge short name: C, O, OU, CN, L... */
	shortName: string;
	value: string;
}

export type CertificateProfile = 'root' | 'intermediate' | 'server' | 'client';

export interface CertificateRequest {
	subject: NameAttribute[];
	keys: KeyPair;
	profile: CertificateProfile;
	/** Self-signed when absent (root). */
	issuer?: Issuer;
	notBefore: Date;
	notAfter: Date;
	/** Server certificate names: DNS names or IPv4 addresses. */
	altNames?: string[];
	/** Client certificate: the mailbox address, also put in the SAN as rfc822Name. */
	email?: string;
	crlUrl?: string;
}

export function generateRsaKeyPair(): KeyPair {
	const { privateKey } = generateKeyPairSync('rsa', {
		modulusLength: 2048,
		publicKeyEncoding: { type: 'spki', format: 'pem' },
		privateKeyEncoding: { type: 'pkcs8', format: 'pem' }
	});
	const forgeKey = forge.pki.privateKeyFromPem(privateKey);
	return {
		privateKey: forgeKey,
		publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e),
		privateKeyPem: privateKey
	};
}

/**
 * Random positive 16-byte serial (RFC 5280 §4.1.2.2: positive, at most 20 octets).
 * The first nibble is forced into 1..7 so the DER INTEGER needs no sign byte.
 */
export function randomSerial(): string {
	const hex = randomBytes(16).toString('hex');
	return ((parseInt(hex[0] ?? '1', 16) % 7) + 1).toString(16) + hex.slice(1);
}

/**
 * Every attribute as UTF8String: PrintableString cannot carry '@' (mailbox CNs) nor accents
 * (French organisation names), and RFC 5280 §4.1.2.6 recommends UTF8String anyway.
 */
function toForgeName(attributes: NameAttribute[]): forge.pki.CertificateField[] {
	return attributes.map((attr) => ({
		shortName: attr.shortName,
		value: attr.value,
		valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class
	}));
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

function extensionsFor(request: CertificateRequest): object[] {
	const ext: object[] = [{ name: 'subjectKeyIdentifier' }];
	if (request.issuer) {
		ext.push({
			name: 'authorityKeyIdentifier',
			keyIdentifier: request.issuer.cert.generateSubjectKeyIdentifier().getBytes()
		});
	}
	switch (request.profile) {
		case 'root':
			ext.push({ name: 'basicConstraints', cA: true, critical: true });
			ext.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true });
			break;
		case 'intermediate':
			// pathLen 0: the organisations CA signs end-entity certificates only.
			ext.push({ name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true });
			ext.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true });
			break;
		case 'server':
			ext.push({ name: 'basicConstraints', cA: false, critical: true });
			ext.push({
				name: 'keyUsage',
				digitalSignature: true,
				keyEncipherment: true,
				critical: true
			});
			ext.push({ name: 'extKeyUsage', serverAuth: true });
			ext.push({
				name: 'subjectAltName',
				altNames: (request.altNames ?? []).map((n) =>
					IPV4.test(n) ? { type: 7, ip: n } : { type: 2, value: n }
				)
			});
			break;
		case 'client':
			ext.push({ name: 'basicConstraints', cA: false, critical: true });
			ext.push({
				name: 'keyUsage',
				digitalSignature: true,
				keyEncipherment: true,
				critical: true
			});
			ext.push({ name: 'extKeyUsage', clientAuth: true });
			if (request.email) {
				ext.push({ name: 'subjectAltName', altNames: [{ type: 1, value: request.email }] });
			}
			break;
	}
	if (request.crlUrl) {
		ext.push({
			name: 'cRLDistributionPoints',
			altNames: [{ type: 6, value: request.crlUrl }]
		});
	}
	return ext;
}

export function createCertificate(request: CertificateRequest): forge.pki.Certificate {
	const cert = forge.pki.createCertificate();
	cert.publicKey = request.keys.publicKey;
	cert.serialNumber = randomSerial();
	cert.validity.notBefore = request.notBefore;
	cert.validity.notAfter = request.notAfter;
	const subject = toForgeName(request.subject);
	cert.setSubject(subject);
	cert.setIssuer(request.issuer ? request.issuer.cert.subject.attributes : subject);
	cert.setExtensions(extensionsFor(request));
	const signer = request.issuer ? request.issuer.keys.privateKey : request.keys.privateKey;
	cert.sign(signer, forge.md.sha256.create());
	return cert;
}

export function certificateToPem(cert: forge.pki.Certificate): string {
	return forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n');
}

/**
 * PKCS#12 as IGC-Santé hands software certificates to structures: key + certificate + chain,
 * protected by a password. AES-256 (PBES2) rather than forge's legacy choices: OpenSSL 3 and so
 * Node refuse RC2-40 without the legacy provider.
 */
export function toPkcs12(options: {
	keys: KeyPair;
	chain: forge.pki.Certificate[];
	password: string;
	friendlyName: string;
}): Buffer {
	const p12 = forge.pkcs12.toPkcs12Asn1(options.keys.privateKey, options.chain, options.password, {
		algorithm: 'aes256',
		friendlyName: options.friendlyName
	});
	return Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary');
}
