import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	badServerOptions,
	createTrustFixtures,
	startTlsServer,
	type RunningServer,
	type TrustFixtures
} from './test-trust-fixtures.ts';
import { ECO_TLS12_SUITES, mssTlsOptions } from './tls-policy.ts';
import { assertTrustedPeer, describeHandshakeError, verifyPeer } from './verify-connection.ts';

let fx: TrustFixtures;
let dataDir: string;
const servers: Record<string, RunningServer> = {};
const sockets: TLSSocket[] = [];

beforeAll(async () => {
	fx = await createTrustFixtures();
	dataDir = await mkdtemp(join(tmpdir(), 'confrere-verify-'));
	servers.good = await startTlsServer({ cert: fx.good.fullChainPem, key: fx.good.keyPem });
	for (const [name, options] of Object.entries(badServerOptions(fx))) {
		servers[name] = await startTlsServer(options);
	}
});

afterAll(async () => {
	for (const socket of sockets) socket.destroy();
	await Promise.all(Object.values(servers).map((s) => s.close()));
	await fx.close();
	await rm(dataDir, { recursive: true, force: true });
});

function handshake(server: string, options: ConnectionOptions): Promise<TLSSocket> {
	const port = servers[server]?.port;
	return new Promise((resolve, reject) => {
		const socket = connect({ host: '127.0.0.1', port, ...options }, () => resolve(socket));
		sockets.push(socket);
		socket.once('error', reject);
	});
}

/** The webmail's own options (tls-policy.ts). */
const strict = (): ConnectionOptions => mssTlsOptions({ anchors: fx.anchors });

/**
 * A deliberately lax client, to show that verifyPeer catches what a misconfigured caller let
 * through (defence in depth behind mssTlsOptions).
 */
const lax: ConnectionOptions = {
	rejectUnauthorized: false,
	minVersion: 'TLSv1',
	ciphers: 'ALL:@SECLEVEL=0',
	minDHSize: 512
};

async function failure(server: string, options: ConnectionOptions): Promise<unknown> {
	return handshake(server, options).then(
		() => undefined,
		(e: unknown) => e
	);
}

describe('verifyPeer after a real handshake', () => {
	it('trusts the IGC-Santé test operator: TLS version, suite, key exchange, chain, CRL', async () => {
		const socket = await handshake('good', strict());
		const verdict = await verifyPeer(socket, {
			anchors: fx.anchors,
			dataDir,
			servername: 'localhost'
		});
		expect(verdict.reasons).toEqual([]);
		expect(verdict.isTrusted).toBe(true);
		expect(verdict.protocol).toBe('TLSv1.3');
		expect(verdict.keyExchange).toMatchObject({ type: 'ECDH' });
		expect(verdict.keyExchange?.bits).toBeGreaterThanOrEqual(256);
		expect(verdict.certificate?.commonName).toBe('localhost');
		expect(verdict.revocation).toMatchObject([{ status: 'good' }]);
		expect(() => assertTrustedPeer(verdict)).not.toThrow();
	});

	it('accepts TLS 1.2 with one of the six ECO.1.1.3 suites', async () => {
		const socket = await handshake('good', { ...strict(), maxVersion: 'TLSv1.2' });
		const verdict = await verifyPeer(socket, { anchors: fx.anchors, dataDir });
		expect(verdict).toMatchObject({ isTrusted: true, protocol: 'TLSv1.2' });
		expect(ECO_TLS12_SUITES).toContain(verdict.cipher);
	});

	it('refuses a server certificate of the right chain but the wrong name', async () => {
		const socket = await handshake('good', strict());
		const verdict = await verifyPeer(socket, {
			anchors: fx.anchors,
			dataDir,
			servername: 'imap.ailleurs.test'
		});
		expect(verdict.isTrusted).toBe(false);
		expect(verdict.reasons.join()).toContain('ne correspond pas au nom');
	});

	it('refuses TLS 1.1 (ECO.1.1.1)', async () => {
		const verdict = await verifyPeer(await handshake('tls11', lax), {
			anchors: fx.anchors,
			dataDir
		});
		expect(verdict).toMatchObject({ isTrusted: false, code: 'TLS_POLICY', protocol: 'TLSv1.1' });
		expect(verdict.reasons[0]).toContain('TLS 1.2 au minimum');
	});

	it('refuses a TLS 1.2 suite outside the six (ECO.1.1.3)', async () => {
		const verdict = await verifyPeer(await handshake('unlistedCipher', lax), {
			anchors: fx.anchors,
			dataDir
		});
		expect(verdict.isTrusted).toBe(false);
		expect(verdict.reasons.join(' ')).toContain('AES256-GCM-SHA384 refusée');
		expect(verdict.reasons.join(' ')).toContain("n'est pas éphémère");
	});

	it('refuses a 1024-bit DH group (ECO.1.1.3)', async () => {
		const verdict = await verifyPeer(await handshake('dh1024', lax), {
			anchors: fx.anchors,
			dataDir
		});
		expect(verdict.keyExchange).toEqual({ type: 'DH', bits: 1024 });
		expect(verdict.reasons).toEqual([
			'Groupe Diffie-Hellman de 1024 bits refusé : 2048 bits minimum (ECO.1.1.3).'
		]);
	});

	it('refuses expired, foreign-CA and revoked certificates', async () => {
		const expired = await verifyPeer(await handshake('expired', lax), {
			anchors: fx.anchors,
			dataDir
		});
		expect(expired).toMatchObject({ isTrusted: false, code: 'CERT_EXPIRED' });
		const foreign = await verifyPeer(await handshake('foreign', lax), {
			anchors: fx.anchors,
			dataDir
		});
		expect(foreign).toMatchObject({ isTrusted: false, code: 'CERT_UNTRUSTED' });
		const revoked = await verifyPeer(await handshake('revoked', lax), {
			anchors: fx.anchors,
			dataDir
		});
		expect(revoked).toMatchObject({ isTrusted: false, code: 'CERT_REVOKED' });
		expect(() => assertTrustedPeer(revoked)).toThrow(/Connexion refusée : .*révoqué/);
	});
});

describe('mssTlsOptions handshakes against bad servers', () => {
	it.each([
		['tls11', 'TLS_POLICY', 'TLS 1.2 ou plus récent'],
		['unlistedCipher', 'TLS_POLICY', 'suites de chiffrement autorisées'],
		['dh1024', 'TLS_POLICY', 'Diffie-Hellman'],
		['expired', 'CERT_EXPIRED', 'a expiré'],
		['foreign', 'CERT_UNTRUSTED', 'IGC-Santé']
	])('%s: the handshake fails and is explained in French', async (server, code, text) => {
		const error = describeHandshakeError(await failure(server, strict()));
		expect(error.code).toBe(code);
		expect(error.message).toContain(text);
	});

	it('revoked: OpenSSL alone lets it through, verifyPeer stops it by CRL', async () => {
		const socket = await handshake('revoked', strict());
		const verdict = await verifyPeer(socket, { anchors: fx.anchors, dataDir });
		expect(verdict.code).toBe('CERT_REVOKED');
	});
});
