import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { ImportError } from '../src/lib/server/errors.ts';
import { EmbeddedEngine } from '../search/embedded-engine.ts';
import { writeFixtureExtracts } from '../search/contract-fixture.ts';
import { MSSANTE_HEADERS } from './extract-format.ts';
import { importAnnuaire } from './importer.ts';
import { orgRow, removeTempDirs, tempDir, writeMssante } from './test-helpers.ts';

afterAll(removeTempDirs);

async function rejectionOf(promise: Promise<unknown>): Promise<ImportError> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(ImportError);
		return error as ImportError;
	}
	throw new Error('expected the import to be refused');
}

describe('importAnnuaire', () => {
	it('reports malformed lines as file:line: reason, counts them, and completes', async () => {
		const dir = tempDir();
		const good = orgRow(1);
		const mss = writeMssante(join(dir, 'mss.txt'), [
			good,
			'ORG|trop@peu.mssante.fr|',
			`${'x|'.repeat(40)}`,
			orgRow(2, { 'Adresse BAL': 'pas-une-adresse' }),
			orgRow(3, { 'Type de BAL': 'XYZ' }),
			orgRow(4)
		]);
		const rejects: string[] = [];
		const summary = await importAnnuaire({
			mssante: mss,
			dbPath: join(dir, 'a.sqlite'),
			onReject: (f, l, r) => rejects.push(`${f}:${l}: ${r}`)
		});
		expect(rejects).toEqual([
			`${mss}:3: trop peu de champs (2 au lieu de 31)`,
			`${mss}:4: trop de champs (40 au lieu de 31)`,
			`${mss}:5: Adresse BAL absente ou invalide`,
			`${mss}:6: Type de BAL inconnu « XYZ » (attendu PER, ORG, APP ou CAB)`
		]);
		expect(summary).toMatchObject({ linesRead: 6, rejected: 4, entries: 2, mailboxes: 2 });
	});

	it('maps columns by name: reordered, extra and missing optional columns, with or without trailing |', async () => {
		const dir = tempDir();
		const headers = [
			'Colonne future',
			...[...MSSANTE_HEADERS].reverse().filter((h) => h !== 'Pays structure BAL')
		];
		const path = join(dir, 'mss.txt');
		const row = orgRow(7) as Record<string, string>;
		writeFileSync(path, [headers.join('|'), headers.map((h) => row[h] ?? '').join('|')].join('\n'));
		const summary = await importAnnuaire({ mssante: path, dbPath: join(dir, 'a.sqlite') });
		expect(summary).toMatchObject({ rejected: 0, mailboxes: 1 });
		const hit = (await new EmbeddedEngine(join(dir, 'a.sqlite')).search({ text: 'clinique test' }))
			.hits[0];
		expect(hit).toMatchObject({
			mailbox: 'service7@clinique-test.mssante.fr',
			organization: 'CLINIQUE TEST 7',
			department: '69'
		});
	});

	it('refuses a file missing a required column, naming it, and keeps the previous index', async () => {
		const dir = tempDir();
		const dbPath = join(dir, 'a.sqlite');
		await importAnnuaire({ mssante: writeMssante(join(dir, 'ok.txt'), [orgRow(1)]), dbPath });
		const before = statSync(dbPath).ino;
		const headers = MSSANTE_HEADERS.filter((h) => h !== 'Adresse BAL');
		const bad = writeMssante(join(dir, 'bad.txt'), [orgRow(2)], headers);
		const error = await rejectionOf(importAnnuaire({ mssante: bad, dbPath }));
		expect(error.code).toBe('IMPORT_MISSING_COLUMN');
		expect(error.message).toContain('« Adresse BAL »');
		expect(error.message).toContain(`${bad}:1:`);
		expect(statSync(dbPath).ino).toBe(before);
		expect((await new EmbeddedEngine(dbPath).search({ text: 'clinique' })).total).toBe(1);
	});

	it('refuses an empty file and a header-only file', async () => {
		const dir = tempDir();
		writeFileSync(join(dir, 'empty.txt'), '');
		const empty = await rejectionOf(
			importAnnuaire({ mssante: join(dir, 'empty.txt'), dbPath: join(dir, 'a.sqlite') })
		);
		expect(empty.message).toMatch(/fichier vide/);
		const headerOnly = await rejectionOf(
			importAnnuaire({
				mssante: writeMssante(join(dir, 'h.txt'), []),
				dbPath: join(dir, 'a.sqlite')
			})
		);
		expect(headerOnly.message).toMatch(/aucune ligne de données/);
		expect(existsSync(join(dir, 'a.sqlite'))).toBe(false);
	});

	it('refuses a Latin-1 file with the line of the first non-UTF-8 byte', async () => {
		const dir = tempDir();
		const utf8 = readFileSync(
			writeMssante(join(dir, 'u.txt'), [
				orgRow(1),
				orgRow(2, { 'Service de rattachement': 'Maternité' })
			]),
			'utf8'
		);
		const latin1 = join(dir, 'latin1.txt');
		writeFileSync(latin1, Buffer.from(utf8, 'latin1'));
		const error = await rejectionOf(
			importAnnuaire({ mssante: latin1, dbPath: join(dir, 'a.sqlite') })
		);
		expect(error.code).toBe('IMPORT_BAD_ENCODING');
		// Line 1 (the header) already has "Civilité" in Latin-1.
		expect(error.message.startsWith(`${latin1}:1: `)).toBe(true);
		expect(error.message).toContain('UTF-8');
	});

	it('reads the official zips, picking each extract out of PS_LibreAcces', async () => {
		const dir = tempDir();
		const txt = writeFixtureExtracts(dir);
		const mssZip = join(dir, 'Extraction_Correspondance_MSSante_202611220230.zip');
		writeFileSync(
			mssZip,
			zipSync({ 'Extraction_Correspondance_MSSante_202611220230.txt': readFileSync(txt.mssante) })
		);
		const psZip = join(dir, 'PS_LibreAcces_202611220230.zip');
		writeFileSync(
			psZip,
			zipSync({
				'PS_LibreAcces_Dipl_AutExerc_202611220230.txt': strToU8(
					'Identification nationale PP|Code diplôme obtenu|\n'
				),
				'PS_LibreAcces_Personne_activite_202611220230.txt': readFileSync(txt.activite),
				'PS_LibreAcces_SavoirFaire_202611220230.txt': readFileSync(txt.savoirFaire)
			})
		);
		const fromTxt = await importAnnuaire({ ...txt, dbPath: join(dir, 'txt.sqlite') });
		const fromZip = await importAnnuaire({
			mssante: mssZip,
			activite: psZip,
			savoirFaire: psZip,
			dbPath: join(dir, 'zip.sqlite')
		});
		expect(fromZip).toMatchObject({
			entries: fromTxt.entries,
			mailboxes: fromTxt.mailboxes,
			linesRead: fromTxt.linesRead,
			rejected: 0
		});
	});

	it('refuses a truncated zip and keeps the previous index', async () => {
		const dir = tempDir();
		const dbPath = join(dir, 'a.sqlite');
		const txt = writeFixtureExtracts(dir);
		await importAnnuaire({ ...txt, dbPath });
		const zip = zipSync(
			{ 'PS_LibreAcces_Personne_activite_1.txt': readFileSync(txt.activite) },
			{ level: 0 }
		);
		const truncated = join(dir, 'PS_LibreAcces_cut.zip');
		writeFileSync(truncated, zip.subarray(0, Math.floor(zip.length * 0.6)));
		const error = await rejectionOf(
			importAnnuaire({ mssante: txt.mssante, activite: truncated, dbPath })
		);
		expect(error.code).toBe('IMPORT_BAD_ARCHIVE');
		expect(error.message).toMatch(/tronquée|illisible/);
		expect((await new EmbeddedEngine(dbPath).search({ text: 'dupont' })).total).toBe(3);
	});

	it('applies a newer extract (added, changed, removed) while the open engine keeps answering', async () => {
		const dir = tempDir();
		const dbPath = join(dir, 'a.sqlite');
		await importAnnuaire({
			mssante: writeMssante(join(dir, 'v1.txt'), [orgRow(1), orgRow(2), orgRow(3)]),
			dbPath
		});
		const engine = new EmbeddedEngine(dbPath, { recheckMs: 0 });
		expect((await engine.search({ text: 'clinique' })).total).toBe(3);
		const v2 = writeMssante(join(dir, 'v2.txt'), [
			orgRow(1),
			orgRow(2, { 'Service de rattachement': 'Urgences' }),
			orgRow(4),
			orgRow(5)
		]);
		const summary = await importAnnuaire({ mssante: v2, dbPath });
		expect(summary).toMatchObject({ added: 2, changed: 1, removed: 1, mailboxes: 4 });
		const after = await engine.search({ text: 'clinique' });
		expect(after.total).toBe(4);
		expect(after.hits.map((h) => h.mailbox)).not.toContain('service3@clinique-test.mssante.fr');
		await engine.close();
	});

	it('refuses an extract whose size is far off the previous one, unless forced', async () => {
		const dir = tempDir();
		const dbPath = join(dir, 'a.sqlite');
		const many = Array.from({ length: 1200 }, (_, i) => orgRow(i));
		await importAnnuaire({ mssante: writeMssante(join(dir, 'big.txt'), many), dbPath });
		const small = writeMssante(join(dir, 'small.txt'), many.slice(0, 300));
		const error = await rejectionOf(importAnnuaire({ mssante: small, dbPath }));
		expect(error.code).toBe('IMPORT_SIZE_SUSPICIOUS');
		expect(error.message).toContain('--force');
		expect((await new EmbeddedEngine(dbPath).search({ type: 'ORG' })).total).toBe(1200);
		const forced = await importAnnuaire({ mssante: small, dbPath, force: true });
		expect(forced).toMatchObject({ mailboxes: 300, removed: 900 });
	});

	const REAL_SAMPLE = resolve(
		'../shared/annuaire-reference/PS_LibreAcces_Personne_activite__skema_small.txt'
	);
	it.skipIf(!existsSync(REAL_SAMPLE))(
		'maps the real Personne_activite header (52 columns, trailing |)',
		async () => {
			const dir = tempDir();
			const rejects: string[] = [];
			const summary = await importAnnuaire({
				mssante: writeMssante(join(dir, 'mss.txt'), [orgRow(1)]),
				activite: REAL_SAMPLE,
				dbPath: join(dir, 'a.sqlite'),
				onReject: (f, l, r) => rejects.push(`${f}:${l}: ${r}`)
			});
			expect(rejects).toEqual([]);
			expect(summary.files[1]).toMatchObject({ linesRead: 22, accepted: 22 });
			// Practitioners without a mailbox: the 22 rows hold 22 distinct people.
			expect(summary.withoutMailbox).toBe(22);
			const engine = new EmbeddedEngine(join(dir, 'a.sqlite'));
			const withCommune = (await engine.search({ hasMailbox: false, limit: 100 })).hits.filter(
				(h) => h.postalCode
			);
			for (const h of withCommune) expect(h.department).toBe(h.postalCode?.slice(0, 2));
		}
	);
});
