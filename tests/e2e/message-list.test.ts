/**
 * The message list in real Chromium against the lab: sort, filter, the conversation view across
 * INBOX and Sent, multi-select + move, keyboard shortcuts, the bulk form without JavaScript, and no
 * horizontal scroll at phone width. Everything runs in paul.durand's mailbox on messages this file
 * appends (its own folders, and a thread in INBOX + Sent), removed at the end.
 */
import { readFileSync } from 'node:fs';
import { ImapFlow } from 'imapflow';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { readLabInfo } from '../lab/lab.ts';
import { launchBrowser } from './browser.ts';
import { labAccount, signIn } from './support.ts';

const baseUrl = inject('baseUrl');
const tag = `e2e-liste-${process.pid}`;
const source = `Essai liste ${process.pid}`;
const target = `Essai cible ${process.pid}`;
const threadSubject = `Suivi patient ${tag}`;
let browser: Browser;

function imap(): ImapFlow {
	const lab = readLabInfo();
	const account = labAccount('paul.durand@');
	return new ImapFlow({
		host: lab.imap.host,
		port: lab.imap.tlsPort,
		secure: true,
		auth: { user: account.address, pass: account.password },
		tls: { ca: [readFileSync(lab.caFile, 'utf8')] },
		logger: false
	});
}

function raw(o: {
	id: string;
	from: string;
	subject: string;
	date: string;
	replyTo?: string;
	references?: string[];
}) {
	const ref = (id: string) => `<${id}.${tag}@e2e.lab.mssante.test>`;
	return [
		`From: ${o.from}`,
		'To: paul.durand@lab.mssante.test',
		`Subject: ${o.subject}`,
		`Date: ${o.date}`,
		`Message-ID: <${o.id}.${tag}@e2e.lab.mssante.test>`,
		...(o.replyTo
			? [`In-Reply-To: ${ref(o.replyTo)}`, `References: ${(o.references ?? []).map(ref).join(' ')}`]
			: []),
		'MIME-Version: 1.0',
		'Content-Type: text/plain; charset=utf-8',
		'',
		`Message ${o.id} (essai).`,
		''
	].join('\r\n');
}

async function withImap<T>(run: (client: ImapFlow) => Promise<T>): Promise<T> {
	const client = imap();
	await client.connect();
	try {
		return await run(client);
	} finally {
		await client.logout();
	}
}

async function removeThread(client: ImapFlow) {
	for (const folder of ['INBOX', 'Sent']) {
		const lock = await client.getMailboxLock(folder);
		try {
			const uids = await client.search({ subject: tag }, { uid: true });
			if (Array.isArray(uids) && uids.length > 0)
				await client.messageDelete(uids.join(','), { uid: true });
		} finally {
			lock.release();
		}
	}
}

beforeAll(async () => {
	browser = await launchBrowser();
	await withImap(async (client) => {
		await removeThread(client);
		for (const folder of [source, target]) {
			await client.mailboxDelete(folder).catch(() => {});
			await client.mailboxCreate(folder);
		}
		// Arrival order 1..4, dates in another order; message 2 is unread.
		const dates = ['Mon, 02 Nov 2026', 'Tue, 01 Dec 2026', 'Thu, 01 Jan 2026', 'Wed, 04 Nov 2026'];
		for (const [i, date] of dates.entries()) {
			await client.append(
				source,
				raw({
					id: `m${i + 1}`,
					from: 'Claire Nguyen <claire.nguyen@lab.mssante.test>',
					subject: `Essai ${i + 1}`,
					date: `${date} 09:00:00 +0100`
				}),
				i === 1 ? [] : ['\\Seen']
			);
		}
		// A thread: Claire asks (INBOX), Paul answers (Sent), Claire answers back (INBOX).
		await client.append(
			'INBOX',
			raw({
				id: 't1',
				from: 'Claire Nguyen <claire.nguyen@lab.mssante.test>',
				subject: threadSubject,
				date: 'Mon, 30 Nov 2026 09:00:00 +0100'
			}),
			['\\Seen']
		);
		await client.append(
			'Sent',
			raw({
				id: 't2',
				from: 'Dr Paul Durand <paul.durand@lab.mssante.test>',
				subject: `RE: ${threadSubject}`,
				date: 'Mon, 30 Nov 2026 10:00:00 +0100',
				replyTo: 't1',
				references: ['t1']
			}),
			['\\Seen']
		);
		await client.append(
			'INBOX',
			raw({
				id: 't3',
				from: 'Claire Nguyen <claire.nguyen@lab.mssante.test>',
				subject: `RE: ${threadSubject}`,
				date: 'Mon, 30 Nov 2026 11:00:00 +0100',
				replyTo: 't2',
				references: ['t1', 't2']
			}),
			[]
		);
	});
});

