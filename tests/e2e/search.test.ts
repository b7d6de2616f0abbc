/**
 * Mail search in real Chromium against the lab, with JavaScript on and off: the search box of the
 * mail view, the results, opening a result, the advanced form (body search) and date validation.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { launchBrowser } from './browser.ts';
import { labAccount, signIn } from './support.ts';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
	browser = await launchBrowser();
});

afterAll(async () => {
	await browser?.close();
});

describe.each([
	{ name: 'JavaScript on', javaScriptEnabled: true },
	{ name: 'JavaScript off', javaScriptEnabled: false }
])('search ($name)', ({ javaScriptEnabled }) => {
	test('search from the box, see the results, open one', async () => {
		const context = await browser.newContext({ javaScriptEnabled, locale: 'fr-FR' });
		const page = await context.newPage();
		await signIn(page, baseUrl, labAccount('jeanne.martin@'));
		const box = page.getByRole('search').getByLabel('Rechercher dans les messages');
		await box.fill('Léo');
		await box.press('Enter');
		await page.waitForURL(/\/recherche\?q=L%C3%A9o/);
		await expect(page.getByRole('status').first().innerText()).resolves.toMatch(/trouvé/);
		const rows = page.getByRole('list', { name: /^Résultats/ }).getByRole('link');
		expect(await rows.count()).toBeGreaterThan(0);
		for (const text of await rows.locator('.subject').allInnerTexts())
			expect(text).toContain('Léo');
		// The advanced form keeps what was searched.
		await expect(
			page.getByLabel('Mots (expéditeur, destinataire ou objet)').inputValue()
		).resolves.toBe('Léo');

		await rows.first().click();
		await page.waitForURL(/\/INBOX\/\d+/);
		const subject = await page.getByRole('heading', { level: 2 }).innerText();
		expect(subject).toContain('Léo');
		await context.close();
	});

	test('advanced form: body search and date validation', async () => {
		const context = await browser.newContext({ javaScriptEnabled, locale: 'fr-FR' });
		const page = await context.newPage();
		await signIn(page, baseUrl, labAccount('jeanne.martin@'));
		const mailboxPath = new URL(page.url()).pathname.replace(/\/INBOX$/, '');

		await page.goto(`${baseUrl}${mailboxPath}/recherche`);
		await page.getByLabel('Mots (expéditeur, destinataire ou objet)').fill('rééducation');
		await page.getByRole('button', { name: 'Rechercher', exact: true }).last().click();
		await page.waitForURL(/q=r%C3%A9%C3%A9ducation/);
		await expect(page.getByRole('status').first().innerText()).resolves.toBe(
			'Aucun message ne correspond à la recherche.'
		);
		await page.getByLabel('Rechercher aussi dans le texte des messages').check();
		await page.getByRole('button', { name: 'Rechercher', exact: true }).last().click();
		await page.waitForURL(/corps=1/);
		const rows = page.getByRole('list', { name: /^Résultats/ }).getByRole('link');
		expect(await rows.count()).toBeGreaterThan(0);

		await page.goto(`${baseUrl}${mailboxPath}/recherche?depuis=31/02/2026`);
		await expect(page.getByRole('alert').innerText()).resolves.toContain(
			'La date « Reçu depuis le » n’est pas valide'
		);
		await context.close();
	});
});
