/**
 * Structure mailboxes by certificate (ECO.1.3.1) in real Chromium: an administrator imports the
 * ORG AUTH_CLI PKCS#12 of the secretariat at /admin/certificats, opens the structure mailbox in
 * one click and reads it (the lab requires the certificate); a wrong password gives a French
 * error; a certificate expiring within 30 days puts a banner in the app shell. Runs its own
 * webmail (ADMIN_ADDRESSES, its own data folder) against the lab.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
	certificateToPem,
	createCertificate,
	generateRsaKeyPair,
	toPkcs12
} from '../../certs/test-pki-x509.ts';
import { TEST_P12_PASSWORD } from '../../certs/test-pki.ts';
import { readLabInfo, type LabInfo } from '../lab/lab.ts';
import { REPO_ROOT, startAppServer, type AppServer } from '../support/app-server.ts';
import { launchBrowser } from './browser.ts';
import { labAccount, signIn } from './support.ts';

const SECRETARIAT = 'secretariat@cabinet-martin.lab.mssante.test';
const LGC = 'lgc@cabinet-martin.lab.mssante.test';
const dir = mkdtempSync(path.join(tmpdir(), 'confrere-e2e-certs-'));
const screens = path.join(REPO_ROOT, 'var', 'screens');
let lab: LabInfo;
let app: AppServer;
let browser: Browser;
let autoconfig: Server;
const AUTOCONFIG_HOST = 'autoconfig.lab.mssante.test';

function labIssuer() {
	const issuerCert = forge.pki.certificateFromPem(
		readFileSync(lab.pki.intermediateCertFile, 'utf8')
	);
	const issuerKeyPem = readFileSync(lab.pki.intermediateKeyFile, 'utf8');
	const issuerKey = forge.pki.privateKeyFromPem(issuerKeyPem);
	return {
		cert: issuerCert,
		keys: {
			privateKey: issuerKey,
			publicKey: forge.pki.setRsaPublicKey(issuerKey.n, issuerKey.e),
			privateKeyPem: issuerKeyPem
		}
	};
}

/** autoconfig.lab.mssante.test (IGC-Santé test chain) publishing the lab's IMAP and SMTP. */
async function startAutoconfigServer(): Promise<number> {
	const issuer = labIssuer();
	const keys = generateRsaKeyPair();
	const cert = createCertificate({
		subject: [{ shortName: 'CN', value: AUTOCONFIG_HOST }],
		keys,
		profile: 'server',
		issuer,
		notBefore: new Date(Date.now() - 86_400_000),
		notAfter: new Date(Date.now() + 30 * 86_400_000),
		altNames: [AUTOCONFIG_HOST]
	});
	const xml = `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1"><emailProvider id="lab.mssante.test">
<displayName>Laboratoire MSSanté</displayName>
<incomingServer type="imap"><hostname>${lab.imap.host}</hostname><port>${lab.imap.port}</port><socketType>STARTTLS</socketType></incomingServer>
<outgoingServer type="smtp"><hostname>${lab.smtp.host}</hostname><port>${lab.smtp.port}</port><socketType>STARTTLS</socketType></outgoingServer>
</emailProvider></clientConfig>`;
	autoconfig = createServer(
		{ cert: certificateToPem(cert) + certificateToPem(issuer.cert), key: keys.privateKeyPem },
		(request, response) => {
			if (request.url !== '/mail/config-v1.1.xml') return void response.writeHead(404).end();
			response.writeHead(200, { 'content-type': 'application/xml' }).end(xml);
		}
	);
	await new Promise<void>((resolve) => autoconfig.listen({ host: '127.0.0.1', port: 0 }, resolve));
	return (autoconfig.address() as AddressInfo).port;
}

/** A valid ORG AUTH_CLI certificate of the lab's PKI that expires in 12 days. */
function shortLivedP12(mailbox: string): string {
	const issuer = labIssuer();
	const issuerCert = issuer.cert;
	const keys = generateRsaKeyPair();
	const now = Date.now();
	const cert = createCertificate({
		subject: [
			{ shortName: 'C', value: 'FR' },
			{ shortName: 'O', value: 'Cabinet médical Martin' },
			{ shortName: 'OU', value: 'ORG AUTH_CLI' },
			{ shortName: 'CN', value: mailbox }
		],
		keys,
		profile: 'client',
		issuer,
		notBefore: new Date(now - 86_400_000),
		notAfter: new Date(now + 12 * 86_400_000 + 3_600_000),
		email: mailbox,
		crlUrl: lab.crlUrl
	});
	const file = path.join(dir, 'court.p12');
	writeFileSync(
		file,
		toPkcs12({ keys, chain: [cert, issuerCert], password: 'Court-P12', friendlyName: mailbox })
	);
	writeFileSync(path.join(dir, 'court.pem'), certificateToPem(cert));
	return file;
}

