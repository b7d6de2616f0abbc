/**
 * Folders and organising in real Chromium against the real lab: create / rename / delete a
 * folder (also without JavaScript), labels on a message, copy, drag a message onto a folder,
 * empty the Trash; and the page recovering by itself from a Dovecot restart.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { rootLogger } from '../../src/lib/server/log.ts';
import { MailboxConnection } from '../../src/lib/server/mail/imap/connection.ts';
import { appendMessage } from '../../src/lib/server/mail/imap/store.ts';
import { readLabInfo, restartDovecot } from '../lab/lab.ts';
import { launchBrowser } from './browser.ts';
import { labAccount, signIn } from './support.ts';

const baseUrl = inject('baseUrl');
const stamp = Date.now().toString(36);
let browser: Browser;
const SCREENS = path.resolve('var/screens');

beforeAll(async () => {
	browser = await launchBrowser();
});

afterAll(async () => {
	await browser?.close();
});

/** Puts a fresh message in an INBOX through IMAP APPEND (no wait for delivery). */
async function appendTo(prefix: string, subject: string): Promise<void> {
	const lab = readLabInfo();
	const account = labAccount(prefix);
	const connection = new MailboxConnection({
		endpoint: { host: lab.imap.host, port: lab.imap.port, security: 'starttls' },
		auth: { kind: 'password', user: account.address, password: account.password },
		anchors: [readFileSync(lab.caFile, 'utf8')],
		dataDir: mkdtempSync(path.join(tmpdir(), 'confrere-e2e-folders-')),
		logger: rootLogger
	});
	try {
		const raw = Buffer.from(
			`From: Dr Paul Durand <paul.durand@lab.mssante.test>\r\nTo: ${account.address}\r\nSubject: ${subject}\r\nDate: ${new Date().toUTCString()}\r\nMessage-ID: <${stamp}.${Math.random().toString(36).slice(2)}@lab.mssante.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nCompte rendu fictif pour les tests.\r\n`
		);
		await appendMessage(connection, { folder: 'INBOX', raw, flags: [] });
	} finally {
		await connection.close();
	}
}

async function screens(page: Page, name: string): Promise<void> {
	for (const width of [1280, 390]) {
		await page.setViewportSize({ width, height: width > 400 ? 800 : 844 });
		await page.screenshot({ path: path.join(SCREENS, `${name}-${width}.png`), fullPage: false });
	}
	await page.setViewportSize({ width: 1280, height: 800 });
}

const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Dossiers' });
const messages = (page: Page) => page.getByRole('list', { name: 'Messages' });
/** Hydrated (its push stream open): a field filled before hydration may be reset by it. */
const hydrated = (page: Page) => page.locator('[data-push="ready"]').waitFor();

