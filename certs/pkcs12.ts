/**
 * Import of a structure's ORG AUTH_CLI certificate delivered as PKCS#12 (ECO.1.3.1: applicative
 * and structure mailboxes open TLS with it). node-forge decrypts the container; the certificate
 * is then held to the same rules as an operator's (chain.ts, IGC-Santé anchors only, not
 * expired) with the clientAuth purpose. The caller stores `keyPem` sealed (secret-box.ts) and
 * never logs nor sends it to the browser. Framework-free.
 */
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { CertificateError } from '../src/lib/server/errors.ts';
import { validateChain } from './chain.ts';
import type { CertificateInfo } from './x509.ts';

export interface ImportPkcs12Options {
	/** The .p12 / .pfx file content. */
	data: Uint8Array;
	password: string;
	/** PEM trust anchors (certs/anchors/). */
	anchors: string[];
	at?: Date;
}

export interface ImportedClientCertificate {
	certPem: string;
	/** PKCS#8 PEM, unencrypted: seal it before storing. */
	keyPem: string;
	/** The other certificates of the container (intermediates), PEM. */
	chainPem: string[];
	info: CertificateInfo;
	/** Validated path, leaf first. */
	chain: CertificateInfo[];
}

function openContainer(data: Uint8Array, password: string): forge.pkcs12.Pkcs12Pfx {
	let asn1: forge.asn1.Asn1;
	try {
		asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(data).toString('binary')));
	} catch (cause) {
		throw new CertificateError(
			'CERT_INVALID',
			"Le fichier n'est pas un certificat PKCS#12 (.p12) valide.",
			{
				cause
			}
		);
	}
	try {
		return forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
	} catch (cause) {
		// RFC 7292 §5: a wrong password shows first as a MAC mismatch, or as undecryptable bags.
		const text = cause instanceof Error ? cause.message : String(cause);
		if (/MAC|password|decrypt|Invalid/i.test(text)) {
			throw new CertificateError(
				'CERT_PKCS12_PASSWORD',
				'Mot de passe du certificat PKCS#12 incorrect.',
				{ cause }
			);
		}
		throw new CertificateError(
			'CERT_INVALID',
			'Certificat PKCS#12 illisible ou de type de clé non pris en charge.',
			{
				cause
			}
		);
	}
}

function bagsOf(p12: forge.pkcs12.Pkcs12Pfx, type: string): forge.pkcs12.Bag[] {
	return p12.getBags({ bagType: type })[type] ?? [];
}

function spki(key: KeyObject): Buffer {
	return (key.type === 'public' ? key : createPublicKey(key)).export({
		type: 'spki',
		format: 'der'
	});
}

export async function importPkcs12(
	options: ImportPkcs12Options
): Promise<ImportedClientCertificate> {
	const p12 = openContainer(options.data, options.password);
	const keyBag = [
		...bagsOf(p12, forge.pki.oids.pkcs8ShroudedKeyBag ?? ''),
		...bagsOf(p12, forge.pki.oids.keyBag ?? '')
	].find((b) => b.key);
	if (!keyBag?.key) {
		throw new CertificateError(
			'CERT_PKCS12_NO_KEY',
			'Le fichier PKCS#12 ne contient pas de clé privée : exportez le certificat avec sa clé.'
		);
	}
	const privateKey = createPrivateKey(forge.pki.privateKeyToPem(keyBag.key));
	const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
	const certPems = bagsOf(p12, forge.pki.oids.certBag ?? '').flatMap((b) =>
		b.cert ? [forge.pki.certificateToPem(b.cert).replace(/\r\n/g, '\n')] : []
	);
	const publicKey = spki(privateKey);
	const certPem = certPems.find((pem) =>
		spki(new X509Certificate(pem).publicKey).equals(publicKey)
	);
	if (!certPem) {
		throw new CertificateError(
			'CERT_PKCS12_NO_KEY',
			'Le fichier PKCS#12 ne contient aucun certificat correspondant à sa clé privée.'
		);
	}
	const chainPem = certPems.filter((pem) => pem !== certPem);
	const verdict = await validateChain({
		leaf: certPem,
		intermediates: chainPem,
		anchors: options.anchors,
		purpose: 'clientAuth',
		...(options.at ? { at: options.at } : {})
	});
	return { certPem, keyPem, chainPem, info: verdict.leaf, chain: verdict.path };
}
