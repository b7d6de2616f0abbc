/**
 * Test material for the trust layer's own tests, on top of the lab's test PKI (test-pki.ts):
 * a CRL server on loopback (started before the PKI so its URL goes into the certificates),
 * deliberately bad *server* certificates (expired, revoked, from a foreign CA) and a CRL that
 * revokes the bad one. Test-only; never imported by production code.
 */
import { getDiffieHellman } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';
import { join } from 'node:path';
import forge from 'node-forge';
import { expect } from 'vitest';
import { CertificateError } from '../src/lib/server/errors.ts';
import { createCrl } from './test-pki-crl.ts';
import {
	certificateToPem,
	createCertificate,
	generateRsaKeyPair,
	type Issuer,
	type KeyPair
} from './test-pki-x509.ts';
import { generateTestPki, type TestPkiInfo } from './test-pki.ts';

const DAY = 24 * 3600 * 1000;

export interface ServerIdentity {
	certPem: string;
	keyPem: string;
	/** certificate + intermediate, as a server presents it. */
	fullChainPem: string;
}

export interface TrustFixtures {
	dir: string;
	pki: TestPkiInfo;
	/** root + intermediate PEM texts: what `certs/anchors/` holds in production. */
	anchors: string[];
	good: ServerIdentity;
	expired: ServerIdentity;
	revoked: ServerIdentity;
	foreign: ServerIdentity;
	/** Issued under the test root by another CA than "Organisations" (ECO.1.1.10). */
	otherDomain: ServerIdentity;
	crlUrl: string;
	/** Serve the CRL (true) or answer 503 (false), to simulate an outage. */
	setCrlAvailable(available: boolean): void;
	/** Number of CRL downloads served so far. */
	crlHits(): number;
	close(): Promise<void>;
}

function keyPairFromPem(pem: string): KeyPair {
	const privateKey = forge.pki.privateKeyFromPem(pem);
	return {
		privateKey,
		publicKey: forge.pki.setRsaPublicKey(privateKey.n, privateKey.e),
		privateKeyPem: pem
	};
}

function serverIdentity(options: {
	issuer: Issuer;
	cn: string;
	notBefore: Date;
	notAfter: Date;
	crlUrl?: string;
}): ServerIdentity & { serialNumber: string } {
	const keys = generateRsaKeyPair();
	const cert = createCertificate({
		subject: [
			{ shortName: 'C', value: 'FR' },
			{ shortName: 'O', value: 'OPERATEUR MSSANTE DE TEST' },
			{ shortName: 'CN', value: options.cn }
		],
		keys,
		profile: 'server',
		issuer: options.issuer,
		notBefore: options.notBefore,
		notAfter: options.notAfter,
		altNames: ['localhost', '127.0.0.1'],
		...(options.crlUrl ? { crlUrl: options.crlUrl } : {})
	});
	const certPem = certificateToPem(cert);
	return {
		certPem,
		keyPem: keys.privateKeyPem,
		fullChainPem: certPem + certificateToPem(options.issuer.cert),
		serialNumber: cert.serialNumber
	};
}

async function listen(server: Server): Promise<number> {
	await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
	return (server.address() as AddressInfo).port;
}

