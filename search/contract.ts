/**
 * The directory contract both engines must pass (issue 5, "Search behaviour"): one suite, run by
 * embedded.test.ts always and by meilisearch.test.ts whenever MEILI_URL is set. The data is the
 * synthetic extract set of contract-fixture.ts, imported with the real importer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAnnuaire } from '../annuaire-import/importer.ts';
import { FIXTURE_ORG, writeFixtureExtracts } from './contract-fixture.ts';
import type { DirectoryEngine, DirectoryEntry, DirectoryQuery } from './types.ts';

export type EngineFactory = (dbPath: string) => Promise<DirectoryEngine>;

const names = (hits: DirectoryEntry[]) =>
	hits.map((h) => `${h.lastName ?? h.organization} ${h.firstName ?? ''}`.trim());

export function runDirectoryContract(name: string, makeEngine: EngineFactory): void {
	describe(`directory contract: ${name}`, () => {
		let dir: string;
		let engine: DirectoryEngine;
		const search = (q: DirectoryQuery) => engine.search(q);
		const mailboxes = async (text: string) => (await search({ text })).hits.map((h) => h.mailbox);

		beforeAll(async () => {
			dir = mkdtempSync(join(tmpdir(), 'annuaire-contract-'));
			const paths = writeFixtureExtracts(dir);
			const dbPath = join(dir, 'annuaire.sqlite');
			await importAnnuaire({ ...paths, dbPath });
			engine = await makeEngine(dbPath);
		});
		afterAll(async () => {
			await engine?.close();
			rmSync(dir, { recursive: true, force: true });
		});

		it('answers as you type (prefix of the last word)', async () => {
			expect(names((await search({ text: 'lefè' })).hits)).toContain('LEFÈVRE Marie');
			expect(
				(await search({ text: 'dup' })).hits.filter((h) => h.lastName === 'DUPONT')
			).toHaveLength(3);
		});

		it('ignores accents, case, hyphens and apostrophes', async () => {
			expect(names((await search({ text: 'lefevre' })).hits)).toEqual(['LEFÈVRE Marie']);
			expect(names((await search({ text: 'LÉFÈVRE' })).hits)).toEqual(['LEFÈVRE Marie']);
			for (const text of ['saint etienne', 'Saint-Étienne', 'SAINT ETIENNE']) {
				const hits = (await search({ text })).hits;
				expect(hits.map((h) => h.city)).toEqual(['Saint-Étienne', 'Saint-Étienne']);
			}
			expect(await mailboxes('nguyen')).toEqual(['thi.nguyen@kine.mssante.fr']);
			expect(await mailboxes("N'Guyen")).toEqual(['thi.nguyen@kine.mssante.fr']);
		});

		it('matches several criteria typed in one box', async () => {
			const hits = (await search({ text: 'ortho dupont lyon' })).hits;
			expect(hits[0]?.mailbox).toBe('claire.dupont@ortho.mssante.fr');
			expect(hits.map((h) => h.mailbox)).not.toContain('jean.dupont@medecin.mssante.fr');
			expect(hits.map((h) => h.mailbox)).not.toContain('sophie.dupont@ortho.mssante.fr');
		});

		it('tolerates one typo from 5 letters and two from 9, not more', async () => {
			expect(
				(await search({ text: 'dupomt' })).hits.filter((h) => h.lastName === 'DUPONT')
			).toHaveLength(3);
			expect(await mailboxes('montgolfeir')).toEqual(['elise.montgolfier@sf.mssante.fr']);
			expect(await mailboxes('mantgolfeir')).toEqual(['elise.montgolfier@sf.mssante.fr']);
			expect(await mailboxes('ruis')).not.toContain('ana.ruiz@ide.mssante.fr');
			expect(await mailboxes('duppmt')).toEqual([]);
		});

		it('knows abbreviations and synonyms of professions and specialties', async () => {
			expect(await mailboxes('kiné')).toEqual(['thi.nguyen@kine.mssante.fr']);
			expect(await mailboxes('IDE')).toEqual(['ana.ruiz@ide.mssante.fr']);
			expect(await mailboxes('sage-femme')).toEqual(['elise.montgolfier@sf.mssante.fr']);
			expect(new Set(await mailboxes('généraliste'))).toEqual(
				new Set([
					'jean.dupont@medecin.mssante.fr',
					'lucas.martinez@medecin.mssante.fr',
					'louise.bernard@medecin.mssante.fr'
				])
			);
			expect(names((await search({ text: 'psy' })).hits).sort()).toEqual([
				'COLIN Hugo',
				'MARTIN Paul'
			]);
		});

		it('ranks exact name matches first', async () => {
			const hits = (await search({ text: 'martin' })).hits;
			expect(hits[0]?.lastName).toBe('MARTIN');
			expect(names(hits)).toContain('MARTINEZ Lucas');
		});

		it('returns facet counts', async () => {
			const result = await search({ text: 'dupont', facets: true });
			expect(result.total).toBe(3);
			const count = (list: { value: string; count: number }[] | undefined, value: string) =>
				list?.find((f) => f.value === value)?.count;
			expect(count(result.facets?.profession, '91')).toBe(2);
			expect(count(result.facets?.profession, '10')).toBe(1);
			expect(count(result.facets?.departement, '69')).toBe(2);
			expect(count(result.facets?.departement, '75')).toBe(1);
			expect(count(result.facets?.type, 'PER')).toBe(3);
			expect(count(result.facets?.specialite, 'SM54')).toBe(1);
		});

		it('filters by profession, specialty, department and mailbox type', async () => {
			expect((await search({ text: 'dupont', profession: '91' })).total).toBe(2);
			expect(await mailboxes('dupont')).toHaveLength(3);
			expect(
				(await search({ text: 'dupont', profession: '91', departement: '69' })).hits.map(
					(h) => h.mailbox
				)
			).toEqual(['claire.dupont@ortho.mssante.fr']);
			expect((await search({ text: 'lyon', type: 'ORG' })).hits.map((h) => h.mailbox)).toEqual([
				FIXTURE_ORG.mailbox
			]);
			expect(new Set((await search({ specialite: 'SM54' })).hits.map((h) => h.lastName))).toEqual(
				new Set(['DUPONT', 'MARTINEZ'])
			);
		});

		it('derives departments: Corsica 2A/2B, overseas 97x, ADELI rows without INSEE code', async () => {
			expect((await search({ text: 'montgolfier' })).hits[0]?.department).toBe('2A');
			expect((await search({ text: 'colin' })).hits[0]?.department).toBe('2B');
			expect((await search({ text: 'ruiz' })).hits[0]?.department).toBe('974');
			expect((await search({ text: 'ajaccio', departement: '2A' })).total).toBe(1);
		});

		it('never shows a red-listed mailbox', async () => {
			const all = await search({ text: 'secret' });
			expect(all.hits.map((h) => h.mailbox)).not.toContain('jeanne.secret@medecin.mssante.fr');
			const browse = await search({ limit: 100 });
			expect(browse.hits.map((h) => h.mailbox)).not.toContain('jeanne.secret@medecin.mssante.fr');
		});

		it('lists practitioners without a published mailbox, marked as such', async () => {
			const [colin] = (await search({ text: 'colin hugo' })).hits;
			expect(colin).toMatchObject({
				mailbox: null,
				mailboxType: null,
				lastName: 'COLIN',
				professionCode: '93',
				city: 'BASTIA'
			});
			expect((await search({ text: 'colin', hasMailbox: true })).total).toBe(0);
		});

		it('returns complete entries', async () => {
			const [jean] = (await search({ text: 'jean dupont' })).hits;
			expect(jean).toMatchObject({
				mailbox: 'jean.dupont@medecin.mssante.fr',
				mailboxType: 'PER',
				idNational: '810000000022',
				lastName: 'DUPONT',
				firstName: 'Jean',
				professionCode: '10',
				professionLabel: 'Médecin',
				postalCode: '69003',
				city: 'Lyon',
				department: '69',
				organization: 'CABINET DUPONT'
			});
			expect(jean?.savoirFaire).toEqual([{ code: 'SM54', label: 'Médecine générale' }]);
			const [org] = (await search({ text: 'centre hospitalier cardiologie' })).hits;
			expect(org).toMatchObject({
				mailbox: FIXTURE_ORG.mailbox,
				mailboxType: 'ORG',
				service: 'Cardiologie',
				department: '69',
				postalCode: '69004'
			});
		});

		it('pages with limit and offset', async () => {
			const first = await search({ text: 'dupont', limit: 2 });
			const second = await search({ text: 'dupont', limit: 2, offset: 2 });
			expect(first.total).toBe(3);
			expect(first.hits).toHaveLength(2);
			expect(second.hits).toHaveLength(1);
			expect(first.hits.map((h) => h.mailbox)).not.toContain(second.hits[0]?.mailbox);
		});
	});
}
