/**
 * The Annuaire Santé in the webmail, in real Chromium against the lab: searching by name and by
 * profession + city, facets that narrow the results, « Écrire » prefilling the composer (with
 * and without JavaScript), and the composer's recipient autocompletion driven by the keyboard.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { ensureDemoDirectory } from '../../annuaire-import/demo-data.ts';
import { launchBrowser } from './browser.ts';
import { labAccount, signIn } from './support.ts';

const baseUrl = inject('baseUrl');
/** The data folder of the e2e server (tests/support/app-server.ts labAppEnv). */
const DATA_DIR = join(import.meta.dirname, '..', '..', 'var', 'data');
const CLAIRE = 'claire.nguyen@lab.mssante.test';
let browser: Browser;

beforeAll(async () => {
	// The server opens the index lazily: importing before the first search is enough.
	await ensureDemoDirectory(DATA_DIR);
	browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
	await browser?.close();
});

async function search(page: Page, text: string) {
	const box = page.getByRole('searchbox', { name: 'Rechercher dans l’annuaire' });
	await box.fill(text);
	await Promise.all([
		page.waitForURL((url) => url.pathname === '/annuaire' && url.searchParams.get('q') === text),
		box.press('Enter')
	]);
	await page.waitForLoadState('domcontentloaded');
}

const results = (page: Page) => page.getByRole('list', { name: 'Résultats' }).getByRole('listitem');

async function total(page: Page): Promise<number> {
	const text = await page.locator('#results-title').innerText();
	return Number(text.replace(/\D/g, ''));
}

describe.each([
	{ name: 'JavaScript on', javaScriptEnabled: true },
	{ name: 'JavaScript off', javaScriptEnabled: false }
])('directory page ($name)', ({ javaScriptEnabled }) => {
	test('search, facets and « Écrire »', async () => {
		const context = await browser.newContext({ javaScriptEnabled });
		const page = await context.newPage();
		await signIn(page, baseUrl, labAccount('jeanne.martin@'));
		await page.getByRole('link', { name: 'Annuaire', exact: true }).click();
		await page.getByRole('heading', { level: 1, name: 'Annuaire Santé' }).waitFor();

		await search(page, 'nguyen');
		const claire = results(page).filter({ hasText: CLAIRE });
		await expect(claire.count()).resolves.toBe(1);
		await expect(claire.innerText()).resolves.toMatch(/Claire NGUYEN[\s\S]*Orthophoniste/i);

		await search(page, 'ortho lyon');
		await expect(results(page).filter({ hasText: CLAIRE }).count()).resolves.toBe(1);

		// Facets narrow: all of Lyon, then only its orthophonists.
		await search(page, 'lyon');
		const all = await total(page);
		const facet = page
			.getByRole('region', { name: 'Profession' })
			.getByRole('link', { name: /Orthophoniste/ });
		const facetCount = Number((await facet.locator('.count').innerText()).replace(/\D/g, ''));
		await Promise.all([page.waitForURL(/profession=91/), facet.click()]);
		const narrowed = await total(page);
		expect(narrowed).toBe(facetCount);
		expect(narrowed).toBeLessThan(all);
		for (const text of await results(page).allInnerTexts()) expect(text).toMatch(/Orthophoniste/);
		await expect(
			page.getByRole('list', { name: 'Filtres actifs' }).getByRole('link').innerText()
		).resolves.toMatch(/Profession : Orthophoniste/);

		await Promise.all([
			page.waitForURL(/\/ecrire\?a=/),
			results(page)
				.filter({ hasText: CLAIRE })
				.getByRole('link', { name: /Écrire à/ })
				.click()
		]);
		await expect(page.getByLabel('À', { exact: true }).inputValue()).resolves.toBe(CLAIRE);
		await context.close();
	});
});

test('a practitioner without a published mailbox says so', async () => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await signIn(page, baseUrl, labAccount('jeanne.martin@'));
	await page.goto(`${baseUrl}/annuaire?q=lyon`);
	const withoutMailbox = await page.getByText('Pas de messagerie MSSanté publiée').count();
	const withMailbox = await page.getByRole('link', { name: /Écrire à/ }).count();
	expect(withMailbox).toBeGreaterThan(0);
	expect(withoutMailbox + withMailbox).toBe(await results(page).count());
	await context.close();
});

test('composer: a recipient picked from the directory with the keyboard', async () => {
	const context = await browser.newContext();
	const page = await context.newPage();
	await signIn(page, baseUrl, labAccount('jeanne.martin@'));
	await page.getByRole('link', { name: 'Nouveau message' }).click();
	const to = page.getByRole('combobox', { name: 'À', exact: true });
	await to.click();
	await to.pressSequentially('claire nguy', { delay: 20 });
	const listbox = page.getByRole('listbox', { name: 'Suggestions de destinataires' });
	const option = listbox.getByRole('option').filter({ hasText: CLAIRE });
	await option.waitFor();
	await expect(to.getAttribute('aria-expanded')).resolves.toBe('true');
	await expect(option.innerText()).resolves.toMatch(/Orthophoniste/);

	// Walk down to Claire with ↓ and pick her with Entrée (which must not submit the form).
	const options = await listbox.getByRole('option').allInnerTexts();
	const index = options.findIndex((text) => text.includes(CLAIRE));
	for (let i = 0; i <= index; i++) await to.press('ArrowDown');
	await expect(option.getAttribute('aria-selected')).resolves.toBe('true');
	await to.press('Enter');
	await expect(to.inputValue()).resolves.toBe(`${CLAIRE}, `);
	await expect(to.getAttribute('aria-expanded')).resolves.toBe('false');
	expect(page.url()).toMatch(/\/ecrire$/);

	// A second address after the comma; Échap closes the suggestions and keeps what was typed.
	await to.pressSequentially('paul durand', { delay: 20 });
	await listbox.getByRole('option').filter({ hasText: 'paul.durand@lab.mssante.test' }).waitFor();
	await to.press('Escape');
	await expect(to.getAttribute('aria-expanded')).resolves.toBe('false');
	await expect(to.inputValue()).resolves.toBe(`${CLAIRE}, paul durand`);
	await context.close();
});
