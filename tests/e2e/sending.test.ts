/**
 * Writing and sending in real Chromium against the lab: send with an undo window, cancel within
 * it (the message stays in Drafts), reply from a message, and an SMTP server that is down.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { readLabInfo } from '../lab/lab.ts';
import { startAppServer, type AppServer } from '../support/app-server.ts';
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

async function openFolder(page: Page, label: RegExp) {
	await page
		.getByRole('navigation', { name: 'Dossiers' })
		.getByRole('link', { name: label })
		.click();
	await page.waitForLoadState('networkidle');
}

describe.each([
	{ name: 'JavaScript on', javaScriptEnabled: true },
	{ name: 'JavaScript off', javaScriptEnabled: false }
])('sending ($name)', ({ javaScriptEnabled }) => {
	test('send a message: undo window, then Sent', async () => {
		const context = await browser.newContext({ javaScriptEnabled });
		const page = await context.newPage();
		await signIn(page, baseUrl, labAccount('jeanne.martin@'));
		const subject = `Essai d’envoi ${javaScriptEnabled ? 'js' : 'sans js'} ${Date.now()}`;
		await page.getByRole('link', { name: 'Nouveau message' }).click();
		await page.getByLabel('À', { exact: true }).fill(labAccount('paul.durand@').address);
		await page.getByLabel('Objet').fill(subject);
		await page
			.getByLabel('Message', { exact: true })
			.fill('Cher confrère,\nUn message d’essai.\nCordialement.');
		await page.getByRole('button', { name: 'Envoyer' }).click();
		await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toMatch(
			/Envoi dans|Envoi en cours|Message envoyé/
		);
		await page.getByRole('heading', { name: 'Message envoyé' }).waitFor({ timeout: 20_000 });

		await page.goto(`${baseUrl}/`);
		await openFolder(page, /Envoyés/);
		await expect(
			page.getByRole('list', { name: 'Messages' }).getByText(subject).count()
		).resolves.toBe(1);
		await context.close();
	});
});

test('cancel within the undo window keeps the message in Drafts', async () => {
	const context = await browser.newContext();
	const page = await context.newPage();
	await signIn(page, baseUrl, labAccount('jeanne.martin@'));
	const subject = `Brouillon annulé ${Date.now()}`;
	await page.getByRole('link', { name: 'Nouveau message' }).click();
	await page.getByLabel('À', { exact: true }).fill(labAccount('claire.nguyen@').address);
	await page.getByLabel('Objet').fill(subject);
	await page.getByLabel('Message', { exact: true }).fill('À annuler.');
	await page.getByRole('button', { name: 'Envoyer' }).click();
	await page.getByRole('button', { name: 'Annuler l’envoi' }).click();
	await page.getByRole('heading', { name: 'Envoi annulé' }).waitFor();
	await page.goto(`${baseUrl}/`);
	await openFolder(page, /Brouillons/);
	await expect(
		page.getByRole('list', { name: 'Messages' }).getByText(subject).count()
	).resolves.toBe(1);
	await context.close();
});

test('reply from a message keeps the thread and prefixes the subject', async () => {
	const context = await browser.newContext();
	const page = await context.newPage();
	await signIn(page, baseUrl, labAccount('jeanne.martin@'));
	await page.getByRole('list', { name: 'Messages' }).getByRole('link').first().click();
	await page.getByRole('link', { name: 'Répondre', exact: true }).click();
	await expect(page.getByLabel('Objet').inputValue()).resolves.toMatch(/^Re : /);
	await expect(page.getByLabel('Message', { exact: true }).inputValue()).resolves.toContain(
		'a écrit :'
	);
	expect(await page.locator('input[name="parent"]').inputValue()).toMatch(/^INBOX:\d+$/);
	await context.close();
});

test('the form refuses a bad recipient and keeps what was typed', async () => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await signIn(page, baseUrl, labAccount('jeanne.martin@'));
	await page.getByRole('link', { name: 'Nouveau message' }).click();
	await page.getByLabel('À', { exact: true }).fill('pas-une-adresse');
	await page.getByLabel('Objet').fill('Objet gardé');
	await page.getByLabel('Message', { exact: true }).fill('Texte gardé');
	await page.getByRole('button', { name: 'Envoyer' }).click();
	await expect(page.getByText('Adresse invalide').count()).resolves.toBe(1);
	await expect(page.getByLabel('Objet').inputValue()).resolves.toBe('Objet gardé');
	await expect(page.getByLabel('Message', { exact: true }).inputValue()).resolves.toBe(
		'Texte gardé'
	);
	await context.close();
});

describe('SMTP server down', () => {
	let broken: AppServer;

	beforeAll(async () => {
		broken = await startAppServer({
			lab: readLabInfo(),
			stdio: 'ignore',
			env: { MSS_SMTP_PORT: '1', UNDO_SEND_SECONDS: '0' }
		});
	});

	afterAll(async () => {
		await broken?.stop();
	});

	test('the user is told why and the message stays in Drafts', async () => {
		const context = await browser.newContext();
		const page = await context.newPage();
		await signIn(page, broken.url, labAccount('claire.nguyen@'));
		const subject = `Envoi impossible ${Date.now()}`;
		await page.getByRole('link', { name: 'Nouveau message' }).click();
		await page.getByLabel('À', { exact: true }).fill(labAccount('paul.durand@').address);
		await page.getByLabel('Objet').fill(subject);
		await page.getByLabel('Message', { exact: true }).fill('Ce message ne partira pas.');
		await page.getByRole('button', { name: 'Envoyer' }).click();
		await page
			.getByRole('heading', { name: 'Le message n’a pas pu être envoyé' })
			.waitFor({ timeout: 60_000 });
		await expect(page.getByText('Le serveur d’envoi ne répond pas').count()).resolves.toBe(1);
		await page.goto(`${broken.url}/`);
		await openFolder(page, /Brouillons/);
		await expect(
			page.getByRole('list', { name: 'Messages' }).getByText(subject).count()
		).resolves.toBe(1);
		await context.close();
	});
});

test('people written to come back first in the recipient suggestions', async () => {
	const context = await browser.newContext();
	const page = await context.newPage();
	await signIn(page, baseUrl, labAccount('claire.nguyen@'));
	// The applicative mailbox is not in the directory: only the history can suggest it.
	const target = labAccount('lgc@');
	await page.getByRole('link', { name: 'Nouveau message' }).click();
	await page.getByLabel('À', { exact: true }).fill(target.address);
	await page.getByLabel('Objet').fill(`Correspondant récent ${Date.now()}`);
	await page.getByLabel('Message', { exact: true }).fill('Pour mémoire.');
	await page.getByRole('button', { name: 'Envoyer' }).click();
	await page.getByRole('heading', { name: 'Message envoyé' }).waitFor({ timeout: 20_000 });

	await page.goto(`${baseUrl}/`);
	await page.getByRole('link', { name: 'Nouveau message' }).click();
	await page.getByLabel('À', { exact: true }).pressSequentially('lgc@cab', { delay: 30 });
	const suggestions = page.getByRole('listbox', { name: 'Suggestions de destinataires' });
	await suggestions
		.getByRole('option')
		.filter({ hasText: target.address })
		.waitFor({ timeout: 10_000 });
	await context.close();
});
