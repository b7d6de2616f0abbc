/**
 * Certification path validation (RFC 5280 §6) with pkijs' CertificateChainValidationEngine:
 * signatures, name chaining, validity dates of every certificate, basic constraints and
 * keyCertSign of the CAs. pkijs does not look at the leaf's purpose, so we check its extended
 * key usage and key usage here (serverAuth for operators, ECO.1.1.4; clientAuth for ORG AUTH_CLI,
 * ECO.1.3.1). The only anchors are the ones passed in (ECO.1.1.10: IGC-Santé Élémentaire
 * Organisations), never the system store.
 *
 * Revocation is a separate step (crl-cache.ts) run on the validated path, because it needs I/O
 * and a cache; `verify-connection.ts` composes both. Framework-free.
 */
import * as pkijs from 'pkijs';
import { CertificateError } from '../src/lib/server/errors.ts';
import {
	certificateInfo,
	parseCertificate,
	pemBlocks,
	type CertificateInfo,
	type ParsedCertificate
} from './x509.ts';

export type CertificatePurpose = 'serverAuth' | 'clientAuth';

export interface ValidateChainOptions {
	/** The end-entity certificate, PEM or DER. */
	leaf: string | Uint8Array;
	/** Certificates sent by the peer besides the leaf (PEM texts may hold several). */
	intermediates?: (string | Uint8Array)[];
	/** Trust anchors, PEM texts (several certificates each allowed) or DER. */
	anchors: (string | Uint8Array)[];
	purpose: CertificatePurpose;
	/** Validation time; default now. */
	at?: Date;
}

export interface ChainVerdict {
	leaf: CertificateInfo;
	/** Leaf first, trust anchor last. */
	path: CertificateInfo[];
	/** DER of each path element, same order, for the revocation step. */
	pathDer: Uint8Array[];
}

const DATE_FR = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' });

export function formatDateFr(date: Date): string {
	return DATE_FR.format(date);
}

function expand(inputs: (string | Uint8Array)[]): ParsedCertificate[] {
	return inputs.flatMap((input) =>
		typeof input === 'string'
			? pemBlocks(input).map((der) => parseCertificate(der))
			: [parseCertificate(input)]
	);
}

function label(info: CertificateInfo): string {
	return info.commonName ?? info.subject;
}

const PURPOSE_FR: Record<CertificatePurpose, string> = {
	serverAuth: "d'authentification serveur (serverAuth)",
	clientAuth: "d'authentification client (clientAuth, ORG AUTH_CLI)"
};

/** The leaf must be an end entity made for this purpose (RFC 5280 §4.2.1.3, §4.2.1.12). */
function checkPurpose(info: CertificateInfo, purpose: CertificatePurpose): void {
	const isForPurpose =
		!info.isCa &&
		info.extendedKeyUsages.includes(purpose) &&
		(info.keyUsages.length === 0 ||
			info.keyUsages.includes('digitalSignature') ||
			info.keyUsages.includes('keyEncipherment'));
	if (!isForPurpose) {
		throw new CertificateError(
			'CERT_INVALID',
			`Le certificat « ${label(info)} » n'est pas un certificat ${PURPOSE_FR[purpose]}.`,
			{ details: { purpose, extendedKeyUsages: info.extendedKeyUsages } }
		);
	}
}

/** ECO.1.1.5: an explicit message for the leaf's own dates, before the generic engine codes. */
function checkLeafDates(info: CertificateInfo, at: Date): void {
	if (info.notAfter.getTime() < at.getTime()) {
		throw new CertificateError(
			'CERT_EXPIRED',
			`Le certificat « ${label(info)} » a expiré le ${formatDateFr(info.notAfter)}.`,
			{ details: { notAfter: info.notAfter.toISOString(), serialNumber: info.serialNumber } }
		);
	}
	if (info.notBefore.getTime() > at.getTime()) {
		throw new CertificateError(
			'CERT_INVALID',
			`Le certificat « ${label(info)} » n'est valable qu'à partir du ${formatDateFr(info.notBefore)}.`,
			{ details: { notBefore: info.notBefore.toISOString() } }
		);
	}
}

