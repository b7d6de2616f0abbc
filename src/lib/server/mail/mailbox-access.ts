/**
 * The per-resource check: a request may only reach a mailbox of its own session. Everything that
 * reads mail goes through here to get its connection.
 */
import { AppError } from '../errors.ts';
import { checkMemberAccess } from '../structure/index.ts';
import { childLogger } from '../log.ts';
import { getRuntime } from '../runtime.ts';
import type { Session, SessionMailbox } from '../session/store.ts';
import type { MailboxConnection } from './imap/connection.ts';
import { MailboxWatcher } from './imap/watch.ts';

export function findMailbox(session: Session, mailboxId: string): SessionMailbox {
	const mailbox = session.mailboxes.find((m) => m.id === mailboxId);
	if (!mailbox) throw new AppError('NOT_FOUND', 'Boîte aux lettres inconnue.');
	checkMemberAccess(mailbox);
	return mailbox;
}

export function connectionFor(session: Session, mailbox: SessionMailbox): MailboxConnection {
	const { config, pool } = getRuntime();
	return pool.get(`${session.key}:${mailbox.id}`, () => ({
		endpoint: config.imap,
		auth: mailbox.auth,
		anchors: config.trustAnchors,
		dataDir: config.dataDir,
		logger: childLogger({ mailbox: mailbox.id })
	}));
}

export function mailboxConnection(session: Session, mailboxId: string): MailboxConnection {
	return connectionFor(session, findMailbox(session, mailboxId));
}

/** The push connection of a mailbox of this session (created on first use). */
export function watcherFor(session: Session, mailboxId: string): MailboxWatcher {
	const mailbox = findMailbox(session, mailboxId);
	const { config, watchers } = getRuntime();
	const key = `${session.key}:${mailbox.id}`;
	let watcher = watchers.get(key);
	if (!watcher) {
		watcher = new MailboxWatcher({
			endpoint: config.imap,
			auth: mailbox.auth,
			anchors: config.trustAnchors,
			dataDir: config.dataDir,
			logger: childLogger({ mailbox: mailbox.id, component: 'watch' })
		});
		watchers.set(key, watcher);
	}
	return watcher;
}
