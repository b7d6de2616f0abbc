import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFixtureExtracts } from '../search/contract-fixture.ts';
import { MSSANTE_HEADERS } from './extract-format.ts';
import { orgRow, removeTempDirs, tempDir, writeMssante } from './test-helpers.ts';

afterAll(removeTempDirs);

const CLI = new URL('./cli.ts', import.meta.url).pathname;

function run(args: string[], env: Record<string, string> = {}) {
	const r = spawnSync(process.execPath, [CLI, ...args], {
		encoding: 'utf8',
		env: { ...process.env, ...env }
	});
	return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const CONTRACT_KEYS = [
	'mailbox',
	'mailboxType',
	'idNational',
	'lastName',
	'firstName',
	'professionCode',
	'professionLabel',
	'savoirFaire',
	'organization',
	'service',
	'postalCode',
	'city',
	'department'
];

describe('npm run annuaire', () => {
	it('imports into the data folder by default and searches it, with the JSON contract', () => {
		const dir = tempDir();
		const dataDir = join(dir, 'data');
		const paths = writeFixtureExtracts(dir);
		appendFileSync(paths.activite, '8|123|8123|trop|court|\n');
		const imported = run(
			[
				'import',
				'--mssante',
				paths.mssante,
				'--activite',
				paths.activite,
				'--savoir-faire',
				paths.savoirFaire
			],
			{ CONFRERE_DATA_DIR: dataDir }
		);
		expect(imported.code).toBe(0);
		expect(imported.stderr).toContain(`${paths.activite}:14: trop peu de champs (5 au lieu de 52)`);
		expect(imported.stdout).toMatch(
			/Import terminé : 29 lignes lues, 13 entrées \(11 BAL, 2 sans BAL publiée\), 1 rejetées/
		);
		expect(existsSync(join(dataDir, 'annuaire.sqlite'))).toBe(true);

		const found = run(['search', 'ortho dupont lyon', '--json'], { CONFRERE_DATA_DIR: dataDir });
		expect(found.code).toBe(0);
		const result = JSON.parse(found.stdout) as { total: number; hits: Record<string, unknown>[] };
		expect(result.total).toBe(1);
		expect(Object.keys(result.hits[0] ?? {})).toEqual(CONTRACT_KEYS);
		expect(result.hits[0]).toMatchObject({
			mailbox: 'claire.dupont@ortho.mssante.fr',
			mailboxType: 'PER',
			professionCode: '91',
			department: '69'
		});

		const withoutMailbox = JSON.parse(
			run(['search', 'colin', '--json'], { CONFRERE_DATA_DIR: dataDir }).stdout
		) as typeof result;
		expect(withoutMailbox.hits[0]).toMatchObject({ mailbox: null, lastName: 'COLIN' });

		const filtered = run(
			[
				'search',
				'dupont',
				'--profession',
				'91',
				'--departement',
				'75',
				'--type',
				'PER',
				'--limit',
				'5',
				'--json'
			],
			{ CONFRERE_DATA_DIR: dataDir }
		);
		expect((JSON.parse(filtered.stdout) as typeof result).hits.map((h) => h.mailbox)).toEqual([
			'sophie.dupont@ortho.mssante.fr'
		]);
		const bySpecialty = JSON.parse(
			run(['search', '', '--specialite', 'SM54', '--json'], { CONFRERE_DATA_DIR: dataDir }).stdout
		) as typeof result;
		expect(bySpecialty.total).toBe(2);
	});

	it('uses --db when given', () => {
		const dir = tempDir();
		const db = join(dir, 'other.sqlite');
		expect(
			run(['import', '--mssante', writeMssante(join(dir, 'm.txt'), [orgRow(1)]), '--db', db]).code
		).toBe(0);
		const r = JSON.parse(run(['search', 'clinique', '--db', db, '--json']).stdout) as {
			total: number;
		};
		expect(r.total).toBe(1);
	});

	it('exits 1 with a message when the import is refused, 2 on bad usage', () => {
		const dir = tempDir();
		const bad = writeMssante(
			join(dir, 'bad.txt'),
			[orgRow(1)],
			MSSANTE_HEADERS.filter((h) => h !== 'Type de BAL')
		);
		const refused = run(['import', '--mssante', bad, '--db', join(dir, 'a.sqlite')]);
		expect(refused.code).toBe(1);
		expect(refused.stderr).toContain('« Type de BAL »');
		expect(run(['import']).code).toBe(2);
		expect(run(['search', 'x', '--type', 'FOO']).code).toBe(2);
		expect(run(['search', 'x', '--limit', 'abc']).code).toBe(2);
		expect(run(['frobnicate']).code).toBe(2);
		const missing = run(['search', 'x', '--db', join(dir, 'none.sqlite')]);
		expect(missing.code).toBe(1);
		expect(missing.stderr).toContain('npm run annuaire -- import');
	});
});