describe('folders', () => {
	test('create, refuse a duplicate, rename, delete with confirmation', async () => {
		const context = await browser.newContext({ locale: 'fr-FR' });
		const page = await context.newPage();
		await signIn(page, baseUrl, labAccount('jeanne.martin@'));
		await sidebar(page).getByRole('link', { name: 'Gérer les dossiers' }).click();
		await page.getByRole('heading', { name: 'Dossiers', level: 1 }).waitFor();
		await hydrated(page);

		const name = `Cardio ${stamp}`;
		await page.getByLabel('Nom', { exact: true }).fill(name);
		await page.getByRole('button', { name: 'Créer le dossier' }).click();
		await page.getByRole('status').getByText('Dossier créé.').waitFor();
		await sidebar(page).getByRole('link', { name }).waitFor();

		// The same name again: a French error, the typed name kept.
		await page.getByLabel('Nom', { exact: true }).fill(name.toUpperCase());
		await page.getByRole('button', { name: 'Créer le dossier' }).click();
		await page
			.getByRole('alert')
			.getByText(/existe déjà/)
			.waitFor();
		expect(await page.getByLabel('Nom', { exact: true }).inputValue()).toBe(name.toUpperCase());

		// A sub-folder, then rename the parent.
		await page.getByLabel('Nom', { exact: true }).fill('Échographies');
		await page.getByLabel('Dans', { exact: true }).first().selectOption(name);
		await page.getByRole('button', { name: 'Créer le dossier' }).click();
		await page.getByRole('status').getByText('Dossier créé.').waitFor();
		const row = page.locator(`li[data-folder-row="${name}"]`);
		await row.getByText('Renommer ou déplacer').click();
		const renamed = `Cardiologie ${stamp}`;
		await row.getByLabel('Nouveau nom').fill(renamed);
		await row.getByRole('button', { name: 'Enregistrer' }).click();
		await page.getByRole('status').getByText('Dossier renommé.').waitFor();
		await sidebar(page).getByRole('link', { name: renamed }).waitFor();
		await sidebar(page).getByRole('link', { name: 'Échographies' }).waitFor();

		// System folders: no delete button; a non-empty folder asks first.
		const inbox = page.locator('li[data-folder-row="INBOX"]');
		await inbox.getByText('Dossier système').waitFor();
		expect(await inbox.getByRole('button', { name: /Supprimer/ }).count()).toBe(0);
		await screens(page, 'dossiers');
		await page.getByRole('button', { name: `Supprimer « ${renamed} »` }).click();
		await page.getByRole('heading', { name: `Supprimer « ${renamed} » ?` }).waitFor();
		await screens(page, 'dossiers-confirmation');
		await page.getByRole('button', { name: 'Supprimer définitivement' }).click();
		await page.getByRole('status').getByText('Dossier supprimé.').waitFor();
		expect(await sidebar(page).getByRole('link', { name: renamed }).count()).toBe(0);
		expect(await sidebar(page).getByRole('link', { name: 'Échographies' }).count()).toBe(0);
		await context.close();
	});

	test('without JavaScript: create and delete a folder', async () => {
		const context = await browser.newContext({ locale: 'fr-FR', javaScriptEnabled: false });
		const page = await context.newPage();
		await signIn(page, baseUrl, labAccount('jeanne.martin@'));
		await sidebar(page).getByRole('link', { name: 'Gérer les dossiers' }).click();
		const name = `Sans JS ${stamp}`;
		await page.getByLabel('Nom', { exact: true }).fill(name);
		await page.getByRole('button', { name: 'Créer le dossier' }).click();
		await page.getByRole('status').getByText('Dossier créé.').waitFor();
		await page.getByRole('button', { name: `Supprimer « ${name} »` }).click();
		await page.getByRole('status').getByText('Dossier supprimé.').waitFor();
		expect(await sidebar(page).getByRole('link', { name }).count()).toBe(0);
		await context.close();
	});
});

