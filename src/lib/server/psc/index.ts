/**
 * Pro Santé Connect in the app: sign-in (authorization code + PKCE), the mailboxes a person opens
 * with their PSC access token over SASL XOAUTH2 (ECO.1.2.1, user = mailbox address), renewal,
 * and the end of everything when the refresh token dies (ECO.1.2.6). Tokens stay in memory
 * (token-store.ts); what waits between the redirect to PSC and its answer stays on the server,
 * the browser only holds a random id in a short-lived cookie.
 */
import { randomBytes } from 'node:crypto';
import { audit, audited } from '../audit/index.ts';
import { getConfig } from '../config.ts';
import { AppError, ImapError } from '../errors.ts';
import { rootLogger } from '../log.ts';
import { connectionFor } from '../mail/mailbox-access.ts';
import { getRuntime } from '../runtime.ts';
import { sessionKeyOf, type Session, type SessionMailbox } from '../session/store.ts';
import {
	PscClient,
	classifyPscFailure,
	pscError,
	type PendingAuthorization,
	type PscIdentity
} from './oidc.ts';
import { PscTokenStore } from './token-store.ts';

export const PSC_PENDING_COOKIE = 'confrere_psc';
const PENDING_TTL_MS = 10 * 60_000;
const ENDED_MEMORY_MS = 30 * 60_000;

let client: PscClient | undefined;
let tokens: PscTokenStore | undefined;
const pendings = new Map<
	string,
	{ pending: PendingAuthorization; next: string | null; at: number }
>();
/** Sessions ended because PSC ended (session key → when), to tell the person why. */
const endedByPsc = new Map<string, number>();

export function isPscEnabled(): boolean {
	return getConfig().psc !== undefined;
}

function pscClient(): PscClient {
	const config = getConfig().psc;
	if (!config) throw pscError('PSC_DISABLED');
	client ??= new PscClient(config);
	return client;
}

export function pscTokens(): PscTokenStore {
	tokens ??= new PscTokenStore({
		refresh: (refreshToken) => pscClient().refresh(refreshToken),
		onDead: (key, reason) => endBecausePscEnded(key, reason)
	});
	return tokens;
}

/** ECO.1.2.6: the refresh token is dead — close every IMAP/SMTP session and sign the user out. */
function endBecausePscEnded(key: string, reason: string): void {
	const { sessions } = getRuntime();
	const session = sessions.byKey(key);
	const actor = session?.psc?.subject ?? 'inconnu';
	audit({
		actor,
		action: 'token',
		request: 'PSC refresh_token',
		outcome: 'failure',
		answer: reason.slice(0, 80)
	});
	rootLogger.info({ reason: reason.slice(0, 80) }, 'psc refresh failed: session ended');
	if (session) {
		endedByPsc.set(key, Date.now());
		sessions.end(session);
	}
}

/** Whether the session behind this cookie was ended by PSC (then forgotten: said once). */
export function takePscEndedNotice(cookieToken: string | undefined): boolean {
	if (!cookieToken) return false;
	const key = sessionKeyOf(cookieToken);
	const at = endedByPsc.get(key);
	const limit = Date.now() - ENDED_MEMORY_MS;
	for (const [k, t] of endedByPsc) if (t < limit) endedByPsc.delete(k);
	if (at === undefined || at < limit) return false;
	endedByPsc.delete(key);
	return true;
}

/** Step 1: where to send the browser, and the id of what we keep until it comes back. */
export async function beginPscSignIn(
	redirectUri: string,
	next: string | null
): Promise<{ url: URL; pendingId: string }> {
	const now = Date.now();
	for (const [id, entry] of pendings) if (now - entry.at > PENDING_TTL_MS) pendings.delete(id);
	const { url, pending } = await pscClient().begin(redirectUri);
	const pendingId = randomBytes(24).toString('base64url');
	pendings.set(pendingId, { pending, next, at: now });
	return { url, pendingId };
}

export function pscRedirectUri(origin: string): string {
	return getConfig().psc?.redirectUri ?? `${origin}/connexion/psc/retour`;
}

function personLabel(identity: PscIdentity): string {
	const name = [identity.givenName, identity.familyName].filter(Boolean).join(' ');
	return name || identity.subject;
}

function xoauth2Mailbox(session: Session, id: string, address: string, kind: 'PER' | 'ORG') {
	const key = session.key;
	const mailbox: SessionMailbox = {
		id,
		address,
		displayName: address,
		kind,
		auth: { kind: 'xoauth2', user: address, accessToken: () => pscTokens().accessToken(key) }
	};
	return mailbox;
}

