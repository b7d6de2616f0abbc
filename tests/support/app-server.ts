/**
 * Starting the built webmail (adapter-node) against the lab, for the demo, the end-to-end tests
 * and the benchmarks. Configuration goes through the environment exactly as in production.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabInfo } from '../lab/lab.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The data folder of the webmail served on the lab (directory index, CRL cache). */
export const APP_DATA_DIR = path.join(REPO_ROOT, 'var', 'data');

/**
 * The server secret of the webmail served on the lab: made once and kept beside its data, because
 * what the app seals with it (audit chain, notes, certificate keys, patients) must survive a restart.
 */
export function labAppSecret(dataDir: string = APP_DATA_DIR): string {
	const file = path.join(dataDir, 'session-secret');
	if (existsSync(file)) return readFileSync(file, 'utf8').trim();
	mkdirSync(dataDir, { recursive: true });
	const secret = randomBytes(32).toString('base64url');
	writeFileSync(file, secret, { mode: 0o600 });
	return secret;
}

export interface AppServer {
	url: string;
	process: ChildProcess;
	stop: () => Promise<void>;
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

/** The environment that points the webmail at the lab (STARTTLS, the lab's test IGC-Santé chain). */
export function labAppEnv(
	lab: LabInfo,
	overrides: Record<string, string> = {}
): Record<string, string> {
	return {
		CONFRERE_DATA_DIR: APP_DATA_DIR,
		SESSION_SECRET: labAppSecret(),
		MSS_IMAP_HOST: lab.imap.host,
		MSS_IMAP_PORT: String(lab.imap.port),
		MSS_IMAP_SECURITY: 'starttls',
		MSS_SMTP_HOST: lab.smtp.host,
		MSS_SMTP_PORT: String(lab.smtp.port),
		MSS_SMTP_SECURITY: 'starttls',
		// The lab's certificate-only submission listener (ECO.1.3.1).
		MSS_SMTP_CERT_PORT: String(lab.smtp.certPort),
		MSS_TRUST_ANCHORS: lab.caFile,
		MSS_NIL: 'CONFRERE-LAB',
		// The demo GP is the administrator: certificates, structure mailboxes, the whole audit trail.
		ADMIN_ADDRESSES: 'jeanne.martin@lab.mssante.test',
		// The lab's Pro Santé Connect stand-in (a lab.json written before it existed has none).
		...(lab.psc
			? {
					PSC_ISSUER: lab.psc.issuer,
					PSC_CLIENT_ID: lab.psc.clientId,
					PSC_CLIENT_SECRET: lab.psc.clientSecret
				}
			: {}),
		...overrides
	};
}

export function isBuilt(): boolean {
	return existsSync(path.join(REPO_ROOT, 'build', 'index.js'));
}

export async function buildApp(log: (line: string) => void = console.log): Promise<void> {
	log('Building the webmail (vite build)…');
	await new Promise<void>((resolve, reject) => {
		const child = spawn(
			process.execPath,
			[
				path.join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
				'build',
				'--logLevel',
				'warn'
			],
			{
				cwd: REPO_ROOT,
				stdio: 'inherit'
			}
		);
		child.once('exit', (code) =>
			code === 0 ? resolve() : reject(new Error(`vite build exited with ${code}`))
		);
	});
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`webmail exited with code ${child.exitCode}`);
		try {
			const response = await fetch(`${url}/api/sante`);
			if (response.ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error(`webmail did not answer on ${url} within ${timeoutMs} ms`);
}

export async function startAppServer(options: {
	lab: LabInfo;
	port?: number;
	host?: string;
	env?: Record<string, string>;
	stdio?: 'inherit' | 'ignore' | 'pipe';
}): Promise<AppServer> {
	const port = options.port ?? (await freePort());
	const host = options.host ?? '127.0.0.1';
	const url = `http://${host}:${port}`;
	const child = spawn(
		process.execPath,
		[path.join(REPO_ROOT, 'tests', 'support', 'serve-http.ts')],
		{
			cwd: REPO_ROOT,
			env: {
				...process.env,
				...labAppEnv(options.lab),
				HOST: host,
				PORT: String(port),
				LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
				...options.env
			},
			stdio: ['ignore', options.stdio ?? 'inherit', options.stdio ?? 'inherit']
		}
	);
	await waitForHealth(url, child, 20_000);
	const stop = async () => {
		if (child.exitCode !== null) return;
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
		await exited;
		clearTimeout(timer);
	};
	return { url, process: child, stop };
}