describe('organising', () => {
	test('labels, copy, drag onto a folder, empty the Trash', { timeout: 180_000 }, async () => {
		const subject = `Bilan à classer ${stamp}`;
		await appendTo('jeanne.martin@', subject);
		const context = await browser.newContext({ locale: 'fr-FR' });
		const page = await context.newPage();
		page.setDefaultTimeout(45_000);
		await signIn(page, baseUrl, labAccount('jeanne.martin@'));
		const mailboxId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);
		const folder = `Classement ${stamp}`;
		await page.goto(`${baseUrl}/bal/${encodeURIComponent(mailboxId)}/dossiers`);
		await hydrated(page);
		await page.getByLabel('Nom', { exact: true }).fill(folder);
		await page.getByRole('button', { name: 'Créer le dossier' }).click();
		await sidebar(page).getByRole('link', { name: folder }).waitFor();

		// Open the message; labels from the "Organiser" menu.
		await sidebar(page)
			.getByRole('link', { name: /Boîte de réception/ })
			.click();
		await messages(page).getByText(subject).click();
		await page.getByRole('heading', { name: subject }).waitFor();
		const reader = page.locator('article.reader');
		await reader.getByText('Organiser').click();
		await reader.getByRole('button', { name: 'Urgent' }).click();
		await reader.locator('[data-keyword="$Urgent"]').waitFor();
		await reader.getByText('Organiser').click();
		await reader.getByPlaceholder('Nouvelle étiquette').fill('Réunion équipe');
		await reader.getByRole('button', { name: 'Ajouter' }).click();
		await reader.locator('.chips').getByText('Réunion équipe').waitFor();
		// The list row shows the chips too.
		const row = messages(page).getByRole('link', { name: new RegExp(subject) });
		await row.getByText('Urgent').waitFor();
		await reader.getByText('Organiser').click();
		await screens(page, 'organiser');
		await reader.getByRole('button', { name: '✓ Urgent' }).click();
		await reader.locator('.chips').getByText('Réunion équipe').waitFor();
		expect(await reader.locator('[data-keyword="$Urgent"]').count()).toBe(0);

		// Copy to the new folder: the original stays.
		await reader.getByText('Organiser').click();
		await reader.getByLabel('Dossier', { exact: true }).selectOption(folder);
		await reader.getByRole('button', { name: 'Copier' }).click();
		await page.getByRole('status').getByText('Message copié.').waitFor();
		await sidebar(page).getByRole('link', { name: folder }).click();
		await messages(page).getByText(subject).waitFor();

		// Drag the copy from that folder onto the Trash (what the list rows put in dataTransfer).
		const uid = Number(
			await messages(page)
				.getByRole('link', { name: new RegExp(subject) })
				.getAttribute('data-uid')
		);
		const payload = JSON.stringify({ mailbox: mailboxId, folder, uids: [uid] });
		const trash = sidebar(page).getByRole('link', { name: /Corbeille/ });
		await trash.evaluate((target, data) => {
			const transfer = new DataTransfer();
			transfer.setData('application/x-confrere-messages', data);
			for (const type of ['dragenter', 'dragover', 'drop'])
				target.dispatchEvent(
					new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true })
				);
		}, payload);
		await sidebar(page).getByRole('status').getByText('Message déplacé.').waitFor();
		await page.waitForFunction(
			(s) => !document.querySelector('[aria-label="Messages"]')?.textContent?.includes(s),
			subject
		);
		await trash.click();
		await messages(page).getByText(subject).waitFor();

		// Empty the Trash, after a confirmation.
		await page.goto(`${baseUrl}/bal/${encodeURIComponent(mailboxId)}/dossiers`);
		await hydrated(page);
		const trashRow = page.locator('li[data-folder-row="Trash"]');
		await trashRow.getByText('Vider…').click();
		await trashRow.getByRole('button', { name: /Vider « Corbeille »/ }).click();
		await page.getByRole('status').getByText('Dossier vidé.').waitFor();
		await page.locator('li[data-folder-row="Trash"]').getByText('0 message').waitFor();
		await page.getByRole('button', { name: `Supprimer « ${folder} »` }).click();
		await page.getByRole('status').getByText('Dossier supprimé.').waitFor();
		await context.close();
	});
});

describe('resilience', () => {
	test('a Dovecot restart: notice, then "rétablie", and the page works again', async () => {
		const context = await browser.newContext({ locale: 'fr-FR' });
		const page = await context.newPage();
		await signIn(page, baseUrl, labAccount('claire.nguyen@'));
		await page.locator('[data-push="ready"]').waitFor({ timeout: 30_000 });

		await restartDovecot({
			whileDown: async () => {
				await page.locator('[data-connection="lost"]').waitFor({ timeout: 30_000 });
				await screens(page, 'connexion-perdue');
			}
		});
		await page.locator('[data-connection="restored"]').waitFor({ timeout: 45_000 });
		await page.locator('[data-push="ready"]').waitFor();

		// Push works again, and so does the next action (opening the new message).
		const subject = `Après redémarrage ${stamp}`;
		await appendTo('claire.nguyen@', subject);
		await messages(page).getByText(subject).waitFor({ timeout: 30_000 });
		await messages(page).getByText(subject).click();
		await page.getByRole('heading', { name: subject }).waitFor();
		await context.close();
	});
});
