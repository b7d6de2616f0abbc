/**
 * Pro Santé Connect in real Chromium against the lab: sign in through the stand-in's pages, read
 * and send mail over XOAUTH2, add the structure mailbox and switch in one click, and a refresh
 * token that dies (PSC logout) closes everything and signs the person out (ECO.1.2.6).
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { readLabInfo, type LabInfo } from '../lab/lab.ts';
import { pscControl } from '../lab/psc-client.ts';
import { launchBrowser } from './browser.ts';

const baseUrl = inject('baseUrl');
const JEANNE = 'jeanne.martin@lab.mssante.test';
const PAUL = 'paul.durand@lab.mssante.test';
const SECRETARIAT = 'secretariat@cabinet-martin.lab.mssante.test';
const SCREENS = 'var/screens';
let browser: Browser;
let lab: LabInfo;

beforeAll(async () => {
	lab = readLabInfo();
	await pscControl(lab.psc, 'reinitialiser');
	browser = await launchBrowser();
	mkdirSync(SCREENS, { recursive: true });
});

afterAll(async () => {
	await browser?.close();
	await pscControl(lab.psc, 'reinitialiser');
});

async function signInWithPsc(page: Page, person: RegExp, consent = true): Promise<void> {
	await page.goto(`${baseUrl}/connexion`);
	await page.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).click();
	await page.getByRole('heading', { name: 'Identification' }).waitFor();
	const option = page.getByLabel('Professionnel de santé').locator('option', { hasText: person });
	await page
		.getByLabel('Professionnel de santé')
		.selectOption((await option.getAttribute('value')) ?? '');
	await page.getByRole('button', { name: /S’identifier/ }).click();
	await page.getByRole('heading', { name: 'Autoriser Confrère ?' }).waitFor();
	await page.getByRole('button', { name: consent ? 'Autoriser' : 'Refuser' }).click();
}

describe('Pro Santé Connect', () => {
	test('sign in, read and send over XOAUTH2', async () => {
		const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
		const page = await context.newPage();
		await page.goto(`${baseUrl}/connexion`);
		await page.screenshot({ path: `${SCREENS}/psc-connexion-desktop.png` });
		await signInWithPsc(page, /Jeanne MARTIN/);
		await page.waitForURL(/\/bal\/b1\/INBOX$/);
		await expect(page.getByTitle('Utilisateur connecté').innerText()).resolves.toBe(
			'Jeanne MARTIN'
		);
		const list = page.getByRole('list', { name: 'Messages' });
		await list.getByRole('link').first().waitFor();
		expect(await list.getByRole('link').count()).toBeGreaterThan(0);

		const subject = `Essai PSC ${Date.now()}`;
		await page.getByRole('link', { name: 'Nouveau message' }).click();
		await page.getByLabel('À', { exact: true }).fill(PAUL);
		await page.getByLabel('Objet').fill(subject);
		await page
			.getByLabel('Message', { exact: true })
			.fill('Cher confrère,\nUn essai.\nCordialement.');
		await page.getByRole('button', { name: 'Envoyer' }).click();
		await page.getByRole('heading', { name: 'Message envoyé' }).waitFor({ timeout: 30_000 });
		await context.close();
	});

	test('add the structure mailbox and switch in one click', async () => {
		const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
		const page = await context.newPage();
		await signInWithPsc(page, /Jeanne MARTIN/);
		await page.waitForURL(/\/bal\/b1\/INBOX$/);
		const switcher = page.getByRole('navigation', { name: 'Boîtes aux lettres' });
		await switcher.getByRole('link', { name: 'Mes boîtes' }).click();
		await page.getByRole('heading', { name: 'Mes boîtes aux lettres' }).waitFor();

		// A mailbox the operator does not open for this person: clear message, nothing added.
		await page.getByLabel('Adresse MSSanté de la boîte').fill(PAUL);
		await page.getByRole('button', { name: 'Ajouter' }).click();
		await expect(page.getByRole('alert').innerText()).resolves.toContain(
			'n’a pas ouvert paul.durand@lab.mssante.test'
		);

		await page.getByLabel('Adresse MSSanté de la boîte').fill(SECRETARIAT);
		await page.getByRole('button', { name: 'Ajouter' }).click();
		await page.getByText(`Boîte ${SECRETARIAT} ajoutée.`).waitFor();
		await page.screenshot({ path: `${SCREENS}/psc-boites-desktop.png` });
		await page.setViewportSize({ width: 390, height: 844 });
		await page.screenshot({ path: `${SCREENS}/psc-boites-phone.png`, fullPage: true });
		await page.setViewportSize({ width: 1280, height: 800 });

		await switcher.getByRole('link', { name: SECRETARIAT }).click();
		await page.waitForURL(/\/bal\/b2\/INBOX$/);
		await expect(
			switcher.getByRole('link', { name: SECRETARIAT }).getAttribute('aria-current')
		).resolves.toBe('page');
		await page.getByRole('list', { name: 'Messages' }).getByRole('link').first().waitFor();
		await page.screenshot({ path: `${SCREENS}/psc-switch-desktop.png` });
		await switcher.getByRole('link', { name: JEANNE }).click();
		await page.waitForURL(/\/bal\/b1\/INBOX$/);
		await context.close();
	});

	test('“Se déconnecter partout” ends every session of the person', async () => {
		const first = await browser.newContext();
		const second = await browser.newContext();
		const a = await first.newPage();
		const b = await second.newPage();
		await signInWithPsc(a, /Claire NGUYEN/);
		await a.waitForURL(/\/bal\/b1\/INBOX$/);
		await signInWithPsc(b, /Claire NGUYEN/);
		await b.waitForURL(/\/bal\/b1\/INBOX$/);
		await a.goto(`${baseUrl}/boites`);
		await a.getByRole('button', { name: 'Se déconnecter partout' }).click();
		await a.waitForURL(/\/connexion$/);
		await b.reload();
		await b.waitForURL(/\/connexion\?suite=/);
		await first.close();
		await second.close();
	});

	test('refused consent: one clear message', async () => {
		const context = await browser.newContext();
		const page = await context.newPage();
		await signInWithPsc(page, /Paul DURAND/, false);
		await page.waitForURL(/\/connexion\?erreur=PSC_DENIED$/);
		await expect(page.getByRole('alert').innerText()).resolves.toBe(
			'Connexion annulée : l’autorisation a été refusée sur Pro Santé Connect.'
		);
		await context.close();
	});

	test('the refresh token dies: sessions closed, person signed out', async () => {
		// Short access tokens so that the webmail renews within the test.
		await pscControl(lab.psc, 'durees', { acces: '6' });
		const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
		const page = await context.newPage();
		try {
			await signInWithPsc(page, /Paul DURAND/);
			await page.waitForURL(/\/bal\/b1\/INBOX$/);
			await page.screenshot({ path: `${SCREENS}/psc-inbox-phone.png` });
			await pscControl(lab.psc, 'revoquer', { email: PAUL });
			// The next renewal (at 80 % of 6 s) fails; then any page goes back to sign-in.
			for (let attempt = 0; attempt < 60; attempt++) {
				await page.reload();
				if (page.url().includes('/connexion')) break;
				await new Promise((resolve) => setTimeout(resolve, 500));
			}
			expect(page.url()).toContain('/connexion');
			await page
				.getByText('Votre session Pro Santé Connect a pris fin : vos boîtes ont été fermées.')
				.waitFor();
			await page.screenshot({ path: `${SCREENS}/psc-fin-phone.png` });
		} finally {
			await pscControl(lab.psc, 'reinitialiser');
			await context.close();
		}
	});
});
