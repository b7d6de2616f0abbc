/**
 * The structures' ORG AUTH_CLI certificates (ECO.1.3.1) in the app database. Import: the PKCS#12
 * is opened and held to the IGC-Santé rules (certs/pkcs12.ts: chain to the pinned anchors only,
 * clientAuth purpose, not expired), then revocation is checked (CRL/OCSP, certs/crl-cache.ts);
 * the private key is sealed (certs/secret-box.ts) before it touches the disk. It is opened again
 * only to build the TLS client credentials of an IMAP/SMTP connection, never sent to a page and
 * never logged. Framework-free: the app binds it to its config in `index.ts`.
 */
import { createHash } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { checkPathRevocation } from '../../../../certs/crl-cache.ts';
import { importPkcs12 } from '../../../../certs/pkcs12.ts';
import { openText, seal } from '../../../../certs/secret-box.ts';
import { pemBlocks } from '../../../../certs/x509.ts';
import { CertificateError } from '../errors.ts';
import type { MailboxAuth } from '../mail/imap/client.ts';

export type StructureKind = 'ORG' | 'APP';

/** What the screens may know about a certificate: never the key, never the PEM. */
export interface StructureCertificate {
	mailbox: string;
	kind: StructureKind;
	displayName: string;
	subject: string;
	issuer: string;
	organisation: string;
	serialNumber: string;
	fingerprint: string;
	notBefore: Date;
	notAfter: Date;
	/** Whole days left (negative once expired). */
	daysLeft: number;
	/** Subjects of the chain, leaf first, anchor last. */
	chain: string[];
	importedAt: Date;
	importedBy: string;
}

export interface StoreContext {
	db: DatabaseSync;
	/** The server secret that keys the sealing of private keys. */
	secret: string;
	anchors: string[];
	/** Where CRLs are cached. */
	dataDir: string;
}

export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;
const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface Row {
	mailbox: string;
	kind: StructureKind;
	display_name: string;
	subject: string;
	issuer: string;
	organisation: string;
	serial_number: string;
	fingerprint: string;
	not_before: number;
	not_after: number;
	cert_pem: string;
	chain_json: string;
	key_sealed: string;
	imported_at: number;
	imported_by: string;
}

function toCertificate(row: Row, now = Date.now()): StructureCertificate {
	return {
		mailbox: row.mailbox,
		kind: row.kind,
		displayName: row.display_name,
		subject: row.subject,
		issuer: row.issuer,
		organisation: row.organisation,
		serialNumber: row.serial_number,
		fingerprint: row.fingerprint,
		notBefore: new Date(row.not_before),
		notAfter: new Date(row.not_after),
		daysLeft: Math.floor((row.not_after - now) / DAY_MS),
		chain: (JSON.parse(row.chain_json) as { subject: string }[]).map((c) => c.subject),
		importedAt: new Date(row.imported_at),
		importedBy: row.imported_by
	};
}

export interface ImportInput {
	data: Uint8Array;
	password: string;
	kind: StructureKind;
	actor: string;
	/** Optional check: the certificate must be the one of this mailbox. */
	expectedMailbox?: string;
	at?: Date;
}

/** The mailbox an ORG AUTH_CLI certificate names: its CN (the lab and IGC-Santé put the address there). */
function mailboxOf(commonName: string | undefined, subject: string): string {
	const cn = (commonName ?? '').trim().toLowerCase();
	if (ADDRESS.test(cn)) return cn;
	const email = /(?:^|,\s*)(?:E|emailAddress)=([^,]+)/i.exec(subject)?.[1]?.trim().toLowerCase();
	if (email && ADDRESS.test(email)) return email;
	throw new CertificateError(
		'CERT_INVALID',
		'Ce certificat ne désigne aucune adresse de boîte aux lettres MSSanté (champ CN).'
	);
}