/** Opens the mailbox once: the operator's XOAUTH2 check is the access check. */
async function openMailbox(session: Session, mailbox: SessionMailbox): Promise<void> {
	const actor = session.psc?.subject ?? session.userLabel;
	await audited(
		{
			actor,
			mailbox: mailbox.address,
			action: 'sign-in',
			request: `IMAP AUTHENTICATE XOAUTH2 user=${mailbox.address}`
		},
		async () => {
			try {
				await connectionFor(session, mailbox).inFolder('INBOX', () => Promise.resolve());
			} catch (error) {
				await getRuntime().pool.closeWhere(`${session.key}:${mailbox.id}`);
				if (error instanceof ImapError && error.code === 'IMAP_AUTH') {
					throw pscError('PSC_MAILBOX', error);
				}
				throw error;
			}
		}
	);
}

/**
 * Step 2: PSC's answer. Checks it, keeps the tokens in memory, opens the person's own mailbox (the
 * `email` of their PSC identity) and returns the new session's cookie token.
 */
export async function completePscSignIn(
	callbackUrl: URL,
	pendingId: string | undefined
): Promise<{ token: string; session: Session; next: string | null }> {
	const entry = pendingId ? pendings.get(pendingId) : undefined;
	if (pendingId) pendings.delete(pendingId);
	const failure = (code: string) =>
		audit({
			actor: 'inconnu',
			action: 'sign-in',
			request: 'PSC authorization_code',
			outcome: 'failure',
			answer: code
		});
	if (!entry || Date.now() - entry.at > PENDING_TTL_MS) {
		failure('PSC_STATE');
		throw pscError('PSC_STATE');
	}
	let result;
	try {
		result = await pscClient().complete(callbackUrl, entry.pending);
	} catch (error) {
		failure(classifyPscFailure(error));
		throw error;
	}
	const { identity } = result;
	const { sessions } = getRuntime();
	const { token, session } = sessions.create({
		userLabel: personLabel(identity),
		mailboxes: [],
		psc: { subject: identity.subject }
	});
	pscTokens().set(session.key, result.tokens);
	audit({
		actor: identity.subject,
		action: 'sign-in',
		request: `PSC authorization_code acr=${identity.acr ?? '-'}`,
		outcome: 'ok',
		answer: 'OK'
	});
	if (identity.email) {
		const mailbox = xoauth2Mailbox(session, 'b1', identity.email, 'PER');
		try {
			await openMailbox(session, mailbox);
			session.mailboxes.push(mailbox);
		} catch (error) {
			sessions.end(session);
			throw error;
		}
	}
	return { token, session, next: entry.next };
}

/** Adds a mailbox the person uses (ECO.3.2.3), opened with the same PSC token. */
export async function addPscMailbox(session: Session, address: string): Promise<SessionMailbox> {
	if (!session.psc) {
		throw new AppError('FORBIDDEN', 'Ajouter une boîte demande une connexion Pro Santé Connect.');
	}
	const normalized = address.trim().toLowerCase();
	const existing = session.mailboxes.find((m) => m.address === normalized);
	if (existing) return existing;
	let n = session.mailboxes.length + 1;
	while (session.mailboxes.some((m) => m.id === `b${n}`)) n += 1;
	const mailbox = xoauth2Mailbox(
		session,
		`b${n}`,
		normalized,
		session.mailboxes.length ? 'ORG' : 'PER'
	);
	await openMailbox(session, mailbox);
	session.mailboxes.push(mailbox);
	return mailbox;
}

/** "Se déconnecter partout": every session of this PSC person, on this server. */
export function signOutEverywhere(session: Session): number {
	const subject = session.psc?.subject;
	const { sessions } = getRuntime();
	const count = subject
		? sessions.endWhere((s) => s.psc?.subject === subject)
		: (sessions.end(session), 1);
	audit({
		actor: subject ?? session.userLabel,
		action: 'sign-out',
		request: 'sign-out everywhere',
		outcome: 'ok',
		answer: `${count} session(s)`
	});
	return count;
}

/** The audit entry of an ordinary sign-out of a PSC session (other sessions: not ours to trace). */
/** Drops a session's tokens (its end, for whatever reason). */
export function forgetPscTokens(sessionKey: string): void {
	tokens?.delete(sessionKey);
}

export function resetPscForTests(): void {
	tokens?.clear();
	tokens = undefined;
	client = undefined;
	pendings.clear();
	endedByPsc.clear();
}