afterAll(async () => {
	await browser?.close();
	await withImap(async (client) => {
		await removeThread(client);
		for (const folder of [source, target]) await client.mailboxDelete(folder).catch(() => {});
	}).catch(() => {});
});

const folderUrl = (page: Page, folder: string) =>
	page.url().replace(/\/INBOX.*$/, `/${encodeURIComponent(folder)}`);

async function subjects(page: Page): Promise<string[]> {
	const texts = await page
		.getByRole('list', { name: 'Messages' })
		.locator('.subject')
		.allInnerTexts();
	return texts.map((t) => t.trim());
}

async function messageCountIn(folder: string): Promise<number> {
	return withImap(async (client) => {
		const status = await client.status(folder, { messages: true });
		return status ? (status.messages ?? 0) : 0;
	});
}

describe('message list', () => {
	test('sort by date, filters, and the view remembered in a cookie', async () => {
		const context = await browser.newContext({ locale: 'fr-FR' });
		const page = await context.newPage();
		await signIn(page, baseUrl, labAccount('paul.durand@'));
		const list = folderUrl(page, source);
		await page.goto(list);
		expect(await subjects(page)).toEqual(['Essai 4', 'Essai 3', 'Essai 2', 'Essai 1']);
		await page.getByRole('group', { name: 'Tri' }).getByRole('link', { name: 'Date' }).click();
		await page.waitForURL(/tri=date/);
		expect(await subjects(page)).toEqual(['Essai 2', 'Essai 4', 'Essai 1', 'Essai 3']);
		await page
			.getByRole('navigation', { name: 'Filtres' })
			.getByRole('link', { name: 'Non lus' })
			.click();
		await page.waitForURL(/filtre=non-lus/);
		expect(page.url()).toContain('tri=date');
		expect(await subjects(page)).toEqual(['Essai 2']);
		await page.goto(`${list}?filtre=suivis`);
		await expect(page.getByText('Aucun message ne correspond à ce filtre.').count()).resolves.toBe(
			1
		);

		// Conversations, then the plain folder URL stays in that view.
		await page.goto(`${list.replace(/\/[^/]+$/, '/INBOX')}?vue=conversations`);
		await page.goto(list.replace(/\/[^/]+$/, '/INBOX'));
		const conversations = page.getByRole('list', { name: 'Conversations' });
		const row = conversations.getByRole('link').filter({ hasText: threadSubject });
		await expect(row.locator('.count').innerText()).resolves.toBe('2');
		await page.getByRole('group', { name: 'Vue' }).getByRole('link', { name: 'Messages' }).click();
		await page.waitForURL(/vue=messages/);
		await expect(page.getByRole('list', { name: 'Messages' }).count()).resolves.toBe(1);
		await context.close();
	});

	test('a conversation shows the INBOX messages and the reply from Sent, newest open', async () => {
		const context = await browser.newContext({ locale: 'fr-FR' });
		const page = await context.newPage();
		await signIn(page, baseUrl, labAccount('paul.durand@'));
		await page.goto(`${page.url()}?vue=conversations`);
		await page.getByRole('link').filter({ hasText: threadSubject }).click();
		await page.waitForURL(/\/INBOX\/conversation\/\d+/);
		await expect(page.getByRole('heading', { level: 2 }).innerText()).resolves.toContain(
			threadSubject
		);
		const items = page.locator('ol.messages > li');
		await expect(items.count()).resolves.toBe(3);
		await expect(items.nth(1).locator('.badge').innerText()).resolves.toBe('Envoyés');
		const open = await items.evaluateAll((lis) =>
			lis.map((li) => li.querySelector('details')?.open ?? false)
		);
		expect(open).toEqual([false, false, true]);
		const frame = page.frameLocator('ol.messages > li:last-child iframe');
		await expect(frame.locator('body').innerText()).resolves.toContain('Message t3');
		await expect(page.getByRole('link', { name: 'Répondre', exact: true }).count()).resolves.toBe(
			1
		);
		await context.close();
	});

	test('select 3 with shift-click, move them; rows are draggable', async () => {
		const context = await browser.newContext({ locale: 'fr-FR' });
		const page = await context.newPage();
		await signIn(page, baseUrl, labAccount('paul.durand@'));
		await page.goto(folderUrl(page, source));
		const boxes = page.getByRole('list', { name: 'Messages' }).getByRole('checkbox');
		await boxes.nth(0).click();
		await boxes.nth(2).click({ modifiers: ['Shift'] });
		await expect(boxes.nth(1).isChecked()).resolves.toBe(true);
		await expect(page.getByText('3 sélectionnés').count()).resolves.toBe(1);

		const payload = await page
			.locator('a.row-link')
			.nth(1)
			.evaluate((row) => {
				const data = new DataTransfer();
				row.dispatchEvent(new DragEvent('dragstart', { dataTransfer: data, bubbles: true }));
				return JSON.parse(data.getData('application/x-confrere-messages')) as {
					folder: string;
					uids: number[];
				};
			});
		expect(payload.folder).toBe(source);
		expect(payload.uids).toHaveLength(3);

		await page.getByText('Plus', { exact: true }).click();
		await page.getByLabel('Déplacer vers').selectOption(target);
		await page.getByRole('button', { name: 'Déplacer', exact: true }).click();
		await page.waitForURL(/info=deplaces/);
		await expect(page.getByRole('status').innerText()).resolves.toContain('3 messages déplacés.');
		expect(await subjects(page)).toEqual(['Essai 1']);
		expect(await messageCountIn(target)).toBe(3);
		await context.close();
	});

	test('keyboard: j/k move, o opens, u goes back, ? shows the help', async () => {
		const context = await browser.newContext({ locale: 'fr-FR' });
		const page = await context.newPage();
		await signIn(page, baseUrl, labAccount('paul.durand@'));
		await page.goto(folderUrl(page, target));
		const rows = page.locator('a.row-link');
		await expect(rows.count()).resolves.toBe(3);
		// The shortcuts exist once the page is hydrated (its push stream is then open).
		await page.locator('[data-push="ready"]').waitFor();
		const focusedUid = () =>
			page.evaluate(() => document.activeElement?.getAttribute('data-uid') ?? null);
		await page.keyboard.press('j');
		const first = await focusedUid();
		await page.keyboard.press('j');
		const second = await focusedUid();
		expect(second).not.toBe(first);
		expect(second).toBe(await rows.nth(1).getAttribute('data-uid'));
		await page.keyboard.press('k');
		expect(await focusedUid()).toBe(first);
		await page.keyboard.press('o');
		await page.waitForURL(new RegExp(`/${first}(\\?|$)`));
		await page.keyboard.press('u');
		await page.waitForURL((url) => !/\/\d+(\?|$)/.test(url.pathname));
		// Never while typing.
		await page.getByLabel('Rechercher dans les messages').pressSequentially('jk');
		expect(page.url()).not.toMatch(/\/\d+$/);
		await page.getByLabel('Rechercher dans les messages').blur();
		await page.keyboard.press('?');
		const dialog = page.getByRole('dialog', { name: 'Raccourcis clavier' });
		await expect(dialog.isVisible()).resolves.toBe(true);
		await expect(dialog.innerText()).resolves.toContain('Répondre à tous');
		await page.keyboard.press('Escape');
		await expect(dialog.isVisible()).resolves.toBe(false);
		await context.close();
	});

	test('the bulk form works without JavaScript', async () => {
		const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR' });
		const page = await context.newPage();
		await signIn(page, baseUrl, labAccount('paul.durand@'));
		await page.goto(folderUrl(page, target));
		const boxes = page.getByRole('list', { name: 'Messages' }).getByRole('checkbox');
		await boxes.nth(0).check();
		await boxes.nth(1).check();
		await page.getByRole('button', { name: 'Supprimer', exact: true }).click();
		await page.waitForURL(/info=corbeille/);
		await expect(page.getByRole('status').innerText()).resolves.toContain(
			'2 messages placés dans la corbeille.'
		);
		expect(await messageCountIn(target)).toBe(1);
		// Undo, still without JavaScript.
		await page.getByRole('button', { name: 'Annuler' }).click();
		await page.waitForURL(/info=restaure/);
		expect(await messageCountIn(target)).toBe(3);
		// Nothing selected: a clear French error, nothing changed.
		await page.getByRole('button', { name: 'Marquer lu' }).click();
		await expect(page.getByRole('alert').innerText()).resolves.toBe('Aucun message sélectionné.');
		await context.close();
	});

	test('no horizontal scroll at 390 px on the list, a message and the composer', async () => {
		const context = await browser.newContext({
			viewport: { width: 390, height: 844 },
			locale: 'fr-FR'
		});
		const page = await context.newPage();
		await signIn(page, baseUrl, labAccount('paul.durand@'));
		const inbox = page.url();
		const width = () => page.evaluate(() => document.documentElement.scrollWidth);
		expect(await width()).toBeLessThanOrEqual(390);
		await page.locator('a.row-link').first().click();
		await page.waitForURL(/\/INBOX\/\d+/);
		expect(await width()).toBeLessThanOrEqual(390);
		await page.goto(inbox.replace(/INBOX$/, 'ecrire'));
		expect(await width()).toBeLessThanOrEqual(390);
		await context.close();
	});
});
