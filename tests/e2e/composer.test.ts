/**
 * The composer in real Chromium against the lab: autosave to Drafts then reload, reopening a
 * draft, forward as attachment (message/rfc822 delivered), drag-and-drop of a file, the size
 * limit checked before upload, and the profile's display name in the From that arrives.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { rootLogger } from '../../src/lib/server/log.ts';
import { MailboxConnection } from '../../src/lib/server/mail/imap/connection.ts';
import { parseMessage } from '../../src/lib/server/mail/mime/parse.ts';
import { readLabInfo, type LabAccount } from '../lab/lab.ts';
import { REPO_ROOT } from '../support/app-server.ts';
import { launchBrowser } from './browser.ts';
import { labAccount, signIn } from './support.ts';

const baseUrl = inject('baseUrl');
const SCREENS = path.join(REPO_ROOT, 'var', 'screens');
let browser: Browser;
const connections: MailboxConnection[] = [];

beforeAll(async () => {
	browser = await launchBrowser();
	mkdirSync(SCREENS, { recursive: true });
});

afterAll(async () => {
	await browser?.close();
	await Promise.all(connections.map((c) => c.close()));
});

function imapFor(account: LabAccount): MailboxConnection {
	const lab = readLabInfo();
	const connection = new MailboxConnection({
		endpoint: { host: lab.imap.host, port: lab.imap.port, security: 'starttls' },
		auth: { kind: 'password', user: account.address, password: account.password },
		anchors: [readFileSync(lab.caFile, 'utf8')],
		dataDir: mkdtempSync(path.join(tmpdir(), 'confrere-e2e-imap-')),
		logger: rootLogger
	});
	connections.push(connection);
	return connection;
}

/** The raw source of the message with this subject once it is in the account's INBOX. */
async function delivered(account: LabAccount, subject: string): Promise<string> {
	const connection = imapFor(account);
	for (let i = 0; i < 200; i++) {
		const source = await connection.inFolder('INBOX', async (client) => {
			const uids = (await client.search({ subject }, { uid: true })) || [];
			if (!uids.length) return null;
			const message = await client.fetchOne(String(uids[0]), { source: true }, { uid: true });
			return message ? (message.source?.toString() ?? null) : null;
		});
		if (source) return source;
		await new Promise((resolve) => setTimeout(resolve, 150));
	}
	throw new Error(`message « ${subject} » not delivered`);
}

async function newMessage(page: Page) {
	await page.getByRole('link', { name: 'Nouveau message' }).click();
	await page.getByLabel('Objet').waitFor();
}

async function waitSaved(page: Page) {
	await page
		.getByRole('status')
		.filter({ hasText: /Enregistré à \d\d:\d\d/ })
		.waitFor({
			timeout: 30_000
		});
}

