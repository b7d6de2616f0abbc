/**
 * Where the app keeps its data (the directory index among others). One place, so that the
 * importer CLI and the webmail read and write the same file without any configuration.
 * Framework-free: plain Node, no `$env`.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** File name of the directory index inside the data folder. */
export const DIRECTORY_DB_FILE = 'annuaire.sqlite';

/**
 * The repository root: the nearest folder above this module holding a package.json.
 * Walking up (instead of a fixed `../`) keeps working when the module is bundled elsewhere.
 */
function repoRoot(): string {
	let dir = dirname(fileURLToPath(import.meta.url));
	for (;;) {
		if (existsSync(join(dir, 'package.json'))) return dir;
		const parent = dirname(dir);
		if (parent === dir) return process.cwd();
		dir = parent;
	}
}

/** `CONFRERE_DATA_DIR` when set, else `<repo>/var/data`. */
export function resolveDataDir(env: NodeJS.ProcessEnv = process.env): string {
	const fromEnv = env.CONFRERE_DATA_DIR?.trim();
	if (fromEnv) return resolve(fromEnv);
	return join(repoRoot(), 'var', 'data');
}

/** Path of the directory index, `<data dir>/annuaire.sqlite`. */
export function defaultDirectoryDbPath(dataDir?: string): string {
	return join(dataDir ?? resolveDataDir(), DIRECTORY_DB_FILE);
}
