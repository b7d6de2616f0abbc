/**
 * The app's side of structure certificates (ECO.1.3.1): only administrators (`ADMIN_ADDRESSES`)
 * import, replace or delete them; an administrator opens a structure mailbox of the session with
 * its certificate. Every operation writes exactly one audit entry — refusals included, with the
 * error code (wrong PKCS#12 password, expired, revoked, foreign CA, operator refused) — and never
 * a secret: the PKCS#12, its password and the key stay out of logs and entries.
 */
import { isAdministrator } from '../audit/access.ts';
import { audit } from '../audit/index.ts';
import { getConfig } from '../config.ts';
import { openAppDb } from '../db/app-db.ts';
import { AppError, ImapError, isAppError } from '../errors.ts';
import { connectionFor } from '../mail/mailbox-access.ts';
import { getRuntime } from '../runtime.ts';
import type { Session, SessionMailbox } from '../session/store.ts';
import {
	certificateAuth,
	deleteStructureCertificate,
	EXPIRY_WARNING_DAYS,
	findStructureCertificate,
	importStructureCertificate,
	listStructureCertificates,
	type StructureCertificate,
	type StructureKind
} from './store.ts';

export { EXPIRY_WARNING_DAYS, type StructureCertificate, type StructureKind };

/** The administrator behind a session, or undefined: the address of its own (first) mailbox. */
export function adminOf(session: Session | null): string | undefined {
	if (!session || !isAdministrator(session)) return undefined;
	return session.psc?.subject ?? session.mailboxes[0]?.address.toLowerCase() ?? session.userLabel;
}

export function requireAdmin(session: Session | null): string {
	const admin = adminOf(session);
	if (!admin) {
		throw new AppError('FORBIDDEN', 'Cette page est réservée aux administrateurs de la structure.');
	}
	return admin;
}

function context() {
	const config = getConfig();
	return {
		db: openAppDb(config.dataDir),
		secret: config.sessionSecret,
		anchors: config.trustAnchors,
		dataDir: config.dataDir
	};
}

function codeOf(error: unknown): string {
	return isAppError(error) ? error.code : 'INTERNAL';
}

export function structureCertificates(): StructureCertificate[] {
	return listStructureCertificates(context().db);
}

/** Certificates that expire within 30 days (or have expired): the banner of the app shell. */
export function expiringCertificates(): StructureCertificate[] {
	return structureCertificates().filter((c) => c.daysLeft <= EXPIRY_WARNING_DAYS);
}

export async function importCertificate(
	session: Session | null,
	input: { data: Uint8Array; password: string; kind: StructureKind; expectedMailbox?: string }
): Promise<StructureCertificate> {
	const actor = requireAdmin(session);
	const request = input.expectedMailbox
		? `import PKCS#12 (remplacement ${input.expectedMailbox})`
		: 'import PKCS#12';
	try {
		const imported = await importStructureCertificate(context(), { ...input, actor });
		audit({
			actor,
			mailbox: imported.mailbox,
			action: 'certificate',
			request,
			outcome: 'ok',
			answer: `importé, série ${imported.serialNumber}, expire le ${imported.notAfter.toISOString().slice(0, 10)}`
		});
		return imported;
	} catch (error) {
		audit({ actor, action: 'certificate', request, outcome: 'failure', answer: codeOf(error) });
		throw error;
	}
}

export function deleteCertificate(session: Session | null, mailbox: string): boolean {
	const actor = requireAdmin(session);
	const removed = deleteStructureCertificate(context().db, mailbox);
	audit({
		actor,
		mailbox,
		action: 'certificate',
		request: 'suppression du certificat',
		outcome: removed ? 'ok' : 'failure',
		answer: removed ? 'supprimé' : 'NOT_FOUND'
	});
	return removed;
}

/**
 * Adds the structure mailbox to the administrator's session and opens it: TLS with the
 * certificate, the mailbox address as login (ECO.1.3.1). Returns the mailbox's id in the session.
 */
export async function openStructureMailbox(
	session: Session | null,
	mailbox: string
): Promise<SessionMailbox> {
	const actor = requireAdmin(session);
	if (!session) throw new AppError('SESSION_EXPIRED', 'Session expirée.');
	const address = mailbox.toLowerCase();
	const already = session.mailboxes.find((m) => m.address === address);
	if (already) return already;
	const request = 'IMAP LOGIN avec certificat ORG AUTH_CLI';
	const db = context().db;
	const known = findStructureCertificate(db, address);
	let entry: SessionMailbox | undefined;
	try {
		if (!known) {
			throw new AppError('NOT_FOUND', `Aucun certificat n’est importé pour ${address}.`);
		}
		const auth = certificateAuth(context(), address);
		const ids = new Set(session.mailboxes.map((m) => m.id));
		let n = session.mailboxes.length + 1;
		while (ids.has(`b${n}`)) n++;
		entry = { id: `b${n}`, address, displayName: known.displayName, kind: known.kind, auth };
		session.mailboxes.push(entry);
		await connectionFor(session, entry).inFolder('INBOX', () => Promise.resolve());
	} catch (error) {
		if (entry) {
			session.mailboxes.splice(session.mailboxes.indexOf(entry), 1);
			await getRuntime()
				.pool.closeWhere(`${session.key}:${entry.id}`)
				.catch(() => {});
		}
		audit({
			actor,
			mailbox: address,
			action: 'sign-in',
			request,
			outcome: 'failure',
			answer: codeOf(error)
		});
		if (error instanceof ImapError && error.code === 'IMAP_AUTH') {
			throw new ImapError(
				'IMAP_AUTH',
				'Le serveur de messagerie a refusé le certificat de cette boîte (certificat non reconnu, révoqué ou non enregistré chez l’opérateur).',
				{ cause: error }
			);
		}
		throw error;
	}
	audit({ actor, mailbox: address, action: 'sign-in', request, outcome: 'ok', answer: 'OK' });
	return entry;
}
