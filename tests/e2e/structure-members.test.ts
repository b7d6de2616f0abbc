/**
 * A secretary without e-CPS works in the structure mailbox through Confrère (issue 7): the
 * administrator imports the structure's certificate and declares the mailbox, adds the secretary
 * as a local account; she signs in with her password and a TOTP code and reads the secretariat's
 * mail; once removed, her next request is refused.
 */
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { TEST_P12_PASSWORD } from '../../certs/test-pki.ts';
import { totp } from '../../src/lib/server/structure/totp.ts';
import { readLabInfo } from '../lab/lab.ts';
import { launchBrowser } from './browser.ts';
import { labAccount, signIn } from './support.ts';

const baseUrl = inject('baseUrl');
const SECRETARIAT = 'secretariat@cabinet-martin.lab.mssante.test';
let browser: Browser;

beforeAll(async () => {
	browser = await launchBrowser();
});

afterAll(async () => {
	await browser?.close();
});

async function ensureCertificate(page: Page): Promise<void> {
	await page.goto(`${baseUrl}/admin/certificats`);
	if ((await page.getByText(SECRETARIAT).count()) > 0) return;
	const client = readLabInfo().pki.clients.find((c) => c.mailbox === SECRETARIAT);
	if (!client) throw new Error('no lab certificate for the secretariat');
	const form = page.locator('form[action="?/importer"]');
	await form.getByLabel(/Fichier PKCS#12/).setInputFiles(client.p12File);
	await form.getByLabel('Mot de passe du fichier').fill(TEST_P12_PASSWORD);
	await form.getByLabel('Type de boîte').selectOption('ORG');
	await form.getByRole('button', { name: 'Importer le certificat' }).click();
	await page.waitForLoadState('domcontentloaded');
	await expect(page.getByText(SECRETARIAT).count()).resolves.toBeGreaterThan(0);
}

async function ensureStructure(page: Page): Promise<void> {
	await page.goto(`${baseUrl}/structures`);
	if ((await page.getByRole('link', { name: new RegExp(SECRETARIAT) }).count()) > 0) return;
	await page.getByLabel('Adresse MSSanté').fill(SECRETARIAT);
	await page.getByLabel('Nom affiché (ECO.2.2.7)').fill('Secrétariat du cabinet Martin');
	await page.getByLabel('Premier responsable : RPPS ou compte local').fill('19900000001');
	await page.getByLabel('Nom du responsable').fill('Dr Jeanne MARTIN');
	await page.getByRole('button', { name: 'Déclarer la BAL' }).click();
	await page.waitForURL(/\/structures\/secretariat/);
}

describe('structure mailbox members', () => {
	test('a local-account secretary reads the structure mailbox, and loses it once removed', async () => {
		const admin = await browser.newContext({ locale: 'fr-FR' });
		const adminPage = await admin.newPage();
		await signIn(adminPage, baseUrl, labAccount('jeanne.martin@'));
		await ensureCertificate(adminPage);
		await ensureStructure(adminPage);

		const run = randomBytes(3).toString('hex');
		const login = `sec-${run}`;
		const name = `Sophie BERNARD ${run}`;
		const password = 'Secretariat-2026-ok!';
		await adminPage.goto(`${baseUrl}/structures/${encodeURIComponent(SECRETARIAT)}`);
		await adminPage.getByLabel(/Personnel sans e-CPS/).check();
		await adminPage.getByLabel('Identifiant du compte').fill(login);
		await adminPage.getByLabel('Nom affiché').fill(name);
		await adminPage.getByLabel('Mot de passe initial').fill(password);
		await adminPage.getByRole('button', { name: 'Ajouter' }).click();
		const secret = (await adminPage.locator('.secret code').innerText()).replace(/\s+/g, '');

		const secretary = await browser.newContext({ locale: 'fr-FR' });
		const page = await secretary.newPage();
		await page.goto(`${baseUrl}/connexion`);
		await page.getByRole('link', { name: /compte local/ }).click();
		await page.getByLabel('Identifiant').fill(login);
		await page.getByLabel('Mot de passe').fill(password);
		await page
			.getByLabel(/Code à 6 chiffres/)
			.fill(totp(secret) === '123456' ? '654321' : '123456');
		await page.getByRole('button', { name: 'Se connecter' }).click();
		await expect(page.getByRole('alert').innerText()).resolves.toMatch(/Connexion impossible/);

		await page.getByLabel('Identifiant').fill(login);
		await page.getByLabel('Mot de passe').fill(password);
		await page.getByLabel(/Code à 6 chiffres/).fill(totp(secret));
		await page.getByRole('button', { name: 'Se connecter' }).click();
		await page.waitForURL(/\/bal\/s\d+\/INBOX$/);
		await expect(page.getByText(name).count()).resolves.toBeGreaterThan(0);
		const rows = page.getByRole('list', { name: 'Messages' }).getByRole('link');
		expect(await rows.count()).toBeGreaterThan(0);
		const inbox = page.url();

		// Removed by the administrator: the next request is refused.
		await adminPage.goto(`${baseUrl}/structures/${encodeURIComponent(SECRETARIAT)}`);
		await adminPage
			.getByRole('row', { name: new RegExp(name) })
			.getByRole('button', { name: /Retirer/ })
			.click();
		await adminPage.waitForLoadState('networkidle');
		const response = await page.goto(inbox);
		expect(response?.status()).toBe(403);
		await expect(page.getByText(/accès à la BAL .* a été retiré/).count()).resolves.toBe(1);

		const csv = await (
			await adminPage.request.get(
				`${baseUrl}/journal/export?personne=${encodeURIComponent(`local:${login}`)}&action=sign-in`
			)
		).text();
		expect(
			csv
				.trim()
				.split('\r\n')
				.slice(1)
				.map((l) => l.split(';')[6])
		).toEqual(['failure', 'ok']); // oldest first: the wrong code, then the sign-in
		await secretary.close();
		await admin.close();
	});
});
