/**
 * Structure mailboxes administered from the webmail: the administrator declares an ORG mailbox,
 * adds a secretary with a local account (TOTP key shown once), changes a role, removes a member;
 * someone else neither sees it nor can declare one. Every change is in the audit trail.
 */
import { randomBytes } from 'node:crypto';
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

describe('structure mailboxes', () => {
	test('the administrator declares a structure and manages its members', async () => {
		const run = randomBytes(3).toString('hex');
		const address = `accueil-${run}@cabinet-martin.lab.mssante.test`;
		const context = await browser.newContext({ locale: 'fr-FR' });
		const page = await context.newPage();
		await signIn(page, baseUrl, labAccount('jeanne.martin@'));
		await page.getByRole('link', { name: 'Structures' }).click();
		await page.waitForURL(/\/structures$/);

		await page.getByLabel('Adresse MSSanté').fill(address);
		await page.getByLabel('Nom affiché (ECO.2.2.7)').fill('Accueil du cabinet Martin');
		await page.getByLabel('Premier responsable : RPPS ou compte local').fill('1990000000');
		await page.getByRole('button', { name: 'Déclarer la BAL' }).click();
		await expect(page.getByRole('alert').innerText()).resolves.toMatch(/RPPS \(11 chiffres\)/);

		await page.getByLabel('Premier responsable : RPPS ou compte local').fill('19900000001');
		await page.getByLabel('Nom du responsable').fill('Dr Jeanne MARTIN');
		await page.getByRole('button', { name: 'Déclarer la BAL' }).click();
		await page.waitForURL(/\/structures\/accueil-/);
		await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(
			'Accueil du cabinet Martin'
		);
		await expect(
			page.getByRole('cell', { name: 'Dr Jeanne MARTIN', exact: true }).count()
		).resolves.toBe(1);

		// A secretary without e-CPS: local account, weak password refused, then the TOTP key once.
		await page.getByLabel(/Personnel sans e-CPS/).check();
		await page.getByLabel('Identifiant du compte').fill(`sec-${run}`);
		await page.getByLabel('Nom affiché').fill('Sophie BERNARD');
		await page.getByLabel('Mot de passe initial').fill('court');
		await page.getByRole('button', { name: 'Ajouter' }).click();
		await expect(page.getByRole('alert').innerText()).resolves.toMatch(/12 caractères/);

		await page.getByLabel(/Personnel sans e-CPS/).check();
		await page.getByLabel('Identifiant du compte').fill(`sec-${run}`);
		await page.getByLabel('Nom affiché').fill('Sophie BERNARD');
		await page.getByLabel('Mot de passe initial').fill('Secretariat-2026-ok!');
		await page.getByRole('button', { name: 'Ajouter' }).click();
		const enrolment = page.getByRole('status');
		await expect(enrolment.innerText()).resolves.toMatch(/Compte local sec-\w+ créé/);
		await expect(enrolment.locator('.uri code').innerText()).resolves.toMatch(
			/^otpauth:\/\/totp\/Confr%C3%A8re(:|%3A)sec-\w+\?secret=[A-Z2-7]+/
		);
		const row = page.getByRole('row', { name: /Sophie BERNARD/ });
		await expect(row.innerText()).resolves.toMatch(/code TOTP jamais utilisé/);

		await row.getByLabel('Rôle de Sophie BERNARD').selectOption('lecture');
		await row.getByRole('button', { name: 'Changer' }).click();
		await page.waitForLoadState('networkidle');
		await expect(
			page
				.getByRole('row', { name: /Sophie BERNARD/ })
				.getByRole('combobox')
				.inputValue()
		).resolves.toBe('lecture');

		// The last responsable cannot be demoted or removed.
		await page
			.getByRole('row', { name: /Dr Jeanne MARTIN/ })
			.getByRole('button', { name: /Retirer/ })
			.click();
		await expect(page.getByRole('alert').innerText()).resolves.toMatch(/au moins un responsable/);

		await page
			.getByRole('row', { name: /Sophie BERNARD/ })
			.getByRole('button', { name: /Retirer/ })
			.click();
		await page.waitForLoadState('networkidle');
		await expect(page.getByRole('row', { name: /Sophie BERNARD/ }).count()).resolves.toBe(0);

		const csv = await (
			await page.request.get(
				`${baseUrl}/journal/export?bal=${encodeURIComponent(address)}&action=member`
			)
		).text();
		expect(csv.trim().split('\r\n')).toHaveLength(1 + 6);
		await context.close();

		// Another practitioner: neither listed nor reachable, and cannot declare.
		const other = await browser.newContext({ locale: 'fr-FR' });
		const paulPage = await other.newPage();
		await signIn(paulPage, baseUrl, labAccount('paul.durand@'));
		await paulPage.goto(`${baseUrl}/structures`);
		await expect(paulPage.getByText(address).count()).resolves.toBe(0);
		await expect(paulPage.getByRole('button', { name: 'Déclarer la BAL' }).count()).resolves.toBe(
			0
		);
		const response = await paulPage.goto(`${baseUrl}/structures/${encodeURIComponent(address)}`);
		expect(response?.status()).toBe(404);
		await other.close();
	});
});
