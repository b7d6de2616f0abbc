/**
 * The first vertical slice in real Chromium against the real lab: sign in to a lab mailbox, see
 * the folders and the INBOX, open a message — with JavaScript on and off.
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

const practitioner = () => labAccount('jeanne.martin@');

describe.each([
	{ name: 'JavaScript on', javaScriptEnabled: true },
	{ name: 'JavaScript off', javaScriptEnabled: false }
])('reading slice ($name)', ({ javaScriptEnabled }) => {
	test('sign in, see folders and INBOX, open a message', async () => {
		const context = await browser.newContext({ javaScriptEnabled, locale: 'fr-FR' });
		const page = await context.newPage();
		const account = practitioner();
		await signIn(page, baseUrl, account);
		const folders = page.getByRole('navigation', { name: 'Dossiers' });
		await expect(folders.getByRole('link', { name: /Boîte de réception/ }).count()).resolves.toBe(
			1
		);
		for (const label of ['Brouillons', 'Envoyés', 'Corbeille', 'Archives']) {
			await expect(folders.getByRole('link', { name: new RegExp(label) }).count()).resolves.toBe(1);
		}
		const rows = page.getByRole('list', { name: 'Messages' }).getByRole('link');
		expect(await rows.count()).toBeGreaterThan(0);

		const first = rows.first();
		const rowText = (await first.locator('.subject').innerText()).trim();
		await first.click();
		await page.waitForURL(/\/INBOX\/\d+/);
		const heading = page.getByRole('heading', { level: 2 });
		const subject = (await heading.innerText()).trim();
		expect(rowText.endsWith(subject) || subject.length > 0).toBe(true);

		// The body is in a sandboxed frame without scripts, served with its own CSP.
		const frame = page.frameLocator('iframe[title="Contenu du message"]');
		await expect(frame.locator('body').innerText()).resolves.not.toBe('');
		const sandbox = await page
			.locator('iframe[title="Contenu du message"]')
			.getAttribute('sandbox');
		expect(sandbox).not.toContain('allow-scripts');
		expect(sandbox).not.toContain('allow-same-origin');
		await context.close();
	});
});

test('a wrong password gets the one generic message and no session', async () => {
	const context = await browser.newContext();
	const page = await context.newPage();
	await page.goto(`${baseUrl}/connexion`);
	await page.getByLabel('Adresse MSSanté').fill(practitioner().address);
	await page.getByLabel('Mot de passe').fill('mauvais-mot-de-passe');
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await expect(page.getByRole('alert').innerText()).resolves.toContain(
		'adresse ou mot de passe incorrect'
	);
	const cookies = await context.cookies();
	expect(cookies.find((c) => c.name === 'confrere_session')).toBeUndefined();
	await context.close();
});

test('pages of the app need a session', async () => {
	const context = await browser.newContext();
	const page = await context.newPage();
	await page.goto(`${baseUrl}/bal/b1/INBOX`);
	expect(new URL(page.url()).pathname).toBe('/connexion');
	await context.close();
});
