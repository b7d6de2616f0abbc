import { mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAnnuaire } from '../../../annuaire-import/importer.ts';
import { ensureDemoDirectory } from '../../../annuaire-import/demo-data.ts';
import { writeFixtureExtracts } from '../../../search/contract-fixture.ts';
import {
	WebmailDirectory,
	readDirectoryFilters,
	readLimit,
	toDirectoryQuery
} from './directory.ts';

const dirs: string[] = [];
const temp = () => {
	const dir = mkdtempSync(join(tmpdir(), 'confrere-directory-'));
	dirs.push(dir);
	return dir;
};
const open: WebmailDirectory[] = [];
const directoryOver = (dataDir: string) => {
	const directory = new WebmailDirectory(dataDir);
	open.push(directory);
	return directory;
};

let dataDir: string;

beforeAll(async () => {
	dataDir = temp();
	const paths = writeFixtureExtracts(temp());
	await importAnnuaire({ ...paths, dbPath: join(dataDir, 'annuaire.sqlite') });
});

afterAll(async () => {
	for (const d of open) await d.close();
	for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('WebmailDirectory', () => {
	it('reports a missing index as a state, not an error', async () => {
		await expect(directoryOver(temp()).search({ text: 'dupont' })).resolves.toEqual({
			state: 'missing'
		});
	});

	it('reports an index of another format as unavailable', async () => {
		const dir = temp();
		const db = new DatabaseSync(join(dir, 'annuaire.sqlite'));
		db.exec(
			"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT); INSERT INTO meta VALUES ('schema_version', 'old');"
		);
		db.close();
		await expect(directoryOver(dir).search({ text: 'dupont' })).resolves.toEqual({
			state: 'unavailable'
		});
	});

	it('searches the imported index with facets and filters', async () => {
		const directory = directoryOver(dataDir);
		const outcome = await directory.search({ text: 'ortho lyon', facets: true });
		expect(outcome.state).toBe('ok');
		if (outcome.state !== 'ok') return;
		expect(outcome.result.hits.map((h) => h.mailbox)).toContain('claire.dupont@ortho.mssante.fr');
		expect(outcome.result.hits.every((h) => h.city === 'Lyon')).toBe(true);
		expect(outcome.result.facets?.profession.length).toBeGreaterThan(0);

		const narrowed = await directory.search({ text: 'dupont', profession: '10' });
		expect(narrowed.state === 'ok' && narrowed.result.hits.map((h) => h.firstName)).toEqual([
			'Jean'
		]);
	});

	it('finds apostrophe names and keeps practitioners without a mailbox', async () => {
		const directory = directoryOver(dataDir);
		const nguyen = await directory.search({ text: 'nguyen' });
		expect(nguyen.state === 'ok' && nguyen.result.hits[0]?.mailbox).toBe(
			'thi.nguyen@kine.mssante.fr'
		);
		const colin = await directory.search({ text: 'colin' });
		expect(colin.state === 'ok' && colin.result.hits[0]?.mailbox).toBeNull();
		const onlyMailboxes = await directory.search({ text: 'colin', hasMailbox: true });
		expect(onlyMailboxes.state === 'ok' && onlyMailboxes.result.total).toBe(0);
	});
});

describe('query parameters', () => {
	it('keeps valid filters and drops malformed ones', () => {
		const filters = readDirectoryFilters(
			new URLSearchParams('q=  ortho lyon &profession=91&specialite=SM54&departement=2a&type=per')
		);
		expect(filters).toEqual({
			q: 'ortho lyon',
			profession: '91',
			specialite: 'SM54',
			departement: '2A',
			type: 'PER'
		});
		expect(
			readDirectoryFilters(new URLSearchParams('profession=a%20b&type=XYZ&departement=<x>'))
		).toEqual({ q: '', profession: '', specialite: '', departement: '', type: '' });
		expect(readDirectoryFilters(new URLSearchParams(`q=${'a'.repeat(500)}`)).q).toHaveLength(200);
	});

	it('builds engine queries without empty criteria and clamps limits', () => {
		expect(
			toDirectoryQuery(
				{ q: 'x', profession: '', specialite: '', departement: '69', type: '' },
				{ limit: 5 }
			)
		).toEqual({ text: 'x', departement: '69', limit: 5 });
		expect(readLimit(null, 8)).toBe(8);
		expect(readLimit('abc', 8)).toBe(8);
		expect(readLimit('0')).toBe(1);
		expect(readLimit('5000')).toBe(100);
	});
});

describe('demo directory', () => {
	it('imports a small extract with the lab practitioners, once', async () => {
		const dir = temp();
		const first = await ensureDemoDirectory(dir, { scale: 0.0002 });
		expect(first.created).toBe(true);
		const again = await ensureDemoDirectory(dir);
		expect(again.created).toBe(false);
		const directory = directoryOver(dir);
		for (const [text, mailbox] of [
			['jeanne martin generaliste', 'jeanne.martin@lab.mssante.test'],
			['durand cardiologue', 'paul.durand@lab.mssante.test'],
			['nguyen ortho lyon', 'claire.nguyen@lab.mssante.test'],
			['cabinet martin secretariat', 'secretariat@cabinet-martin.lab.mssante.test']
		] as const) {
			const outcome = await directory.search({ text });
			expect(outcome.state === 'ok' && outcome.result.hits.map((h) => h.mailbox)).toContain(
				mailbox
			);
		}
	}, 60_000);
});
