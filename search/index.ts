/**
 * Entry point of the directory search for the webmail and the CLIs: `openDirectory()` gives the
 * Meilisearch engine when MEILI_URL is set, the embedded SQLite engine otherwise (zero set-up).
 */
import { defaultDirectoryDbPath } from './data-dir.ts';
import { EmbeddedEngine } from './embedded-engine.ts';
import { MeilisearchEngine } from './meilisearch-engine.ts';
import type { DirectoryEngine } from './types.ts';

export interface OpenDirectoryOptions {
	/** Defaults to CONFRERE_DATA_DIR or <repo>/var/data. */
	dataDir?: string;
	/** Defaults to MEILI_URL; empty → embedded engine. */
	meiliUrl?: string;
	/** Defaults to MEILI_KEY. */
	meiliKey?: string;
	meiliIndex?: string;
}

export function openDirectory(opts: OpenDirectoryOptions = {}): DirectoryEngine {
	const dbPath = defaultDirectoryDbPath(opts.dataDir);
	const meiliUrl = opts.meiliUrl ?? process.env.MEILI_URL;
	if (meiliUrl) {
		return new MeilisearchEngine({
			host: meiliUrl,
			apiKey: opts.meiliKey ?? process.env.MEILI_KEY,
			indexUid: opts.meiliIndex,
			dbPath
		});
	}
	return new EmbeddedEngine(dbPath);
}

export type * from './types.ts';
export { MAILBOX_TYPES } from './types.ts';
export { resolveDataDir, defaultDirectoryDbPath } from './data-dir.ts';
export { foldText } from './fold.ts';
