import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPkcs12 } from './pkcs12.ts';
import { open, seal } from './secret-box.ts';
import { TEST_INTERMEDIATE_CN, TEST_P12_PASSWORD } from './test-pki.ts';
import { createTrustFixtures, type TrustFixtures, rejection } from './test-trust-fixtures.ts';

let fx: TrustFixtures;

beforeAll(async () => {
	fx = await createTrustFixtures();
});

afterAll(async () => {
	await fx.close();
});

/** A PKCS#12 built here for the cases the lab's PKI does not ship. */
function p12(options: { certPems: string[]; keyPem?: string; password: string }): Uint8Array {
	const certs = options.certPems.map((pem) => forge.pki.certificateFromPem(pem));
	const key = options.keyPem ? forge.pki.privateKeyFromPem(options.keyPem) : null;
	const asn1 = forge.pkcs12.toPkcs12Asn1(key, certs, options.password, { algorithm: 'aes256' });
	return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

describe('importPkcs12', () => {
	it('imports an ORG AUTH_CLI certificate with its key and chain', async () => {
		const client = fx.pki.clients[0];
		const data = await readFile(client?.p12File ?? '');
		const imported = await importPkcs12({ data, password: TEST_P12_PASSWORD, anchors: fx.anchors });
		expect(imported.info).toMatchObject({
			commonName: client?.mailbox,
			organisation: client?.organization,
			extendedKeyUsages: ['clientAuth']
		});
		expect(imported.info.daysLeft).toBeGreaterThan(700);
		expect(imported.chain.map((c) => c.commonName)).toEqual([
			client?.mailbox,
			TEST_INTERMEDIATE_CN
		]);
		expect(imported.chainPem).toHaveLength(2);
		expect(imported.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
		// The key is usable by node:crypto and matches what the lab wrote for this client.
		const labKey = createPrivateKey(await readFile(client?.keyFile ?? ''));
		expect(createPrivateKey(imported.keyPem).equals(labKey)).toBe(true);
		// Stored sealed, and only the server secret opens it.
		const secret = 'x'.repeat(40);
		expect(open(seal(imported.keyPem, secret), secret).toString()).toBe(imported.keyPem);
	});

	it('refuses a wrong password without echoing it', async () => {
		const data = await readFile(fx.pki.clients[0]?.p12File ?? '');
		const error = await rejection(
			importPkcs12({ data, password: 'mauvais-mot-de-passe', anchors: fx.anchors })
		);
		expect(error.code).toBe('CERT_PKCS12_PASSWORD');
		expect(error.message).toBe('Mot de passe du certificat PKCS#12 incorrect.');
		expect(JSON.stringify({ ...error, message: error.message })).not.toContain(
			'mauvais-mot-de-passe'
		);
	});

	it('refuses a PKCS#12 without a private key', async () => {
		const certPem = await readFile(fx.pki.clients[0]?.certFile ?? '', 'utf8');
		const data = p12({ certPems: [certPem], password: 'pw' });
		const error = await rejection(importPkcs12({ data, password: 'pw', anchors: fx.anchors }));
		expect(error.code).toBe('CERT_PKCS12_NO_KEY');
		expect(error.message).toContain('ne contient pas de clé privée');
	});

	it('refuses a key whose certificate is missing from the container', async () => {
		const data = p12({
			certPems: [fx.good.certPem],
			keyPem: await readFile(fx.pki.clients[0]?.keyFile ?? '', 'utf8'),
			password: 'pw'
		});
		expect(
			(await rejection(importPkcs12({ data, password: 'pw', anchors: fx.anchors }))).code
		).toBe('CERT_PKCS12_NO_KEY');
	});

	it('refuses a server certificate (not ORG AUTH_CLI / clientAuth)', async () => {
		const data = p12({ certPems: [fx.good.certPem], keyPem: fx.good.keyPem, password: 'pw' });
		const error = await rejection(importPkcs12({ data, password: 'pw', anchors: fx.anchors }));
		expect(error.code).toBe('CERT_INVALID');
		expect(error.message).toContain("n'est pas un certificat d'authentification client");
	});

	it.each([
		['expired', 'CERT_EXPIRED', 'a expiré le'],
		['foreign', 'CERT_UNTRUSTED', 'aucune autorité de confiance IGC-Santé']
	] as const)('refuses the %s certificate of the lab PKI', async (name, code, text) => {
		const data = await readFile(fx.pki.bad[name].p12File);
		const error = await rejection(
			importPkcs12({ data, password: TEST_P12_PASSWORD, anchors: fx.anchors })
		);
		expect(error.code).toBe(code);
		expect(error.message).toContain(text);
	});

	it('refuses a file that is not PKCS#12', async () => {
		const error = await rejection(
			importPkcs12({ data: Buffer.from('bonjour'), password: 'x', anchors: fx.anchors })
		);
		expect(error.code).toBe('CERT_INVALID');
		expect(error.message).toContain("n'est pas un certificat PKCS#12");
	});
});
