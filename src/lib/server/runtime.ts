/**
 * The process's long-lived services, created once on first use: configuration, the IMAP
 * connection pool, sessions and the sign-in limiter. Closed cleanly on shutdown.
 */
import { startDailyRefresh } from '../../../annuaire-import/refresh.ts';
import { getConfig, type AppConfig } from './config.ts';
import { closeAppDbs } from './db/app-db.ts';
import { rootLogger } from './log.ts';
import { ConnectionPool } from './mail/imap/pool.ts';
import type { MailboxWatcher } from './mail/imap/watch.ts';
import { forgetSessionMessages } from './mail/message-cache.ts';
import { forgetPscTokens } from './psc/index.ts';
import { FailureLimiter } from './session/rate-limit.ts';
import { SessionStore } from './session/store.ts';

export interface Runtime {
	config: AppConfig;
	pool: ConnectionPool;
	/** Push connections, keyed like the pool (`<session key>:<mailbox id>`). */
	watchers: Map<string, MailboxWatcher>;
	sessions: SessionStore;
	signInLimiter: FailureLimiter;
	/** Stops the daily Annuaire Santé refresh, when one runs. */
	stopDirectoryRefresh: () => void;
}

let runtime: Runtime | undefined;

export function getRuntime(): Runtime {
	if (runtime) return runtime;
	const config = getConfig();
	const pool = new ConnectionPool({ idleCloseMs: config.imapIdleCloseMs, logger: rootLogger });
	const watchers = new Map<string, MailboxWatcher>();
	const sessions = new SessionStore({
		idleMs: config.sessionIdleMs,
		onEnd: (session) => {
			forgetSessionMessages(session.key);
			// ECO.1.2.5: PSC tokens live exactly as long as the session.
			forgetPscTokens(session.key);
			for (const [key, watcher] of watchers) {
				if (!key.startsWith(`${session.key}:`)) continue;
				watcher.stop();
				watchers.delete(key);
			}
			pool
				.closeWhere(`${session.key}:`)
				.catch((err: unknown) =>
					rootLogger.warn({ err: String(err) }, 'closing session connections failed')
				);
		}
	});
	const signInLimiter = new FailureLimiter({ max: 5, windowMs: 5 * 60_000 });
	// The previous index keeps serving while a refresh downloads and imports (annuaire-import/).
	const stopDirectoryRefresh =
		config.directoryRefreshHourUtc === undefined
			? () => {}
			: startDailyRefresh({ dataDir: config.dataDir, hourUtc: config.directoryRefreshHourUtc });
	runtime = { config, pool, watchers, sessions, signInLimiter, stopDirectoryRefresh };
	return runtime;
}

export async function shutdownRuntime(): Promise<void> {
	if (!runtime) return;
	runtime.sessions.endAll();
	for (const watcher of runtime.watchers.values()) watcher.stop();
	runtime.stopDirectoryRefresh();
	closeAppDbs();
	await runtime.pool.closeAll();
	runtime = undefined;
}