export async function importStructureCertificate(
	context: StoreContext,
	input: ImportInput
): Promise<StructureCertificate> {
	const imported = await importPkcs12({
		data: input.data,
		password: input.password,
		anchors: context.anchors,
		...(input.at ? { at: input.at } : {})
	});
	// The validated path (leaf → anchor) as DER, from the container's certificates and the anchors,
	// for the revocation step.
	const byFingerprint = new Map(
		[imported.certPem, ...imported.chainPem, ...context.anchors]
			.flatMap((pem) => pemBlocks(pem))
			.map((der) => [createHash('sha256').update(der).digest('hex'), der] as const)
	);
	const ordered = imported.chain.map((info) => {
		const der = byFingerprint.get(info.fingerprintSha256.replace(/:/g, '').toLowerCase());
		if (!der) throw new CertificateError('CERT_INVALID', 'Chaîne de certification incomplète.');
		return der;
	});
	await checkPathRevocation(ordered, {
		dataDir: context.dataDir,
		...(input.at ? { now: input.at } : {})
	});
	const info = imported.info;
	const mailbox = mailboxOf(info.commonName, info.subject);
	if (input.expectedMailbox && input.expectedMailbox.toLowerCase() !== mailbox) {
		throw new CertificateError(
			'CERT_INVALID',
			`Ce certificat est celui de ${mailbox}, pas de ${input.expectedMailbox}.`
		);
	}
	const now = (input.at ?? new Date()).getTime();
	const row: Row = {
		mailbox,
		kind: input.kind,
		display_name: info.organisation ?? mailbox,
		subject: info.subject,
		issuer: info.issuer,
		organisation: info.organisation ?? '',
		serial_number: info.serialNumber,
		fingerprint: info.fingerprintSha256,
		not_before: info.notBefore.getTime(),
		not_after: info.notAfter.getTime(),
		cert_pem: imported.certPem,
		chain_json: JSON.stringify(
			imported.chain.map((c) => ({ subject: c.subject, notAfter: c.notAfter.toISOString() }))
		),
		key_sealed: seal(imported.keyPem, context.secret),
		imported_at: now,
		imported_by: input.actor
	};
	context.db
		.prepare(
			`INSERT INTO structure_certificate (mailbox, kind, display_name, subject, issuer, organisation,
				serial_number, fingerprint, not_before, not_after, cert_pem, chain_json, key_sealed,
				imported_at, imported_by)
			VALUES (:mailbox, :kind, :display_name, :subject, :issuer, :organisation, :serial_number,
				:fingerprint, :not_before, :not_after, :cert_pem, :chain_json, :key_sealed, :imported_at,
				:imported_by)
			ON CONFLICT (mailbox) DO UPDATE SET kind = excluded.kind,
				display_name = excluded.display_name, subject = excluded.subject, issuer = excluded.issuer,
				organisation = excluded.organisation, serial_number = excluded.serial_number,
				fingerprint = excluded.fingerprint, not_before = excluded.not_before,
				not_after = excluded.not_after, cert_pem = excluded.cert_pem,
				chain_json = excluded.chain_json, key_sealed = excluded.key_sealed,
				imported_at = excluded.imported_at, imported_by = excluded.imported_by`
		)
		.run({ ...row });
	return toCertificate(row, now);
}

export function listStructureCertificates(
	db: DatabaseSync,
	now = Date.now()
): StructureCertificate[] {
	const rows = db
		.prepare('SELECT * FROM structure_certificate ORDER BY mailbox')
		.all() as unknown as Row[];
	return rows.map((row) => toCertificate(row, now));
}

export function findStructureCertificate(
	db: DatabaseSync,
	mailbox: string,
	now = Date.now()
): StructureCertificate | undefined {
	const row = db
		.prepare('SELECT * FROM structure_certificate WHERE mailbox = ?')
		.get(mailbox.toLowerCase()) as Row | undefined;
	return row ? toCertificate(row, now) : undefined;
}

export function deleteStructureCertificate(db: DatabaseSync, mailbox: string): boolean {
	const result = db
		.prepare('DELETE FROM structure_certificate WHERE mailbox = ?')
		.run(mailbox.toLowerCase());
	return Number(result.changes) > 0;
}

/**
 * The TLS client credentials of a structure mailbox (ECO.1.3.1), for imap/client.ts and
 * smtp/transport.ts. Refuses an expired certificate with a French message; a key sealed under
 * another server secret asks for a new import.
 */
export function certificateAuth(
	context: Pick<StoreContext, 'db' | 'secret'>,
	mailbox: string,
	now = Date.now()
): MailboxAuth {
	const row = context.db
		.prepare('SELECT * FROM structure_certificate WHERE mailbox = ?')
		.get(mailbox.toLowerCase()) as Row | undefined;
	if (!row) {
		throw new CertificateError(
			'CERT_INVALID',
			`Aucun certificat n’est importé pour ${mailbox}. Un administrateur doit l’importer.`
		);
	}
	if (row.not_after <= now) {
		throw new CertificateError(
			'CERT_EXPIRED',
			`Le certificat de ${mailbox} a expiré : importez son renouvellement.`
		);
	}
	let keyPem: string;
	try {
		keyPem = openText(row.key_sealed, context.secret);
	} catch (cause) {
		throw new CertificateError(
			'CERT_INVALID',
			`La clé privée du certificat de ${mailbox} ne peut pas être déchiffrée (secret serveur changé) : importez-le de nouveau.`,
			{ cause }
		);
	}
	return { kind: 'certificate', user: row.mailbox, certPem: row.cert_pem, keyPem };
}
