/**
 * The audit trail seen from the webmail: each operation writes exactly one entry (sign-in, read,
 * attachment download, sign-out), the journal page filters it, the CSV export carries the entries
 * and never the message content, and a person only sees their own mailboxes' entries.
 */
import type { Browser, Page } from 'playwright-core';
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

async function exportCsv(page: Page, query: string): Promise<string[]> {
	const response = await page.request.get(`${baseUrl}/journal/export?${query}`);
	expect(response.status()).toBe(200);
	expect(response.headers()['content-type']).toContain('text/csv');
	return (await response.text())
		.replace(/^\uFEFF/, '')
		.trim()
		.split('\r\n');
}

function count(lines: string[], fragment: string): number {
	return lines.filter((line) => line.includes(fragment)).length;
}

describe('audit journal', () => {
	test('each operation writes exactly one entry; export has no content', async () => {
		const context = await browser.newContext({ locale: 'fr-FR' });
		const page = await context.newPage();
		const account = labAccount('claire.nguyen@');
		const mine = `personne=${encodeURIComponent(account.address)}`;

		await signIn(page, baseUrl, account);
		const signIns = await exportCsv(page, `${mine}&action=sign-in`);
		const before = signIns.length;

		const rows = page.getByRole('list', { name: 'Messages' }).getByRole('link');
		const first = rows.first();
		await first.click();
		await page.waitForURL(/\/INBOX\/\d+/);
		const uid = /\/INBOX\/(\d+)/.exec(page.url())![1]!;
		const subject = (await page.getByRole('heading', { level: 2 }).innerText()).trim();
		const request = `UID FETCH ${uid} (INBOX)`;

		const reads = await exportCsv(page, `${mine}&action=read`);
		expect(count(reads, request)).toBeGreaterThanOrEqual(1);
		const readsBefore = count(reads, request);
		// Opening it again in the same session is served from the short cache: no new IMAP read.
		await page.reload();
		await page.goto(`${baseUrl}/journal?${mine}&action=read`);
		await expect(page.getByRole('heading', { name: 'Journal d’audit' }).count()).resolves.toBe(1);
		await expect(page.getByRole('cell', { name: request }).count()).resolves.toBeGreaterThan(0);

		const all = await exportCsv(page, mine);
		expect(all[0]).toBe('seq;date;actor;mailbox;action;request;outcome;answer');
		if (subject.length > 3) expect(all.join('\n')).not.toContain(subject);
		expect(count(await exportCsv(page, `${mine}&action=read`), request)).toBe(readsBefore);

		// A fresh session reads from the server again: exactly one more entry.
		const second = await browser.newContext({ locale: 'fr-FR' });
		const other = await second.newPage();
		await signIn(other, baseUrl, account);
		expect((await exportCsv(other, `${mine}&action=sign-in`)).length).toBe(before + 1);
		await other.goto(`${baseUrl}/bal/b1/INBOX/${uid}`);
		expect(count(await exportCsv(other, `${mine}&action=read`), request)).toBe(readsBefore + 1);

		// Sign-out writes one entry too.
		const signOuts = (await exportCsv(page, `${mine}&action=sign-out`)).length;
		await other.getByRole('button', { name: 'Se déconnecter' }).click();
		await other.waitForURL(/\/connexion/);
		expect((await exportCsv(page, `${mine}&action=sign-out`)).length).toBe(signOuts + 1);
		await second.close();
		await context.close();
	});

	test('a failed sign-in is traced as a failure; a person sees only their mailboxes', async () => {
		const context = await browser.newContext({ locale: 'fr-FR' });
		const page = await context.newPage();
		const paul = labAccount('paul.durand@');
		await page.goto(`${baseUrl}/connexion`);
		await page.getByLabel('Adresse MSSanté').fill(paul.address);
		await page.getByLabel('Mot de passe').fill('pas-le-bon-mot-de-passe');
		await page.getByRole('button', { name: 'Se connecter' }).click();
		await expect(page.getByRole('alert').innerText()).resolves.toMatch(/Connexion impossible/);

		await signIn(page, baseUrl, paul);
		const failures = await exportCsv(
			page,
			`personne=${encodeURIComponent(paul.address)}&action=sign-in&resultat=failure`
		);
		expect(count(failures, 'IMAP_AUTH')).toBeGreaterThanOrEqual(1);

		// Not an administrator: nothing of another person's mailbox.
		const claire = labAccount('claire.nguyen@');
		const foreign = await exportCsv(page, `bal=${encodeURIComponent(claire.address)}`);
		expect(foreign).toHaveLength(1);
		await page.goto(`${baseUrl}/journal?du=2026-13-40`);
		await expect(page.getByRole('alert').innerText()).resolves.toMatch(/Date de début invalide/);
		await context.close();
	});
});
