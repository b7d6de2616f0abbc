/**
 * Signing in with a Confrère local account (staff without e-CPS): password, then a TOTP code.
 * The session opens the structure mailboxes the person is a member of where Confrère holds the
 * structure's certificate (access mode `certificate`): Confrère is then the access control, and
 * the member's role is read again on every request (`checkMemberAccess`).
 */
import { audit } from '../audit/index.ts';
import { getConfig } from '../config.ts';
import { openAppDb } from '../db/app-db.ts';
import { certificateAuth } from '../structure-certs/store.ts';
import { AppError, isAppError } from '../errors.ts';
import type { MailboxAuth } from '../mail/imap/client.ts';
import { getRuntime } from '../runtime.ts';
import type { Session, SessionMailbox } from '../session/store.ts';
import { getStructureServices } from './index.ts';

/** TLS client credentials of a structure mailbox; undefined when none is imported or usable. */
function resolveCertificateAuth(address: string): MailboxAuth | undefined {
	const config = getConfig();
	try {
		return certificateAuth(
			{ db: openAppDb(config.dataDir), secret: config.sessionSecret },
			address
		);
	} catch {
		return undefined;
	}
}

/** The structure mailboxes a member may open through Confrère, with their certificate auth. */
export function memberMailboxes(member: string): SessionMailbox[] {
	const { directory } = getStructureServices();
	return directory.structuresOf(member).flatMap(({ structure }, index) => {
		if (structure.accessMode !== 'certificate') return [];
		const auth = resolveCertificateAuth(structure.address);
		if (!auth) return [];
		return [
			{
				id: `s${index + 1}`,
				address: structure.address,
				displayName: structure.displayName,
				kind: structure.kind,
				auth,
				member
			}
		];
	});
}

export function signInWithLocalAccount(input: {
	login: string;
	password: string;
	code: string;
	clientKey: string;
}): { token: string; session: Session } {
	const { sessions, signInLimiter } = getRuntime();
	const login = input.login.trim().toLowerCase();
	const limiterKeys = [`local:${login}`, `client:${input.clientKey}`];
	const trace = {
		actor: `local:${login}`,
		action: 'sign-in',
		request: 'compte local + TOTP'
	} as const;
	if (signInLimiter.isBlocked(limiterKeys)) {
		audit({ ...trace, outcome: 'failure', answer: 'RATE_LIMITED' });
		throw new AppError(
			'RATE_LIMITED',
			'Trop de tentatives de connexion. Réessayez dans quelques minutes.'
		);
	}
	let person: { member: string; displayName: string };
	try {
		person = getStructureServices().accounts.authenticate(input);
	} catch (error) {
		if (isAppError(error) && error.code === 'AUTH_FAILED') signInLimiter.recordFailure(limiterKeys);
		audit({ ...trace, outcome: 'failure', answer: isAppError(error) ? error.code : 'INTERNAL' });
		throw error;
	}
	signInLimiter.reset([`local:${login}`]);
	const { token, session } = sessions.create({
		userLabel: person.displayName,
		memberId: person.member,
		mailboxes: memberMailboxes(person.member)
	});
	audit({ ...trace, outcome: 'ok', answer: `${session.mailboxes.length} BAL ouverte(s)` });
	return { token, session };
}
