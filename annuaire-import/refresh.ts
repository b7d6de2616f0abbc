/**
 * Daily refresh for the server: fetch the current official extracts, import them (atomic swap,
 * size check), feed Meilisearch when it is configured. The ANS publishes daily, mostly around
 * 02:00–03:00 UTC (research note §1), so the default run is at 05:00 UTC. A failed run is logged
 * and the previous index keeps serving; the next day tries again.
 */
import { join } from 'node:path';
import { childLogger } from '../src/lib/server/log.ts';
import { defaultDirectoryDbPath, resolveDataDir } from '../search/data-dir.ts';
import { syncMeilisearch } from '../search/meilisearch-sync.ts';
import { fetchExtracts, type FetchOptions } from './fetch.ts';
import { importAnnuaire, type ImportSummary } from './importer.ts';

export interface RefreshOptions {
	dataDir?: string;
	/** Hour of the day (UTC) to run at; 5 by default. */
	hourUtc?: number;
	fetch?: Partial<Pick<FetchOptions, 'baseUrl' | 'ca'>>;
	meiliUrl?: string;
	meiliKey?: string;
}

const log = childLogger({ module: 'annuaire-refresh' });

/** Milliseconds from `now` to the next `hourUtc`:00 UTC (tomorrow when already past). */
export function nextRunDelay(now: Date, hourUtc: number): number {
	const next = new Date(
		Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hourUtc, 0, 0)
	);
	if (next.getTime() <= now.getTime()) next.setUTCDate(next.getUTCDate() + 1);
	return next.getTime() - now.getTime();
}

/** One refresh: download, import into the data folder, sync Meilisearch if configured. */
export async function refreshDirectory(opts: RefreshOptions = {}): Promise<ImportSummary> {
	const dataDir = opts.dataDir ?? resolveDataDir();
	const files = await fetchExtracts({ outDir: join(dataDir, 'extracts'), ...opts.fetch });
	const mss = files.find((f) => f.name === 'mssante');
	const ps = files.find((f) => f.name === 'ps');
	if (!mss) throw new Error('MSSanté extract missing from the download');
	let rejected = 0;
	const summary = await importAnnuaire({
		mssante: mss.path,
		activite: ps?.path,
		savoirFaire: ps?.path,
		dbPath: defaultDirectoryDbPath(dataDir),
		onReject: () => rejected++
	});
	const meiliUrl = opts.meiliUrl ?? process.env.MEILI_URL;
	if (meiliUrl) {
		await syncMeilisearch({
			host: meiliUrl,
			apiKey: opts.meiliKey ?? process.env.MEILI_KEY,
			dbPath: summary.dbPath
		});
	}
	log.info(
		{
			entries: summary.entries,
			mailboxes: summary.mailboxes,
			added: summary.added,
			changed: summary.changed,
			removed: summary.removed,
			rejected
		},
		'directory refreshed'
	);
	return summary;
}

/** Starts the daily timer; returns a function that stops it. */
export function startDailyRefresh(opts: RefreshOptions = {}): () => void {
	let timer: NodeJS.Timeout | undefined;
	let stopped = false;
	const schedule = () => {
		if (stopped) return;
		timer = setTimeout(
			() => {
				refreshDirectory(opts)
					.catch((error: unknown) =>
						log.error({ err: error }, 'directory refresh failed; the previous index keeps serving')
					)
					.finally(schedule);
			},
			nextRunDelay(new Date(), opts.hourUtc ?? 5)
		);
		timer.unref();
	};
	schedule();
	return () => {
		stopped = true;
		if (timer) clearTimeout(timer);
	};
}
