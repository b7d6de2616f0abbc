/** The command contract of issue 6, run as a real process (`node cli.ts`, as `npm run xdm` does). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AUTHOR_TEST, PATIENT_CORSE, tinyPdf } from './testing/fixtures.ts';
import type { toJsonSummary } from './xdm-summary.ts';

type Summary = ReturnType<typeof toJsonSummary>;

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));
// The repository pins Node 24 (type stripping); the system node may be older.
const PINNED = resolve(process.cwd(), 'node_modules/.bin/node');
const NODE = existsSync(PINNED) ? PINNED : process.execPath;

let dir = '';
const run = (...args: string[]) => spawnSync(NODE, [CLI, ...args], { encoding: 'utf8' });

beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'confrere-xdm-cli-'));
	writeFileSync(join(dir, 'doc.pdf'), tinyPdf());
	writeFileSync(join(dir, 'patient.json'), JSON.stringify(PATIENT_CORSE));
	writeFileSync(join(dir, 'author.json'), JSON.stringify(AUTHOR_TEST));
	writeFileSync(
		join(dir, 'bad-patient.json'),
		JSON.stringify({ ...PATIENT_CORSE, ins: '188102B17295166' })
	);
	writeFileSync(join(dir, 'bad-author.json'), JSON.stringify({ ...AUTHOR_TEST, rpps: '' }));
});

afterAll(() => {
	if (dir) rmSync(dir, { recursive: true, force: true });
});

const buildArgs = (patient: string, author: string, out: string) => [
	'build',
	'--pdf',
	join(dir, 'doc.pdf'),
	'--patient',
	join(dir, patient),
	'--author',
	join(dir, author),
	'--type',
	'18748-4',
	'--title',
	'ECHOGRAPHIE ABDOMINOPELVIENNE',
	'--date',
	'20220531',
	'--out',
	join(dir, out)
];

describe('npm run xdm', { timeout: 30_000 }, () => {
	it('build writes IHE_XDM.ZIP and the named PDF, and prints the headers', () => {
		const r = run(...buildArgs('patient.json', 'author.json', 'out'));
		expect(r.stderr).toBe('');
		expect(r.status).toBe(0);
		expect(readdirSync(join(dir, 'out')).sort()).toEqual([
			'20220531_CR_d_imagerie_medicale_CORSE_FIGATELLIX.pdf',
			'IHE_XDM.ZIP'
		]);
		expect(r.stdout.trim().split('\n')).toEqual([
			'Subject: XDM/1.0/DDM+ECHOGRAPHIE ABDOMINOPELVIENNE CORSE FIGATELLIX 12/10/1988',
			'X-MSS-CODECDA: 18748-4',
			'X-MSS-INS: O'
		]);
	});

	it('build exits non-zero naming the field on a bad patient or author, writing nothing', () => {
		const p = run(...buildArgs('bad-patient.json', 'author.json', 'none'));
		expect(p.status).toBe(2);
		expect(p.stderr).toMatch(/ins/);
		const a = run(...buildArgs('patient.json', 'bad-author.json', 'none'));
		expect(a.status).toBe(2);
		expect(a.stderr).toMatch(/rpps/);
		expect(existsSync(join(dir, 'none'))).toBe(false);
		expect(run('build', '--pdf', 'x').status).toBe(2);
	});

	it('read --json prints the contract shape, from the zip and from an .eml', () => {
		const zipPath = join(dir, 'out', 'IHE_XDM.ZIP');
		const fromZip = run('read', zipPath, '--json');
		expect(fromZip.status).toBe(0);
		const json = JSON.parse(fromZip.stdout) as Summary;
		expect(json.warnings).toEqual([]);
		expect(json.submissionSets[0]?.patientId).toBe(
			'188102B17295165^^^&1.2.250.1.213.1.4.10&ISO^NH'
		);
		expect(json.submissionSets[0]?.documents[0]).toMatchObject({
			typeCode: '18748-4',
			title: 'ECHOGRAPHIE ABDOMINOPELVIENNE',
			mimeType: 'text/xml',
			hashOk: true,
			patient: {
				ins: '188102B17295165',
				oid: '1.2.250.1.213.1.4.10',
				birthName: 'CORSE',
				firstName: 'FIGATELLIX',
				sex: 'M',
				birthDate: '1988-10-12',
				birthPlace: '2B172'
			}
		});

		const b64 = (buf: Buffer) => buf.toString('base64').replace(/.{76}/g, '$&\r\n');
		const eml = [
			'From: Dr Test <camille.exemple@test.mssante.fr>',
			'To: dr.x@hopital.mssante.fr',
			'Subject: XDM/1.0/DDM+ECHOGRAPHIE ABDOMINOPELVIENNE CORSE FIGATELLIX 12/10/1988',
			'MIME-Version: 1.0',
			'Content-Type: multipart/mixed; boundary="b1"',
			'',
			'--b1',
			'Content-Type: text/plain; charset=utf-8',
			'',
			'Bonjour',
			'--b1',
			'Content-Type: application/zip; name="IHE_XDM.zip"',
			'Content-Disposition: attachment; filename="IHE_XDM.zip"',
			'Content-Transfer-Encoding: base64',
			'',
			b64(readFileSync(zipPath)),
			'--b1--',
			''
		].join('\r\n');
		writeFileSync(join(dir, 'message.eml'), eml);
		const fromEml = run('read', join(dir, 'message.eml'), '--json');
		expect(fromEml.status).toBe(0);
		expect((JSON.parse(fromEml.stdout) as Summary).submissionSets).toEqual(json.submissionSets);
	});

	it('read refuses a hostile archive with a message, not a crash', () => {
		writeFileSync(join(dir, 'junk.zip'), Buffer.from('PK\u0003\u0004 not a zip'));
		const r = run('read', join(dir, 'junk.zip'), '--json');
		expect(r.status).toBe(2);
		expect(r.stderr).toMatch(/ZIP/);
	});
});
