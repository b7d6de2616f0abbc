import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TlsOptions } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailServer } from './test-mail-servers.ts';
import {
	badServerOptions,
	createTrustFixtures,
	type RunningServer,
	type TrustFixtures
} from './test-trust-fixtures.ts';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));

let fx: TrustFixtures;
let work: string;
let anchorsDir: string;
let dataDir: string;
const running: RunningServer[] = [];

beforeAll(async () => {
	fx = await createTrustFixtures();
	work = await mkdtemp(join(tmpdir(), 'confrere-cli-'));
	anchorsDir = join(work, 'anchors');
	dataDir = join(work, 'data');
	await mkdir(anchorsDir);
	await writeFile(join(anchorsDir, 'racine.pem'), fx.anchors[0] ?? '');
	await writeFile(join(anchorsDir, 'organisations.pem'), fx.anchors[1] ?? '');
});

afterAll(async () => {
	await Promise.all(running.map((s) => s.close()));
	await fx.close();
	await rm(work, { recursive: true, force: true });
});

/** Runs `node certs/cli.ts ...` as `npm run mss --` does (process.execPath is Node 24 here). */
function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [CLI, ...args], {
			env: { ...process.env, LOG_LEVEL: 'silent' }
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
		child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
		child.on('error', reject);
		child.on('close', (status) => resolve({ status, stdout, stderr }));
	});
}

async function server(
	protocol: 'imap' | 'smtp',
	tls: TlsOptions = { cert: fx.good.fullChainPem, key: fx.good.keyPem }
): Promise<string> {
	const s = await startMailServer({ protocol, implicitTls: false, tls });
	running.push(s);
	return `${protocol}://127.0.0.1:${s.port}`;
}

describe('npm run mss -- probe', () => {
	it('exits 0 and prints a French report for a conforming server (STARTTLS)', async () => {
		const { status, stdout } = await cli([
			'probe',
			await server('smtp'),
			'--anchors',
			anchorsDir,
			'--data-dir',
			dataDir
		]);
		expect(stdout).toContain('Protocole TLS     : TLSv1.3');
		expect(stdout).toContain('Certificat        : CN=localhost, O=OPERATEUR MSSANTE DE TEST, C=FR');
		expect(stdout).toContain(
			'  Chaîne          : localhost → TEST AC IGC-SANTE ELEMENTAIRE ORGANISATIONS'
		);
		expect(stdout).toContain('Capacités         : AUTH XOAUTH2 PLAIN DSN 8BITMIME');
		expect(stdout).toContain('Résultat          : CONFORME');
		expect(status).toBe(0);
	});

	it('exits 1 with the reason for a weak server and for a revoked certificate', async () => {
		const bad = badServerOptions(fx);
		const weak = await cli([
			'probe',
			await server('imap', bad.unlistedCipher),
			'--anchors',
			anchorsDir,
			'--data-dir',
			dataDir
		]);
		expect(weak.status).toBe(1);
		expect(weak.stdout).toContain(
			'NON CONFORME [TLS_POLICY] — Le serveur ne propose aucune des suites'
		);
		const revoked = await cli([
			'probe',
			await server('imap', bad.revoked),
			'--anchors',
			anchorsDir,
			'--data-dir',
			dataDir
		]);
		expect(revoked.status).toBe(1);
		expect(revoked.stdout).toContain(
			'NON CONFORME [CERT_REVOKED] — Le certificat « revoque.localhost » a été révoqué'
		);
	});

	it('exits 1 when only foreign anchors are given (--anchors replaces the default)', async () => {
		const foreignDir = join(work, 'foreign-anchors');
		await mkdir(foreignDir, { recursive: true });
		await copyFile(fx.pki.foreignRootCertFile, join(foreignDir, 'foreign.pem'));
		const { status, stdout } = await cli([
			'probe',
			await server('imap'),
			'--anchors',
			foreignDir,
			'--data-dir',
			dataDir
		]);
		expect(status).toBe(1);
		expect(stdout).toContain('[CERT_UNTRUSTED]');
	});

	it('exits 2 with a French message for usage and configuration errors', async () => {
		const usage = await cli(['probe']);
		expect(usage.status).toBe(2);
		expect(usage.stderr).toContain('Usage : npm run mss -- probe');
		const scheme = await cli(['probe', 'pop3://127.0.0.1:110', '--anchors', anchorsDir]);
		expect(scheme.status).toBe(2);
		expect(scheme.stderr).toContain('Schéma « pop3 » non pris en charge');
		const empty = await cli(['probe', 'imap://127.0.0.1:1', '--anchors', join(work, 'nowhere')]);
		expect(empty.status).toBe(2);
		expect(empty.stderr).toContain('[CERT_UNTRUSTED] Dossier des autorités de confiance illisible');
	});
});
