import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultDirectoryDbPath, resolveDataDir } from './data-dir.ts';

describe('data folder', () => {
	it('is CONFRERE_DATA_DIR when set, else <repo>/var/data', () => {
		expect(resolveDataDir({ CONFRERE_DATA_DIR: '/srv/confrere' })).toBe('/srv/confrere');
		const repo = resolve(fileURLToPath(new URL('..', import.meta.url)));
		expect(resolveDataDir({})).toBe(join(repo, 'var', 'data'));
		expect(defaultDirectoryDbPath('/srv/confrere')).toBe('/srv/confrere/annuaire.sqlite');
	});
});