function engineError(
	result: pkijs.CertificateChainValidationEngineVerifyResult,
	leaf: CertificateInfo
): CertificateError {
	const details = { engineCode: result.resultCode, engineMessage: result.resultMessage };
	// pkijs result codes: 8 = a certificate of the path is outside its validity period;
	// -1/60/97 = no path to a trusted anchor (unknown issuer or bad signature).
	if (result.resultCode === 8) {
		return new CertificateError(
			'CERT_EXPIRED',
			`Un certificat de la chaîne de « ${label(leaf)} » a expiré ou n'est pas encore valable.`,
			{ details }
		);
	}
	if (result.resultCode === -1 || result.resultCode === 60 || result.resultCode === 97) {
		return new CertificateError(
			'CERT_UNTRUSTED',
			`Le certificat « ${label(leaf)} » (émis par « ${leaf.issuer} ») ne se rattache à aucune autorité de confiance IGC-Santé configurée.`,
			{ details, cause: result.error }
		);
	}
	return new CertificateError(
		'CERT_INVALID',
		`La chaîne de certification de « ${label(leaf)} » est invalide (${result.resultMessage || 'code ' + result.resultCode}).`,
		{ details, cause: result.error }
	);
}

function isSelfIssued(parsed: ParsedCertificate): boolean {
	return parsed.cert.subject.isEqual(parsed.cert.issuer);
}

/**
 * ECO.1.1.10 accepts only the "Élémentaire Organisations" CA, not every CA under the IGC-Santé
 * root: when the anchors include issuing (non-root) CAs, the leaf must be issued by one of them.
 */
function checkPinnedIssuer(
	pathDer: Uint8Array[],
	anchors: ParsedCertificate[],
	leaf: CertificateInfo
): void {
	const pinned = anchors.filter((a) => !isSelfIssued(a));
	const issuer = pathDer[1];
	if (pinned.length === 0 || !issuer) return;
	if (pinned.some((a) => Buffer.from(a.der).equals(Buffer.from(issuer)))) return;
	throw new CertificateError(
		'CERT_UNTRUSTED',
		`Le certificat « ${label(leaf)} » est émis par « ${leaf.issuer} », qui n'est pas une autorité ` +
			'IGC-Santé Élémentaire Organisations configurée (ECO.1.1.10).',
		{ details: { issuer: leaf.issuer } }
	);
}

export async function validateChain(options: ValidateChainOptions): Promise<ChainVerdict> {
	const at = options.at ?? new Date();
	const anchors = expand(options.anchors);
	if (anchors.length === 0) {
		throw new CertificateError(
			'CERT_UNTRUSTED',
			'Aucune autorité de confiance n\u2019est configurée.'
		);
	}
	const leaf = parseCertificate(options.leaf);
	const leafInfo = certificateInfo(leaf, at);
	checkLeafDates(leafInfo, at);
	// pkijs drops duplicates by moving entries, which could make another certificate the "last"
	// one (the leaf): pass every certificate once, and never the leaf among the intermediates.
	const seen = new Set([Buffer.from(leaf.der).toString('base64')]);
	const intermediates = expand(options.intermediates ?? []).filter((c) => {
		const key = Buffer.from(c.der).toString('base64');
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
	const engine = new pkijs.CertificateChainValidationEngine({
		trustedCerts: anchors.map((a) => a.cert),
		// pkijs takes the LAST element of `certs` as the end-entity certificate.
		certs: [...intermediates.map((i) => i.cert), leaf.cert],
		checkDate: at
	});
	const result = await engine.verify();
	if (!result.result || !result.certificatePath) throw engineError(result, leafInfo);
	checkPurpose(leafInfo, options.purpose);
	const pathDer = result.certificatePath.map((c) => new Uint8Array(c.toSchema().toBER(false)));
	if (!pathDer[0] || !Buffer.from(pathDer[0]).equals(Buffer.from(leaf.der))) {
		throw new CertificateError('CERT_INVALID', `Chaîne de « ${label(leafInfo)} » incohérente.`);
	}
	checkPinnedIssuer(pathDer, anchors, leafInfo);
	return {
		leaf: leafInfo,
		path: pathDer.map((der) => certificateInfo(parseCertificate(der), at)),
		pathDer
	};
}

/** ECO.1.1.4, 1.1.5, 1.1.10: the operator's certificate, anchored in IGC-Santé only. */
export function validateServerChain(
	options: Omit<ValidateChainOptions, 'purpose'>
): Promise<ChainVerdict> {
	return validateChain({ ...options, purpose: 'serverAuth' });
}
