import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportError } from '../src/lib/server/errors.ts';
import { writeFixtureExtracts } from '../search/contract-fixture.ts';
import { fetchExtracts, fileNameFromDisposition, progressBar } from './fetch.ts';
import { removeTempDirs, tempDir } from './test-helpers.ts';

/** A throw-away CA and a localhost server certificate it signed, made by openssl. */
function makePki(dir: string): { ca: string; key: string; cert: string } {
	const o = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
	o(
		'req',
		'-x509',
		'-newkey',
		'ec',
		'-pkeyopt',
		'ec_paramgen_curve:P-256',
		'-nodes',
		'-keyout',
		'ca.key',
		'-out',
		'ca.pem',
		'-days',
		'2',
		'-subj',
		'/CN=AC TEST IGC-SANTE FICTIVE'
	);
	o(
		'req',
		'-newkey',
		'ec',
		'-pkeyopt',
		'ec_paramgen_curve:P-256',
		'-nodes',
		'-keyout',
		'server.key',
		'-out',
		'server.csr',
		'-subj',
		'/CN=localhost'
	);
	writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
	o(
		'x509',
		'-req',
		'-in',
		'server.csr',
		'-CA',
		'ca.pem',
		'-CAkey',
		'ca.key',
		'-CAcreateserial',
		'-out',
		'server.pem',
		'-days',
		'2',
		'-extfile',
		'san.ext'
	);
	const read = (f: string) => readFileSync(join(dir, f), 'utf8');
	return { ca: read('ca.pem'), key: read('server.key'), cert: read('server.pem') };
}

describe('fetchExtracts', () => {
	let dir: string;
	let server: Server;
	let base: string;
	let pki: ReturnType<typeof makePki>;
	let mssZip: Uint8Array;
	let psZip: Uint8Array;

	beforeAll(async () => {
		dir = tempDir();
		pki = makePki(dir);
		const fx = writeFixtureExtracts(dir);
		mssZip = zipSync({
			'Extraction_Correspondance_MSSante_202611220230.txt': readFileSync(fx.mssante)
		});
		psZip = zipSync({
			'PS_LibreAcces_Personne_activite_202611220230.txt': readFileSync(fx.activite),
			'PS_LibreAcces_SavoirFaire_202611220230.txt': readFileSync(fx.savoirFaire)
		});
		server = createServer({ key: pki.key, cert: pki.cert }, (req, res) => {
			const send = (name: string, body: Uint8Array) => {
				res.writeHead(200, {
					'content-type': 'application/zip',
					'content-length': body.length,
					'content-disposition': `attachment; filename=${name}`
				});
				res.end(body);
			};
			if (req.url === '/ok/Extraction_Correspondance_MSSante')
				send('Extraction_Correspondance_MSSante_202611220230.zip', mssZip);
			else if (req.url === '/ok/PS_LibreAcces') send('PS_LibreAcces_202611220230.zip', psZip);
			else if (req.url?.startsWith('/cut/')) {
				res.writeHead(200, {
					'content-length': mssZip.length,
					'content-disposition': 'attachment; filename=cut.zip'
				});
				res.write(mssZip.subarray(0, 100));
				setImmediate(() => res.destroy());
			} else {
				res.writeHead(404);
				res.end();
			}
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		base = `https://localhost:${(server.address() as AddressInfo).port}`;
	});
	afterAll(() => {
		server?.close();
		removeTempDirs();
	});

	it('downloads both extracts over TLS with the given CA, named as the server says', async () => {
		const out = join(dir, 'ok');
		const progress: number[] = [];
		const files = await fetchExtracts({
			outDir: out,
			baseUrl: `${base}/ok`,
			ca: [pki.ca],
			onProgress: (_n, received) => progress.push(received)
		});
		expect(files.map((f) => f.path.split('/').pop())).toEqual([
			'Extraction_Correspondance_MSSante_202611220230.zip',
			'PS_LibreAcces_202611220230.zip'
		]);
		expect(readFileSync(files[0]?.path ?? '')).toEqual(Buffer.from(mssZip));
		expect(progress.at(-1)).toBe(psZip.length);
	});

	it('refuses a server whose certificate does not chain to the given CA, and says how to fix it', async () => {
		const error = await fetchExtracts({
			outDir: join(dir, 'untrusted'),
			baseUrl: `${base}/ok`,
			ca: []
		}).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ImportError);
		expect((error as Error).message).toContain('--ca');
	});

	it('leaves no file behind when the download is cut', async () => {
		const out = join(dir, 'cut');
		const error = await fetchExtracts({
			outDir: out,
			baseUrl: `${base}/cut`,
			ca: [pki.ca],
			which: ['mssante']
		}).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ImportError);
		expect(readdirSync(out)).toEqual([]);
	});

	it('fetch --import through the CLI shows progress and imports', async () => {
		const caFile = join(dir, 'ca.pem');
		const db = join(dir, 'cli.sqlite');
		const cli = new URL('./cli.ts', import.meta.url).pathname;
		const child = spawn(process.execPath, [
			cli,
			'fetch',
			'--base-url',
			`${base}/ok`,
			'--ca',
			caFile,
			'--out',
			join(dir, 'cli'),
			'--import',
			'--db',
			db
		]);
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
		child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
		const code = await new Promise<number | null>((r) => child.on('close', r));
		expect(stderr).toMatch(/100 %/);
		expect(code).toBe(0);
		expect(stdout).toMatch(/11 BAL, 2 sans BAL publiée/);
		expect(existsSync(db)).toBe(true);
	});

	it('formats the progress bar and reads file names from Content-Disposition', () => {
		expect(progressBar(50, 100, 10)).toBe('[#####.....]  50 %  0,0/0,0 Mo');
		expect(
			fileNameFromDisposition('attachment; filename="PS_LibreAcces_202611220230.zip"', 'x.zip')
		).toBe('PS_LibreAcces_202611220230.zip');
		expect(fileNameFromDisposition('attachment; filename=../../etc/passwd', 'x.zip')).toBe('x.zip');
		expect(fileNameFromDisposition(undefined, 'x.zip')).toBe('x.zip');
	});
});