describe('drafts', () => {
	test('autosave to Drafts, then a reload restores the composer', async () => {
		const context = await browser.newContext();
		const page = await context.newPage();
		await signIn(page, baseUrl, labAccount('jeanne.martin@'));
		await newMessage(page);
		const subject = `Autosave ${Date.now()}`;
		await page.getByLabel('À', { exact: true }).fill(labAccount('paul.durand@').address);
		await page.getByLabel('Objet').fill(subject);
		await page.getByLabel('Message', { exact: true }).fill('Première ligne enregistrée.');
		await waitSaved(page);
		await page.waitForURL(/\/ecrire\?brouillon=\d+$/);
		await page.screenshot({ path: path.join(SCREENS, 'composer-saved-1280.png') });

		// Typed after the last save, then the tab reloads: the browser's copy comes back.
		await page
			.getByLabel('Message', { exact: true })
			.fill('Première ligne enregistrée.\nEt la suite.');
		await page.reload();
		await expect(page.getByLabel('Objet').inputValue()).resolves.toBe(subject);
		await expect
			.poll(() => page.getByLabel('Message', { exact: true }).inputValue())
			.toBe('Première ligne enregistrée.\nEt la suite.');
		await page.getByText('Votre saisie non enregistrée a été restaurée').waitFor();
		await context.close();
	});

	test('a draft reopens from the Drafts folder with its attachment', async () => {
		const context = await browser.newContext();
		const page = await context.newPage();
		await signIn(page, baseUrl, labAccount('jeanne.martin@'));
		await newMessage(page);
		const subject = `Brouillon à reprendre ${Date.now()}`;
		await page.getByLabel('Objet').fill(subject);
		await page.getByLabel('Message', { exact: true }).fill('À reprendre plus tard.');
		await page.locator('input[name="pj"]').setInputFiles({
			name: 'ordonnance.txt',
			mimeType: 'text/plain',
			buffer: Buffer.from('Ordonnance fictive')
		});
		await page.getByRole('list', { name: 'Fichiers joints' }).getByText('ordonnance.txt').waitFor();
		await waitSaved(page);

		await page.goto(`${baseUrl}/`);
		await page
			.getByRole('navigation', { name: 'Dossiers' })
			.getByRole('link', { name: /Brouillons/ })
			.click();
		await page.getByRole('list', { name: 'Messages' }).getByText(subject).click();
		await page.getByRole('link', { name: 'Reprendre le brouillon' }).click();
		await expect(page.getByLabel('Objet').inputValue()).resolves.toBe(subject);
		await expect(page.getByLabel('Message', { exact: true }).inputValue()).resolves.toBe(
			'À reprendre plus tard.'
		);
		await page.getByRole('list', { name: 'Fichiers joints' }).getByText('ordonnance.txt').waitFor();
		await context.close();
	});

	test('without JavaScript: « Enregistrer le brouillon » saves it', async () => {
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		await signIn(page, baseUrl, labAccount('claire.nguyen@'));
		await newMessage(page);
		const subject = `Brouillon sans js ${Date.now()}`;
		await page.getByLabel('Objet').fill(subject);
		await page.getByLabel('Message', { exact: true }).fill('Texte sans JavaScript.');
		await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
		await page.getByText(/Enregistré à \d\d:\d\d/).waitFor();
		await expect(page.getByLabel('Message', { exact: true }).inputValue()).resolves.toBe(
			'Texte sans JavaScript.'
		);
		expect(await page.locator('input[name="brouillon"]').inputValue()).toMatch(/^\d+$/);
		await context.close();
	});
});

describe('attachments', () => {
	test('a file dragged onto the composer is attached', async () => {
		const context = await browser.newContext();
		const page = await context.newPage();
		await signIn(page, baseUrl, labAccount('jeanne.martin@'));
		await newMessage(page);
		const zone = page.getByTestId('zone-pieces-jointes');
		const transfer = await page.evaluateHandle(() => {
			const data = new DataTransfer();
			data.items.add(new File(['Compte rendu fictif'], 'compte-rendu.txt', { type: 'text/plain' }));
			return data;
		});
		await zone.dispatchEvent('dragenter', { dataTransfer: transfer });
		await page.getByText('Déposez les fichiers pour les joindre').waitFor();
		await page.screenshot({ path: path.join(SCREENS, 'composer-drop-1280.png') });
		await zone.dispatchEvent('drop', { dataTransfer: transfer });
		const files = page.getByRole('list', { name: 'Fichiers joints' });
		await files.getByText('compte-rendu.txt').waitFor();
		await expect(files.getByText('19 o').count()).resolves.toBe(1);
		// The native input carries it, so a normal submit sends it.
		await expect(
			page.locator('input[name="pj"]').evaluate((input: HTMLInputElement) => input.files?.length)
		).resolves.toBe(1);
		await page.getByRole('button', { name: 'Retirer compte-rendu.txt' }).click();
		await expect(files.count()).resolves.toBe(0);
		await context.close();
	});

	test('over the size limit: refused before upload, with the size and the limit', async () => {
		const context = await browser.newContext();
		const page = await context.newPage();
		await signIn(page, baseUrl, labAccount('jeanne.martin@'));
		await newMessage(page);
		await page.getByLabel('Objet').fill('Trop volumineux');
		const transfer = await page.evaluateHandle(() => {
			const data = new DataTransfer();
			data.items.add(new File([new Uint8Array(20 * 1024 * 1024)], 'scanner.pdf'));
			return data;
		});
		await page.getByTestId('zone-pieces-jointes').dispatchEvent('drop', { dataTransfer: transfer });
		const alert = page.getByRole('alert').filter({ hasText: 'Le message ferait' });
		await alert.waitFor();
		await expect(alert.innerText()).resolves.toMatch(
			/Le message ferait 27,\d Mo, au-delà de la taille maximale de 25 Mo/
		);
		await expect(page.getByRole('list', { name: 'Fichiers joints' }).count()).resolves.toBe(0);
		await expect(page.getByLabel('Objet').inputValue()).resolves.toBe('Trop volumineux');
		await page.setViewportSize({ width: 390, height: 844 });
		await page.screenshot({ path: path.join(SCREENS, 'composer-limit-390.png'), fullPage: true });
		await context.close();
	});
});