export async function createTrustFixtures(): Promise<TrustFixtures> {
	const dir = await mkdtemp(join(tmpdir(), 'confrere-trust-'));
	let available = true;
	let hits = 0;
	const crlFile = join(dir, 'served.crl');
	const http = createServer((request, response) => {
		if (!available || request.url !== '/crl/organisations.crl') {
			response.writeHead(available ? 404 : 503).end();
			return;
		}
		hits++;
		readFile(crlFile).then(
			(body) => response.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(body),
			() => response.writeHead(500).end()
		);
	});
	const port = await listen(http);
	const crlUrl = `http://127.0.0.1:${port}/crl/organisations.crl`;
	const pki = await generateTestPki({ dir: join(dir, 'pki'), crlUrl });

	const [rootPem, rootKeyPem, intermediatePem, intermediateKeyPem] = await Promise.all([
		readFile(pki.rootCertFile, 'utf8'),
		readFile(pki.rootKeyFile, 'utf8'),
		readFile(pki.intermediateCertFile, 'utf8'),
		readFile(pki.intermediateKeyFile, 'utf8')
	]);
	const intermediate: Issuer = {
		cert: forge.pki.certificateFromPem(intermediatePem),
		keys: keyPairFromPem(intermediateKeyPem)
	};
	const now = Date.now();
	const valid = { notBefore: new Date(now - DAY), notAfter: new Date(now + 365 * DAY) };
	const good = serverIdentity({ issuer: intermediate, cn: 'localhost', crlUrl, ...valid });
	const revoked = serverIdentity({
		issuer: intermediate,
		cn: 'revoque.localhost',
		crlUrl,
		...valid
	});
	const expired = serverIdentity({
		issuer: intermediate,
		cn: 'expire.localhost',
		crlUrl,
		notBefore: new Date(now - 400 * DAY),
		notAfter: new Date(now - 2 * DAY)
	});
	const foreignKeys = generateRsaKeyPair();
	const foreignRoot = createCertificate({
		subject: [
			{ shortName: 'C', value: 'FR' },
			{ shortName: 'O', value: 'AUTORITE ETRANGERE' },
			{ shortName: 'CN', value: 'TEST AC ETRANGERE SERVEURS' }
		],
		keys: foreignKeys,
		profile: 'root',
		...valid
	});
	const foreign = serverIdentity({
		issuer: { cert: foreignRoot, keys: foreignKeys },
		cn: 'localhost',
		...valid
	});
	const otherCaKeys = generateRsaKeyPair();
	const otherCa = createCertificate({
		subject: [
			{ shortName: 'C', value: 'FR' },
			{ shortName: 'O', value: 'ASIP-SANTE' },
			{ shortName: 'CN', value: 'TEST AC IGC-SANTE ELEMENTAIRE PERSONNES' }
		],
		keys: otherCaKeys,
		profile: 'intermediate',
		issuer: { cert: forge.pki.certificateFromPem(rootPem), keys: keyPairFromPem(rootKeyPem) },
		...valid
	});
	const otherDomain = serverIdentity({
		issuer: { cert: otherCa, keys: otherCaKeys },
		cn: 'localhost',
		...valid
	});
	// The served CRL revokes the lab's revoked client and our revoked server (RFC 5280 §5.1).
	const crl = createCrl({
		issuer: intermediate,
		revoked: [
			{ serialNumber: pki.bad.revoked.serialNumber, revocationDate: new Date(now - 3600_000) },
			{ serialNumber: revoked.serialNumber, revocationDate: new Date(now - 3600_000) }
		],
		thisUpdate: new Date(now - DAY),
		nextUpdate: new Date(now + 30 * DAY),
		crlNumber: 2
	});
	await writeFile(crlFile, crl);

	return {
		dir,
		pki,
		anchors: [rootPem, intermediatePem],
		good,
		expired,
		revoked,
		foreign,
		otherDomain,
		crlUrl,
		setCrlAvailable: (value) => {
			available = value;
		},
		crlHits: () => hits,
		close: async () => {
			http.closeAllConnections();
			await new Promise<void>((resolve) => http.close(() => resolve()));
			await rm(dir, { recursive: true, force: true });
		}
	};
}

/**
 * PKCS#3 DHParameter of the 1024-bit RFC 2409 group 2 ("modp2"), for a server that offers a DH
 * group below the 2048 bits of ECO.1.1.3.
 */
export function weakDhParamPem(): string {
	const dh = getDiffieHellman('modp2');
	const p = forge.util.createBuffer(Buffer.from(dh.getPrime()).toString('binary'));
	const asn1 = forge.asn1;
	const int = (bytes: string): forge.asn1.Asn1 =>
		asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, bytes);
	const seq = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
		int('\x00' + p.getBytes()),
		int('\x02')
	]);
	const der = Buffer.from(asn1.toDer(seq).getBytes(), 'binary').toString('base64');
	return `-----BEGIN DH PARAMETERS-----\n${der.replace(/(.{64})/g, '$1\n').trimEnd()}\n-----END DH PARAMETERS-----\n`;
}

export interface RunningServer {
	port: number;
	close(): Promise<void>;
}

/** A TLS server on loopback that only completes handshakes (and echoes nothing). */
export async function startTlsServer(options: TlsOptions): Promise<RunningServer> {
	const server = createTlsServer(options, (socket) => {
		socket.on('error', () => socket.destroy());
		socket.end();
	});
	server.on('tlsClientError', () => undefined);
	await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
	return {
		port: (server.address() as AddressInfo).port,
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}

/** Server TLS options for each bad configuration the tests need. */
export function badServerOptions(fx: TrustFixtures): Record<string, TlsOptions> {
	const good = { cert: fx.good.fullChainPem, key: fx.good.keyPem };
	return {
		tls11: {
			...good,
			minVersion: 'TLSv1.1',
			maxVersion: 'TLSv1.1',
			ciphers: 'DEFAULT:@SECLEVEL=0'
		},
		unlistedCipher: { ...good, maxVersion: 'TLSv1.2', ciphers: 'AES256-GCM-SHA384' },
		dh1024: {
			...good,
			maxVersion: 'TLSv1.2',
			ciphers: 'DHE-RSA-AES256-GCM-SHA384:@SECLEVEL=0',
			dhparam: weakDhParamPem()
		},
		expired: { cert: fx.expired.fullChainPem, key: fx.expired.keyPem },
		revoked: { cert: fx.revoked.fullChainPem, key: fx.revoked.keyPem },
		foreign: { cert: fx.foreign.fullChainPem, key: fx.foreign.keyPem }
	};
}

/** Awaits a rejection and checks it is a `CertificateError` (the trust layer's only error type). */
export async function rejection(promise: Promise<unknown>): Promise<CertificateError> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(CertificateError);
	return error as CertificateError;
}