function p12Of(mailbox: string): string {
	const client = lab.pki.clients.find((c) => c.mailbox === mailbox);
	if (!client) throw new Error(`no test PKI client for ${mailbox}`);
	return client.p12File;
}

async function shoot(page: Page, name: string): Promise<void> {
	for (const width of [1280, 390]) {
		await page.setViewportSize({ width, height: width > 600 ? 900 : 844 });
		await page.screenshot({ path: path.join(screens, `${name}-${width}.png`), fullPage: true });
	}
	await page.setViewportSize({ width: 1280, height: 900 });
}

async function importP12(page: Page, file: string, password: string, kind: 'ORG' | 'APP') {
	const form = page.locator('form[action="?/importer"]');
	await form.getByLabel(/Fichier PKCS#12/).setInputFiles(file);
	await form.getByLabel('Mot de passe du fichier').fill(password);
	await form.getByLabel('Type de boîte').selectOption(kind);
	await form.getByRole('button', { name: 'Importer le certificat' }).click();
	await page.waitForLoadState('domcontentloaded');
}

beforeAll(async () => {
	lab = readLabInfo();
	await mkdir(screens, { recursive: true });
	const autoconfigPort = await startAutoconfigServer();
	app = await startAppServer({
		lab,
		stdio: 'ignore',
		env: {
			CONFRERE_DATA_DIR: path.join(dir, 'data'),
			ADMIN_ADDRESSES: 'jeanne.martin@lab.mssante.test',
			AUTOCONFIG_TEST_RESOLVE: `${AUTOCONFIG_HOST}=127.0.0.1:${autoconfigPort}`
		}
	});
	browser = await launchBrowser();
});

afterAll(async () => {
	await browser?.close();
	await app?.stop();
	await new Promise((resolve) => autoconfig?.close(resolve));
});

test('an administrator imports the secretariat certificate, opens the structure mailbox and reads it', async () => {
	const context = await browser.newContext({ locale: 'fr-FR' });
	const page = await context.newPage();
	await signIn(page, app.url, labAccount('jeanne.martin@'));
	await page.getByRole('link', { name: 'Certificats' }).click();
	await page.getByRole('heading', { name: 'Certificats des boîtes de structure' }).waitFor();
	await expect(page.getByText('Aucun certificat importé').count()).resolves.toBe(1);

	// Wrong password: a clear French message, nothing imported, the password not echoed.
	await importP12(page, p12Of(SECRETARIAT), 'pas-le-bon', 'ORG');
	await page.getByText('Mot de passe du certificat PKCS#12 incorrect.').waitFor();
	expect(await page.content()).not.toContain('pas-le-bon');
	await expect(page.getByText('Aucun certificat importé').count()).resolves.toBe(1);

	await importP12(page, p12Of(SECRETARIAT), TEST_P12_PASSWORD, 'ORG');
	await page.getByText(`Certificat de ${SECRETARIAT} importé.`).waitFor();
	const card = page
		.getByRole('listitem')
		.filter({ has: page.getByRole('heading', { name: SECRETARIAT }) });
	await expect(card.getByText('Cabinet médical Martin', { exact: true }).count()).resolves.toBe(1);
	await expect(card.getByText(/jours restants/).count()).resolves.toBe(1);
	await expect(
		card.getByText(/TEST AC IGC-SANTE ELEMENTAIRE ORGANISATIONS/).count()
	).resolves.toBeGreaterThan(0);
	await shoot(page, 'admin-certificats');

	// One click from the app shell's mailbox switcher opens the structure mailbox with its certificate.
	const switcher = page.getByRole('navigation', { name: 'Boîtes aux lettres' });
	await switcher.getByRole('button', { name: new RegExp(SECRETARIAT) }).click();
	await page.waitForURL(/\/bal\/b2\/INBOX$/, { waitUntil: 'domcontentloaded' });
	await expect(page.getByText('Boîte de structure').count()).resolves.toBeGreaterThan(0);
	const rows = page.getByRole('list', { name: 'Messages' }).getByRole('link');
	expect(await rows.count()).toBeGreaterThan(0);
	await rows.first().click();
	await page.waitForURL(/\/bal\/b2\/INBOX\/\d+/);
	await page.locator('iframe[title="Contenu du message"]').waitFor();
	await shoot(page, 'structure-mailbox');

	// Back to the personal mailbox through the switcher.
	await page
		.getByRole('navigation', { name: 'Boîtes aux lettres' })
		.getByRole('link', { name: /jeanne\.martin/ })
		.click();
	await page.waitForURL(/\/bal\/b1\/INBOX$/, { waitUntil: 'domcontentloaded' });
	await context.close();
});

test('a certificate expiring within 30 days puts a warning in the app shell for administrators', async () => {
	const context = await browser.newContext({ locale: 'fr-FR' });
	const page = await context.newPage();
	await signIn(page, app.url, labAccount('jeanne.martin@'));
	await page.goto(`${app.url}/admin/certificats`);
	await importP12(page, shortLivedP12(LGC), 'Court-P12', 'APP');
	await page.getByText(`Certificat de ${LGC} importé.`).waitFor();
	await page.goto(`${app.url}/`);
	await page.waitForURL(/\/INBOX$/, { waitUntil: 'domcontentloaded' });
	const banner = page.getByRole('status').filter({ hasText: `Le certificat de ${LGC} expire le` });
	await banner.waitFor();
	await expect(banner.getByText(/\(1[12]\s*jours\)/).count()).resolves.toBe(1);
	await shoot(page, 'certificate-banner');
	await context.close();

	// Not an administrator: no link, no banner, and the page is refused.
	const other = await browser.newContext({ locale: 'fr-FR' });
	const otherPage = await other.newPage();
	await signIn(otherPage, app.url, labAccount('paul.durand@'));
	await expect(otherPage.getByRole('link', { name: 'Certificats' }).count()).resolves.toBe(0);
	await expect(otherPage.getByText(`Le certificat de ${LGC}`).count()).resolves.toBe(0);
	const response = await otherPage.goto(`${app.url}/admin/certificats`);
	expect(response?.status()).toBe(403);
	await other.close();
});

test('autoconfiguration finds the operator from an address and tests the connection (ECO.1.1.9)', async () => {
	const context = await browser.newContext({ locale: 'fr-FR' });
	const page = await context.newPage();
	await signIn(page, app.url, labAccount('jeanne.martin@'));
	await page.getByRole('link', { name: 'Opérateur' }).click();
	await page.getByRole('heading', { name: 'Configuration de l’opérateur MSSanté' }).waitFor();

	// A domain without autoconfig: a French message, the manual settings remain.
	await page.getByLabel('Adresse d’une boîte MSSanté de l’opérateur').fill('a@inconnu.invalid');
	await page.getByRole('button', { name: 'Détecter et tester' }).click();
	await page.getByText(/injoignable|Pas de configuration automatique/).waitFor();
	await expect(page.getByRole('heading', { name: 'Paramètres manuels' }).count()).resolves.toBe(1);

	await page
		.getByLabel('Adresse d’une boîte MSSanté de l’opérateur')
		.fill('jeanne.martin@lab.mssante.test');
	await page.getByRole('button', { name: 'Détecter et tester' }).click();
	await page
		.getByRole('heading', { name: 'Test de connexion : conforme' })
		.waitFor({ timeout: 30_000 })
		.catch(async (error: unknown) => {
			await shoot(page, 'autoconfig-failure');
			throw error;
		});
	await expect(page.getByText(`MSS_IMAP_PORT=${lab.imap.port}`).count()).resolves.toBe(1);
	await shoot(page, 'autoconfig');

	// Manual fallback: implicit TLS on the STARTTLS port fails the test, with the probe's reason.
	await page.getByLabel('Serveur').first().fill(lab.imap.host);
	await page.getByLabel('Port').first().fill(String(lab.imap.port));
	await page.getByLabel('Sécurité').first().selectOption('tls');
	await page.getByLabel('Serveur').nth(1).fill(lab.smtp.host);
	await page.getByLabel('Port').nth(1).fill(String(lab.smtp.port));
	await page.getByRole('button', { name: 'Tester ces paramètres' }).click();
	await page
		.getByRole('heading', { name: 'Test de connexion : non conforme' })
		.waitFor({ timeout: 30_000 });
	await context.close();
});