test('forward as attachment arrives with the original as message/rfc822', async () => {
	const context = await browser.newContext();
	const page = await context.newPage();
	await signIn(page, baseUrl, labAccount('jeanne.martin@'));
	await page.getByRole('list', { name: 'Messages' }).getByRole('link').first().click();
	await page.getByRole('link', { name: 'Transférer en pièce jointe' }).click();
	await expect(page.getByLabel('Objet').inputValue()).resolves.toMatch(/^Fwd: /);
	const subject = `${await page.getByLabel('Objet').inputValue()} ${Date.now()}`;
	await page.getByLabel('Objet').fill(subject);
	await page.getByLabel('À', { exact: true }).fill(labAccount('paul.durand@').address);
	await page.getByRole('button', { name: 'Envoyer' }).click();
	await page.getByRole('heading', { name: 'Message envoyé' }).waitFor({ timeout: 30_000 });
	const source = await delivered(labAccount('paul.durand@'), subject);
	expect(source).toMatch(/Content-Type: message\/rfc822/);
	expect(source).toMatch(/Content-Disposition: attachment;\s+filename/);
	expect(source).not.toMatch(/^In-Reply-To:/m);
	await context.close();
});

test('the profile gives the display name of the From (ECO.2.2.7)', async () => {
	const context = await browser.newContext();
	const page = await context.newPage();
	await signIn(page, baseUrl, labAccount('jeanne.martin@'));
	await page.getByRole('link', { name: 'Profil' }).click();
	await page.getByLabel('Civilité ou titre').selectOption('Dr');
	await page.getByLabel('Prénom').fill('Jeanne');
	await page.getByLabel('Nom', { exact: true }).fill('Martin');
	await page.getByLabel('Profession').fill('Médecin généraliste');
	await page.getByLabel('Structure ou service (entité)').fill('Cabinet médical Martin');
	await page.getByText('Dr_Jeanne_MARTIN_Cabinet médical Martin').waitFor();
	await page.screenshot({ path: path.join(SCREENS, 'profil-1280.png') });
	await page.getByRole('button', { name: 'Enregistrer' }).click();
	await page.getByText('Profil enregistré').waitFor();

	await page.goto(`${baseUrl}/`);
	await newMessage(page);
	await page.getByText('Dr_Jeanne_MARTIN_Cabinet médical Martin').waitFor();
	const subject = `Nom affiché ${Date.now()}`;
	await page.getByLabel('À', { exact: true }).fill(labAccount('paul.durand@').address);
	await page.getByLabel('Objet').fill(subject);
	// An empty body is sent too.
	await page.getByRole('button', { name: 'Envoyer' }).click();
	await page.getByRole('heading', { name: 'Message envoyé' }).waitFor({ timeout: 30_000 });
	const source = await delivered(labAccount('paul.durand@'), subject);
	const parsed = await parseMessage(Buffer.from(source));
	expect(parsed.from).toEqual({
		name: 'Dr_Jeanne_MARTIN_Cabinet médical Martin',
		address: 'jeanne.martin@lab.mssante.test'
	});
	// An empty body is sent as an empty text/plain part.
	expect((parsed.text ?? '').trim()).toBe('');
	await context.close();
});
