import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importAnnuaire } from '../annuaire-import/importer.ts';
import { orgRow, removeTempDirs, tempDir, writeMssante } from '../annuaire-import/test-helpers.ts';
import { EmbeddedEngine, MATCH_LIMIT } from './embedded-engine.ts';

afterAll(removeTempDirs);

describe('embedded engine on very broad queries', () => {
	it('stops counting at MATCH_LIMIT and says so; browsing reports every entry', async () => {
		const dir = tempDir();
		const dbPath = join(dir, 'a.sqlite');
		const rows = Array.from({ length: MATCH_LIMIT + 5 }, (_, i) => orgRow(i));
		await importAnnuaire({ mssante: writeMssante(join(dir, 'm.txt'), rows), dbPath });
		const engine = new EmbeddedEngine(dbPath);
		const broad = await engine.search({ text: 'clinique', facets: true, limit: 5 });
		expect(broad).toMatchObject({ total: MATCH_LIMIT, isTruncated: true });
		expect(broad.hits).toHaveLength(5);
		expect(broad.facets?.type).toEqual([{ value: 'ORG', label: 'ORG', count: MATCH_LIMIT }]);
		const narrow = await engine.search({ text: 'clinique test 42' });
		expect(narrow.isTruncated).toBeUndefined();
		expect((await engine.search({})).total).toBe(MATCH_LIMIT + 5);
		const deep = await engine.search({ text: 'clinique', limit: 10, offset: 500 });
		expect(deep.hits).toHaveLength(10);
		await engine.close();
	});
});

it('an empty or foreign index file is SEARCH_UNAVAILABLE, not a raw SQLite error', async () => {
	const file = join(tempDir(), 'annuaire.sqlite');
	writeFileSync(file, '');
	const engine = new EmbeddedEngine(file);
	await expect(engine.search({ text: 'martin' })).rejects.toMatchObject({
		code: 'SEARCH_UNAVAILABLE'
	});
});
