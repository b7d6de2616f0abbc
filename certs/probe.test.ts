import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TlsOptions } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../src/lib/server/errors.ts';
import { parseProbeTarget, probe } from './probe.ts';
import { formatProbeReport } from './probe-report.ts';
import { startMailServer } from './test-mail-servers.ts';
import {
	badServerOptions,
	createTrustFixtures,
	type RunningServer,
	type TrustFixtures
} from './test-trust-fixtures.ts';

let fx: TrustFixtures;
let dataDir: string;
const running: RunningServer[] = [];

beforeAll(async () => {
	fx = await createTrustFixtures();
	dataDir = await mkdtemp(join(tmpdir(), 'confrere-probe-'));
});

afterAll(async () => {
	await Promise.all(running.map((s) => s.close()));
	await fx.close();
	await rm(dataDir, { recursive: true, force: true });
});

async function server(
	scheme: 'imap' | 'imaps' | 'smtp' | 'smtps',
	tls: TlsOptions = { cert: fx.good.fullChainPem, key: fx.good.keyPem },
	injectAfterStartTls = false
): Promise<string> {
	const s = await startMailServer({
		protocol: scheme.startsWith('imap') ? 'imap' : 'smtp',
		implicitTls: scheme.endsWith('s'),
		tls,
		injectAfterStartTls
	});
	running.push(s);
	return `${scheme}://127.0.0.1:${s.port}`;
}

describe('parseProbeTarget', () => {
	it('reads the scheme, host and port, with the usual default ports', () => {
		expect(parseProbeTarget('imap://imap.example.fr')).toEqual({
			scheme: 'imap',
			protocol: 'imap',
			host: 'imap.example.fr',
			port: 143,
			isStartTls: true
		});
		expect(parseProbeTarget('smtps://[::1]:4465')).toMatchObject({
			host: '::1',
			port: 4465,
			isStartTls: false
		});
	});

	it('refuses other schemes and garbage in French', () => {
		expect(() => parseProbeTarget('https://example.fr')).toThrow(
			/Schéma « https » non pris en charge/
		);
		expect(() => parseProbeTarget('pas une url')).toThrow(AppError);
	});
});

describe('probe', () => {
	it.each(['imap', 'imaps', 'smtp', 'smtps'] as const)(
		'%s: passes the IGC-Santé test operator',
		async (scheme) => {
			const report = await probe({ target: await server(scheme), anchors: fx.anchors, dataDir });
			expect(report.failure).toBeUndefined();
			expect(report.isOk).toBe(true);
			expect(report.peer?.certificate?.commonName).toBe('localhost');
			if (scheme.startsWith('imap')) {
				expect(report.greeting).toMatch(/^\* OK/);
				expect(report.capabilities).toContain('AUTH=XOAUTH2');
				// RFC 9051 §6.2.1: the capabilities are the ones given after TLS.
				expect(report.capabilities).not.toContain('STARTTLS');
			} else {
				expect(report.greeting).toMatch(/^220 /);
				expect(report.capabilities).toContain('AUTH XOAUTH2 PLAIN');
			}
			const text = formatProbeReport(report);
			expect(text).toContain('Résultat          : CONFORME');
			expect(text).toContain('Révocation        : localhost : non révoqué');
			expect(text).toMatch(/Validité\s+: du .* \(\d+ jours restants\)/);
		}
	);

	it.each([
		['tls11', 'TLS_POLICY', 'TLS 1.2'],
		['unlistedCipher', 'TLS_POLICY', 'suites de chiffrement'],
		['dh1024', 'TLS_POLICY', 'Diffie-Hellman'],
		['expired', 'CERT_EXPIRED', 'expiré'],
		['foreign', 'CERT_UNTRUSTED', 'IGC-Santé'],
		['revoked', 'CERT_REVOKED', 'révoqué']
	])('refuses the %s server over STARTTLS with the reason', async (name, code, text) => {
		const tls = badServerOptions(fx)[name];
		const report = await probe({ target: await server('imap', tls), anchors: fx.anchors, dataDir });
		expect(report.isOk).toBe(false);
		expect(report.failure?.code).toBe(code);
		expect(report.failure?.message).toContain(text);
		expect(formatProbeReport(report)).toContain(`Résultat          : NON CONFORME [${code}]`);
	});

	it('refuses a server that sends data right after accepting STARTTLS', async () => {
		for (const scheme of ['imap', 'smtp'] as const) {
			const target = await server(scheme, undefined, true);
			const report = await probe({ target, anchors: fx.anchors, dataDir });
			expect(report.failure?.message).toContain('injection STARTTLS');
		}
	});

	it('gives up on a server that accepts TCP but never answers the TLS handshake', async () => {
		const silent = createServer(() => undefined);
		await new Promise<void>((resolve) => silent.listen({ host: '127.0.0.1', port: 0 }, resolve));
		const { port } = silent.address() as AddressInfo;
		const report = await probe({
			target: `imaps://127.0.0.1:${port}`,
			anchors: fx.anchors,
			dataDir,
			timeoutMs: 200
		});
		silent.close();
		expect(report.failure).toMatchObject({ code: 'TLS_POLICY' });
		expect(report.failure?.message).toContain('négociation TLS sans réponse');
	});

	it('reports a closed port as a connection error', async () => {
		const s = await startMailServer({ protocol: 'smtp', implicitTls: false, tls: {} });
		await s.close();
		const report = await probe({
			target: `smtp://127.0.0.1:${s.port}`,
			anchors: fx.anchors,
			dataDir
		});
		expect(report.failure).toMatchObject({ code: 'SMTP_CONNECT' });
		expect(report.failure?.message).toContain('ECONNREFUSED');
	});
});
