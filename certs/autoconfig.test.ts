import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	autoconfigUrl,
	fetchAutoconfig,
	parseAutoconfig,
	resolveOverrideFromEnv
} from './autoconfig.ts';
import { certificateToPem, createCertificate, generateRsaKeyPair } from './test-pki-x509.ts';
import { createTrustFixtures, type TrustFixtures } from './test-trust-fixtures.ts';

const HOST = 'autoconfig.operateur-test.mssante.test';

function config(incoming: string, outgoing: string): string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="operateur-test.mssante.test">
    <domain>operateur-test.mssante.test</domain>
    <displayName>Opérateur de test</displayName>
    ${incoming}
    ${outgoing}
  </emailProvider>
</clientConfig>`;
}

const IMAP_STARTTLS = `<incomingServer type="imap"><hostname>imap.operateur-test.mssante.test</hostname><port>143</port><socketType>STARTTLS</socketType><username>%EMAILADDRESS%</username></incomingServer>`;
const IMAP_SSL = `<incomingServer type="imap"><hostname>imaps.operateur-test.mssante.test</hostname><port>993</port><socketType>SSL</socketType></incomingServer>`;
const SMTP_STARTTLS = `<outgoingServer type="smtp"><hostname>smtp.operateur-test.mssante.test</hostname><port>587</port><socketType>STARTTLS</socketType></outgoingServer>`;

function code(fn: () => unknown): string {
	try {
		fn();
		return 'OK';
	} catch (error) {
		return (error as Error).message;
	}
}

describe('parseAutoconfig (ECO.1.1.9)', () => {
	it('reads the IMAP and SMTP servers, STARTTLS first', () => {
		expect(parseAutoconfig(config(IMAP_SSL + IMAP_STARTTLS, SMTP_STARTTLS))).toEqual({
			imap: { host: 'imap.operateur-test.mssante.test', port: 143, security: 'starttls' },
			smtp: { host: 'smtp.operateur-test.mssante.test', port: 587, security: 'starttls' },
			provider: 'Opérateur de test'
		});
		expect(parseAutoconfig(config(IMAP_SSL, SMTP_STARTTLS)).imap).toEqual({
			host: 'imaps.operateur-test.mssante.test',
			port: 993,
			security: 'tls'
		});
	});

	it('refuses a DTD or entities before parsing (no XXE, no entity expansion)', () => {
		const xxe = `<?xml version="1.0"?><!DOCTYPE clientConfig [<!ENTITY x SYSTEM "file:///etc/passwd">]><clientConfig>&x;</clientConfig>`;
		expect(code(() => parseAutoconfig(xxe))).toMatch(/DTD ou des entités/);
		const laughs = `<!ENTITY lol "lol"><clientConfig/>`;
		expect(code(() => parseAutoconfig(laughs))).toMatch(/DTD ou des entités/);
	});

	it('refuses cleartext servers, missing servers, bad ports and other documents in French', () => {
		const plain = IMAP_STARTTLS.replace('STARTTLS', 'plain');
		expect(code(() => parseAutoconfig(config(plain, SMTP_STARTTLS)))).toMatch(
			/sans chiffrement \(PLAIN\), refusé/
		);
		expect(code(() => parseAutoconfig(config(IMAP_STARTTLS, '')))).toMatch(/aucun serveur SMTP/);
		expect(
			code(() => parseAutoconfig(config(IMAP_STARTTLS.replace('143', '99999'), SMTP_STARTTLS)))
		).toMatch(/port IMAP invalide/);
		expect(
			code(() =>
				parseAutoconfig(config(IMAP_STARTTLS.replace('imap.operateur', 'bad host;'), SMTP_STARTTLS))
			)
		).toMatch(/serveur IMAP absent ou invalide/);
		expect(code(() => parseAutoconfig('<html><body/></html>'))).toMatch(/pas un clientConfig/);
		expect(code(() => parseAutoconfig('<clientConfig><emailProvider>'))).toMatch(/illisible/);
		expect(code(() => parseAutoconfig('x'.repeat(70_000)))).toMatch(/illisible/);
	});

	it('builds the autoconfig URL from the address domain and refuses a bad address', () => {
		expect(autoconfigUrl('Secretariat@Cabinet.MSSante.fr').href).toBe(
			'https://autoconfig.cabinet.mssante.fr/mail/config-v1.1.xml'
		);
		expect(code(() => autoconfigUrl('pas-une-adresse'))).toMatch(/adresse MSSanté valide/);
		expect(code(() => autoconfigUrl('a@evil.test/x?'))).toMatch(/adresse MSSanté valide/);
		expect(resolveOverrideFromEnv(`${HOST}=127.0.0.1:8443`)).toEqual({
			[HOST]: { address: '127.0.0.1', port: 8443 }
		});
	});
});

describe('fetchAutoconfig over real HTTPS', () => {
	let fx: TrustFixtures;
	let server: Server;
	let port: number;
	let body = config(IMAP_STARTTLS, SMTP_STARTTLS);
	let status = 200;

	beforeAll(async () => {
		fx = await createTrustFixtures();
		const intermediateKeyPem = await readFile(fx.pki.intermediateKeyFile, 'utf8');
		const intermediateKey = forge.pki.privateKeyFromPem(intermediateKeyPem);
		const intermediate = {
			cert: forge.pki.certificateFromPem(await readFile(fx.pki.intermediateCertFile, 'utf8')),
			keys: {
				privateKey: intermediateKey,
				publicKey: forge.pki.setRsaPublicKey(intermediateKey.n, intermediateKey.e),
				privateKeyPem: intermediateKeyPem
			}
		};
		const keys = generateRsaKeyPair();
		const cert = createCertificate({
			subject: [{ shortName: 'CN', value: HOST }],
			keys,
			profile: 'server',
			issuer: intermediate,
			notBefore: new Date(Date.now() - 86_400_000),
			notAfter: new Date(Date.now() + 30 * 86_400_000),
			altNames: [HOST]
		});
		server = createServer(
			{
				cert: certificateToPem(cert) + certificateToPem(intermediate.cert),
				key: keys.privateKeyPem
			},
			(request, response) => {
				if (request.url !== '/mail/config-v1.1.xml') return void response.writeHead(404).end();
				response.writeHead(status, { 'content-type': 'application/xml' }).end(body);
			}
		);
		await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
		port = (server.address() as AddressInfo).port;
	});

	afterAll(async () => {
		await new Promise((resolve) => server?.close(resolve));
		await fx?.close();
	});

	const fetchIt = (anchors = fx.anchors) =>
		fetchAutoconfig({
			address: 'secretariat@operateur-test.mssante.test',
			anchors,
			resolve: { [HOST]: { address: '127.0.0.1', port } },
			timeoutMs: 10_000
		});

	it('fetches and applies the settings from an IGC-Santé certified host', async () => {
		body = config(IMAP_STARTTLS, SMTP_STARTTLS);
		status = 200;
		await expect(fetchIt()).resolves.toMatchObject({
			imap: { host: 'imap.operateur-test.mssante.test', port: 143, security: 'starttls' }
		});
	});

	it('refuses a host whose certificate is neither IGC-Santé nor web PKI', async () => {
		await expect(fetchIt([])).rejects.toThrow(/n’est pas reconnu/);
	});

	it('says so when the domain has no autoconfig, and refuses a hostile document', async () => {
		status = 404;
		await expect(fetchIt()).rejects.toThrow(/Pas de configuration automatique.*HTTP 404/);
		status = 200;
		body = `<!DOCTYPE x [<!ENTITY a "b">]><clientConfig/>`;
		await expect(fetchIt()).rejects.toThrow(/DTD ou des entités/);
	});
});
