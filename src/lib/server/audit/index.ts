/**
 * The app's audit trail: one `AuditLog` over `confrere.sqlite`, keyed from the server secret,
 * pruned to the configured retention once a day. `audit()` never throws: an operation the user
 * asked for is not undone because its trace could not be written — the failure is logged (without
 * the event's fields) so an administrator sees it.
 */
import { getConfig } from '../config.ts';
import { openAppDb } from '../db/app-db.ts';
import { isAppError } from '../errors.ts';
import { rootLogger } from '../log.ts';
import type { Session } from '../session/store.ts';
import { AuditLog, auditKey, type AuditEvent } from './audit-log.ts';

const PRUNE_EVERY_MS = 86_400_000;

let instance: AuditLog | undefined;
let lastPrune = 0;

export function getAuditLog(): AuditLog {
	if (instance) return instance;
	const config = getConfig();
	const log = new AuditLog({
		db: openAppDb(config.dataDir),
		key: auditKey(config.sessionSecret)
	});
	if (log.retentionMs !== config.auditRetentionMs) log.setRetention(config.auditRetentionMs);
	instance = log;
	return log;
}

export function audit(event: AuditEvent): void {
	try {
		const log = getAuditLog();
		log.record(event);
		const now = Date.now();
		if (now - lastPrune > PRUNE_EVERY_MS) {
			lastPrune = now;
			const removed = log.prune();
			if (removed > 0) rootLogger.info({ removed }, 'audit trail pruned to its retention');
		}
	} catch (error) {
		rootLogger.error({ err: error, action: event.action }, 'audit entry could not be written');
	}
}

/**
 * Runs one operation on a mailbox and writes exactly one entry for it: `ok` with the answer, or
 * `failure` with the error's code and server reply (never its message text, which may quote
 * content). The operation's own result or error is returned or rethrown unchanged.
 */
export async function audited<T>(
	event: Omit<AuditEvent, 'outcome' | 'answer'>,
	run: () => Promise<T>,
	answer: (result: T) => string = () => 'OK'
): Promise<T> {
	let result: T;
	try {
		result = await run();
	} catch (error) {
		audit({ ...event, outcome: 'failure', answer: failureSummary(error) });
		throw error;
	}
	audit({ ...event, outcome: 'ok', answer: answer(result) });
	return result;
}

/** Who and where, for an operation made within a signed-in session on one of its mailboxes. */
export function sessionScope(
	session: Session,
	mailboxId?: string
): Pick<AuditEvent, 'actor' | 'mailbox'> {
	const mailbox = mailboxId ? session.mailboxes.find((m) => m.id === mailboxId) : undefined;
	return {
		actor: session.psc?.subject ?? session.memberId ?? session.userLabel,
		mailbox: mailbox?.address ?? ''
	};
}

function failureSummary(error: unknown): string {
	if (!isAppError(error)) return error instanceof Error ? error.name : 'erreur';
	const reply = (error as { serverReply?: unknown }).serverReply;
	const detail = error.details.responseCode ?? error.details.code;
	if (typeof reply === 'string' && reply) return `${error.code} ${reply}`;
	return typeof detail === 'string' || typeof detail === 'number'
		? `${error.code} ${detail}`
		: error.code;
}

export type { AuditAction, AuditEntry, AuditEvent, AuditFilter } from './audit-log.ts';
