/**
 * Signing in to a mailbox with its operator password (the lab, and operators that still offer
 * it). The IMAP login itself checks the credentials, and the connection it opens stays warm for
 * the first page. Pro Santé Connect (XOAUTH2) plugs in beside this.
 */
import { audit } from '../audit/index.ts';
import { AppError, ImapError, isAppError } from '../errors.ts';
import { connectionFor } from '../mail/mailbox-access.ts';
import { getRuntime } from '../runtime.ts';
import type { Session, SessionMailbox } from './store.ts';

export interface PasswordSignIn {
	address: string;
	password: string;
	/** The client's address, for throttling. */
	clientKey: string;
}

export async function signInWithPassword(
	input: PasswordSignIn
): Promise<{ token: string; session: Session }> {
	const { sessions, signInLimiter } = getRuntime();
	const address = input.address.trim().toLowerCase();
	const limiterKeys = [`address:${address}`, `client:${input.clientKey}`];
	const trace = {
		actor: address,
		mailbox: address,
		action: 'sign-in',
		request: 'IMAP LOGIN'
	} as const;
	if (signInLimiter.isBlocked(limiterKeys)) {
		audit({ ...trace, outcome: 'failure', answer: 'RATE_LIMITED' });
		throw new AppError(
			'RATE_LIMITED',
			'Trop de tentatives de connexion. Réessayez dans quelques minutes.'
		);
	}
	const mailbox: SessionMailbox = {
		id: 'b1',
		address,
		displayName: address,
		kind: 'PER',
		auth: { kind: 'password', user: address, password: input.password }
	};
	const { token, session } = sessions.create({ userLabel: address, mailboxes: [mailbox] });
	try {
		// The login checks the credentials; selecting the INBOX right away means the first page
		// (and the folder counts, which Dovecot then answers from the open index) costs one fetch.
		await connectionFor(session, mailbox).inFolder('INBOX', () => Promise.resolve());
	} catch (error) {
		sessions.end(session);
		audit({ ...trace, outcome: 'failure', answer: isAppError(error) ? error.code : 'INTERNAL' });
		if (error instanceof ImapError && error.code === 'IMAP_AUTH') {
			signInLimiter.recordFailure(limiterKeys);
			throw new AppError('AUTH_FAILED', 'Identifiants incorrects ou accès refusé.', {
				cause: error
			});
		}
		throw error;
	}
	signInLimiter.reset([`address:${address}`]);
	audit({ ...trace, outcome: 'ok', answer: 'OK' });
	return { token, session };
}
