/**
 * Loading the trust anchors from a folder (`certs/anchors/` by default): ECO.1.1.10 says the
 * client trusts only IGC-Santé Élémentaire Organisations for IMAP/SMTP, so the anchors are a
 * handful of public CA certificates chosen by the administrator, never the system store.
 * Files: *.pem / *.crt / *.cer / *.der, PEM (several certificates allowed) or DER.
 * Framework-free.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CertificateError } from '../src/lib/server/errors.ts';
import { certificateInfo, derToPem, parseCertificate, pemBlocks } from './x509.ts';

const CERT_FILE = /\.(pem|crt|cer|der)$/i;

function certificatesOf(file: string, content: Buffer): Uint8Array[] {
	const text = content.toString('latin1');
	// Anchors are public material: a private key here is a mistake worth stopping for.
	if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
		throw new CertificateError(
			'CERT_INVALID',
			`${file} contient une clé privée : le dossier des autorités de confiance ne doit contenir que des certificats publics.`
		);
	}
	if (text.includes('-----BEGIN')) return pemBlocks(text);
	return [new Uint8Array(content)];
}

/** Every CA certificate of `dir`, as PEM strings (what `mssTlsOptions({ anchors })` takes). */
export async function loadAnchors(dir: string): Promise<string[]> {
	let names: string[];
	try {
		names = (await readdir(dir)).filter((n) => CERT_FILE.test(n)).sort();
	} catch (cause) {
		throw new CertificateError(
			'CERT_UNTRUSTED',
			`Dossier des autorités de confiance illisible : ${dir}.`,
			{
				cause
			}
		);
	}
	const anchors: string[] = [];
	for (const name of names) {
		const file = join(dir, name);
		for (const der of certificatesOf(file, await readFile(file))) {
			let parsed;
			try {
				parsed = parseCertificate(der);
			} catch (cause) {
				throw new CertificateError('CERT_INVALID', `${file} : certificat illisible.`, { cause });
			}
			const info = certificateInfo(parsed);
			if (!info.isCa) {
				throw new CertificateError(
					'CERT_INVALID',
					`${file} : « ${info.commonName ?? info.subject} » n'est pas une autorité de certification.`
				);
			}
			anchors.push(derToPem(der));
		}
	}
	if (anchors.length === 0) {
		throw new CertificateError(
			'CERT_UNTRUSTED',
			`Aucune autorité de confiance dans ${dir} : déposez-y les certificats IGC-Santé (voir certs/anchors/README.md).`
		);
	}
	return anchors;
}
