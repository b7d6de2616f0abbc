/**
 * Reading extras in real Chromium against the lab: the read receipt banner (send, decline, the
 * confirmation when Disposition-Notification-To differs from Return-Path), the "Plus d'actions"
 * menu by keyboard, the print page, the .eml download, the raw source, inline previews decided by
 * magic bytes (PDF, image, a fake PDF refused) and the refusal of a health document with an ANS
 * code. Messages are appended to jeanne.martin's INBOX by the test and removed afterwards; the
 * MDNs are checked in the recipients' INBOXes over IMAP.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';
import { ImapFlow } from 'imapflow';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { readLabInfo } from '../lab/lab.ts';
import { buildXdmPackage } from '../../src/lib/server/mssante/xdm-build.ts';
import {
	AUTHOR_TEST,
	PATIENT_PAT_TROIS,
	tinyPdf
} from '../../src/lib/server/mssante/testing/fixtures.ts';
import { launchBrowser } from './browser.ts';
import { labAccount, signIn } from './support.ts';

const baseUrl = inject('baseUrl');
const SCREENS = 'var/screens';
let browser: Browser;
const appended: { user: string; uid: number }[] = [];
const run = Date.now().toString(36);
const uids: Record<string, number> = {};

function imap(prefix: string): ImapFlow {
	const lab = readLabInfo();
	const account = labAccount(prefix);
	return new ImapFlow({
		host: lab.imap.host,
		port: lab.imap.tlsPort,
		secure: true,
		auth: { user: account.address, pass: account.password },
		tls: { ca: [readFileSync(lab.caFile, 'utf8')] },
		logger: false
	});
}

async function withImap<T>(prefix: string, work: (client: ImapFlow) => Promise<T>): Promise<T> {
	const client = imap(prefix);
	await client.connect();
	try {
		const lock = await client.getMailboxLock('INBOX');
		try {
			return await work(client);
		} finally {
			lock.release();
		}
	} finally {
		await client.logout();
	}
}

/** A small real PNG (a blue square with a white cross), built here: no binary fixture. */
function testPng(size = 48): Buffer {
	const chunk = (type: string, data: Buffer) => {
		const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
		const out = Buffer.alloc(12 + data.length);
		out.writeUInt32BE(data.length, 0);
		body.copy(out, 4);
		out.writeUInt32BE(crc32(body), 8 + data.length);
		return out;
	};
	const header = Buffer.alloc(13);
	header.writeUInt32BE(size, 0);
	header.writeUInt32BE(size, 4);
	header[8] = 8; // bit depth
	header[9] = 2; // RGB
	const rows: Buffer[] = [];
	for (let y = 0; y < size; y++) {
		const row = Buffer.alloc(1 + size * 3);
		for (let x = 0; x < size; x++) {
			const cross = Math.abs(x - size / 2) < 4 || Math.abs(y - size / 2) < 4;
			row.set(cross ? [255, 255, 255] : [11, 92, 173], 1 + x * 3);
		}
		rows.push(row);
	}
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', deflateSync(Buffer.concat(rows))),
		chunk('IEND', Buffer.alloc(0))
	]);
}

interface Attachment {
	filename: string;
	contentType: string;
	content: Uint8Array;
}

function rawMessage(o: {
	subject: string;
	from?: string;
	returnPath?: string;
	dispositionTo?: string;
	html?: string;
	attachments?: Attachment[];
}): { raw: string; messageId: string } {
	const messageId = `<${run}.${Math.random().toString(36).slice(2)}@e2e.lab.mssante.test>`;
	const boundary = `b-${Math.random().toString(36).slice(2)}`;
	const head = [
		...(o.returnPath ? [`Return-Path: <${o.returnPath}>`] : []),
		`From: ${o.from ?? 'Dr Paul DURAND <paul.durand@lab.mssante.test>'}`,
		'To: jeanne.martin@lab.mssante.test',
		`Subject: ${o.subject}`,
		`Date: ${new Date().toUTCString()}`,
		`Message-ID: ${messageId}`,
		...(o.dispositionTo ? [`Disposition-Notification-To: ${o.dispositionTo}`] : []),
		'MIME-Version: 1.0'
	];
	const text = 'Bonjour,\r\nCeci est un message de test (données fictives).\r\n';
	const body = o.html
		? ['Content-Type: text/html; charset=utf-8', '', o.html]
		: ['Content-Type: text/plain; charset=utf-8', '', text];
	if (!o.attachments?.length) return { raw: [...head, ...body].join('\r\n'), messageId };
	const parts = o.attachments.flatMap((a) => [
		`--${boundary}`,
		`Content-Type: ${a.contentType}; name="${a.filename}"`,
		`Content-Disposition: attachment; filename="${a.filename}"`,
		'Content-Transfer-Encoding: base64',
		'',
		Buffer.from(a.content).toString('base64').replace(/.{76}/g, '$&\r\n')
	]);
	return {
		raw: [
			...head,
			`Content-Type: multipart/mixed; boundary="${boundary}"`,
			'',
			`--${boundary}`,
			...body,
			...parts,
			`--${boundary}--`,
			''
		].join('\r\n'),
		messageId
	};
}

const messageIds: Record<string, string> = {};

beforeAll(async () => {
	mkdirSync(SCREENS, { recursive: true });
	browser = await launchBrowser();
	const xdm = await buildXdmPackage({
		pdf: tinyPdf('Compte rendu refus e2e'),
		patient: PATIENT_PAT_TROIS,
		author: AUTHOR_TEST,
		type: '11488-4',
		title: 'Compte rendu à refuser',
		date: '20240115'
	});
	const seeds: Record<string, ReturnType<typeof rawMessage>> = {
		receipt: rawMessage({
			subject: `Accusé demandé ${run}`,
			returnPath: 'paul.durand@lab.mssante.test',
			dispositionTo: 'Dr Paul DURAND <paul.durand@lab.mssante.test>'
		}),
		decline: rawMessage({
			subject: `Accusé à décliner ${run}`,
			returnPath: 'paul.durand@lab.mssante.test',
			dispositionTo: 'paul.durand@lab.mssante.test'
		}),
		differs: rawMessage({
			subject: `Accusé vers un tiers ${run}`,
			returnPath: 'paul.durand@lab.mssante.test',
			dispositionTo: 'claire.nguyen@lab.mssante.test'
		}),
		files: rawMessage({
			subject: `Pièces à prévisualiser ${run}`,
			html: '<p>Bonjour <b>confrère</b>,</p><p>Voici les pièces.</p><script>alert(1)</script>',
			attachments: [
				{
					filename: 'compte-rendu.pdf',
					contentType: 'application/pdf',
					content: tinyPdf('Aperçu')
				},
				// Declared as a generic binary: the bytes say PNG, so it is previewed.
				{ filename: 'radio.png', contentType: 'application/octet-stream', content: testPng() },
				{
					filename: 'resultat.pdf',
					contentType: 'application/pdf',
					content: Buffer.from('<html><body><script>alert("pdf")</script></body></html>')
				}
			]
		}),
		xdm: rawMessage({
			subject: xdm.subject,
			returnPath: 'paul.durand@lab.mssante.test',
			attachments: [{ filename: 'IHE_XDM.ZIP', contentType: 'application/zip', content: xdm.zip }]
		})
	};
	await withImap('jeanne.martin@', async (client) => {
		for (const [name, seed] of Object.entries(seeds)) {
			const result = await client.append('INBOX', seed.raw);
			if (!result || !result.uid) throw new Error('append without UIDPLUS');
			uids[name] = result.uid;
			messageIds[name] = seed.messageId;
			appended.push({ user: 'jeanne.martin@', uid: result.uid });
		}
	});
});

afterAll(async () => {
	await browser?.close();
	const byUser = new Map<string, number[]>();
	for (const { user, uid } of appended) byUser.set(user, [...(byUser.get(user) ?? []), uid]);
	for (const [user, list] of byUser) {
		await withImap(user, (client) => client.messageDelete(list.join(','), { uid: true })).catch(
			() => {}
		);
	}
});

async function newPage(
	options: { javaScriptEnabled?: boolean; width?: number } = {}
): Promise<{ context: BrowserContext; page: Page; inbox: string }> {
	const width = options.width ?? 1280;
	const context = await browser.newContext({
		javaScriptEnabled: options.javaScriptEnabled ?? true,
		locale: 'fr-FR',
		acceptDownloads: true,
		viewport: { width, height: width < 600 ? 844 : 900 },
		...(width < 600 ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {})
	});
	const page = await context.newPage();
	await signIn(page, baseUrl, labAccount('jeanne.martin@'));
	return { context, page, inbox: page.url() };
}

async function flagsOf(uid: number): Promise<string[]> {
	return withImap('jeanne.martin@', async (client) => {
		const message = await client.fetchOne(String(uid), { flags: true }, { uid: true });
		return message && message.flags ? [...message.flags] : [];
	});
}

/** Waits (bounded, condition-based) for an MDN referring to `originalId` in a lab INBOX. */
async function waitForMdn(
	prefix: string,
	originalId: string
): Promise<{ uid: number; subject: string; source: string }> {
	for (let i = 0; i < 200; i++) {
		const found = await withImap(prefix, async (client) => {
			const list = await client.search({ header: { references: originalId } }, { uid: true });
			if (!list || list.length === 0) return null;
			const uid = list[0]!;
			const message = await client.fetchOne(
				String(uid),
				{ envelope: true, source: true },
				{ uid: true }
			);
			if (!message) return null;
			return {
				uid,
				subject: message.envelope?.subject ?? '',
				source: message.source?.toString('utf8') ?? ''
			};
		});
		if (found) {
			appended.push({ user: prefix, uid: found.uid });
			return found;
		}
		await new Promise((resolve) => setTimeout(resolve, 150));
	}
	throw new Error(`no MDN for ${originalId} in ${prefix}`);
}

describe('read receipts', () => {
	test('banner → send: the MDN reaches the sender and the offer is gone for good', async () => {
		const { context, page, inbox } = await newPage();
		await page.goto(`${inbox}/${uids.receipt}`);
		const banner = page.getByRole('region', { name: /L’expéditeur demande un accusé de lecture/ });
		expect(await banner.innerText()).toContain('paul.durand@lab.mssante.test');
		await page.screenshot({ path: `${SCREENS}/reader-receipt-banner-1280.png` });
		await banner.getByRole('button', { name: 'Envoyer l’accusé' }).click();
		await page.waitForURL(/info=accuse-envoye/);
		expect(
			await page.getByRole('status').filter({ hasText: 'Accusé de lecture envoyé' }).count()
		).toBe(1);
		expect(await banner.count()).toBe(0);
		expect(await flagsOf(uids.receipt!)).toContain('$MDNSent');

		const mdn = await waitForMdn('paul.durand@', messageIds.receipt!);
		expect(mdn.subject).toBe(`Accusé de lecture : Accusé demandé ${run}`);
		expect(mdn.source).toMatch(
			/Content-Type: multipart\/report; report-type=disposition-notification/
		);
		expect(mdn.source).toContain('Disposition: manual-action/MDN-sent-manually; displayed');
		expect(mdn.source).toContain(`Original-Message-ID: ${messageIds.receipt}`);

		// Never offered twice.
		await page.goto(`${inbox}/${uids.receipt}`);
		expect(await page.getByRole('region', { name: /accusé de lecture/ }).count()).toBe(0);
		await context.close();
	});

	test('"Ne pas envoyer" (without JavaScript) marks the message and sends nothing', async () => {
		const { context, page, inbox } = await newPage({ javaScriptEnabled: false });
		await page.goto(`${inbox}/${uids.decline}`);
		await page.getByRole('button', { name: 'Ne pas envoyer' }).click();
		await page.waitForURL(/info=accuse-ignore/);
		expect(await flagsOf(uids.decline!)).toContain('$MDNSent');
		expect(
			await page.getByRole('region', { name: /L’expéditeur demande un accusé de lecture/ }).count()
		).toBe(0);
		await context.close();
	});

	test('a receipt address that differs from Return-Path asks first', async () => {
		const { context, page, inbox } = await newPage();
		await page.goto(`${inbox}/${uids.differs}`);
		const banner = page.getByRole('region', { name: /L’expéditeur demande un accusé de lecture/ });
		expect(await banner.innerText()).toContain('claire.nguyen@lab.mssante.test');
		// No one-click send here: the link leads to the confirmation.
		expect(await banner.getByRole('button', { name: 'Envoyer l’accusé' }).count()).toBe(0);
		await banner.getByRole('link', { name: 'Envoyer l’accusé…' }).click();
		await page.waitForURL(/\/accuse-lecture$/);
		const warning = page.getByRole('alert');
		const text = await warning.innerText();
		expect(text).toContain('claire.nguyen@lab.mssante.test');
		expect(text).toContain('paul.durand@lab.mssante.test');
		await page.screenshot({ path: `${SCREENS}/reader-receipt-confirm-1280.png` });
		expect(await flagsOf(uids.differs!)).not.toContain('$MDNSent');
		await page
			.getByRole('button', { name: 'Envoyer quand même à claire.nguyen@lab.mssante.test' })
			.click();
		await page.waitForURL(/info=accuse-envoye/);
		expect(await flagsOf(uids.differs!)).toContain('$MDNSent');
		const mdn = await waitForMdn('claire.nguyen@', messageIds.differs!);
		expect(mdn.source).toContain('Final-Recipient: rfc822;jeanne.martin@lab.mssante.test');
		await context.close();
	});
});

describe('Plus d’actions, print, .eml, source', () => {
	test('the menu works with the keyboard and leads to print, .eml and source', async () => {
		const { context, page, inbox } = await newPage();
		await page.goto(`${inbox}/${uids.files}`);
		const summary = page.locator('summary', { hasText: 'Plus d’actions' });
		await summary.focus();
		await page.keyboard.press('Enter');
		const menu = page.getByRole('list', { name: 'Plus d’actions' });
		await menu.waitFor({ state: 'visible' });
		await page.keyboard.press('ArrowDown');
		expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toMatch(
			/^Imprimer/
		);
		await page.screenshot({ path: `${SCREENS}/reader-menu-1280.png` });
		await page.keyboard.press('Escape');
		await menu.waitFor({ state: 'hidden' });
		expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('SUMMARY');

		// .eml: the raw message, as a download named after the subject.
		await summary.click();
		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.getByRole('link', { name: 'Télécharger le message (.eml)' }).click()
		]);
		expect(download.suggestedFilename()).toBe(`Pièces à prévisualiser ${run}.eml`);
		const eml = readFileSync(await download.path(), 'utf8');
		expect(eml).toContain(`Message-ID: ${messageIds.files}`);
		expect(eml).toContain('Content-Type: multipart/mixed');

		// Source: text/plain, never interpreted.
		const sourceUrl = `${inbox}/${uids.files}/source`;
		const response = await context.request.get(sourceUrl);
		expect(response.headers()['content-type']).toBe('text/plain; charset=utf-8');
		expect(response.headers()['x-content-type-options']).toBe('nosniff');
		expect(response.headers()['content-security-policy']).toContain('sandbox');
		await page.goto(sourceUrl);
		expect(await page.locator('script').count()).toBe(0);
		expect(await page.locator('body').innerText()).toContain('<script>alert(1)</script>');

		// Print: headers and the sanitised body, nothing of the webmail around it.
		await page.goto(`${inbox}/${uids.files}/imprimer`);
		expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(
			`Pièces à prévisualiser ${run}`
		);
		const sheet = await page.locator('main').innerText();
		expect(sheet).toContain('paul.durand@lab.mssante.test');
		expect(sheet).toContain('Bonjour confrère');
		expect(sheet).toContain('compte-rendu.pdf');
		expect(await page.locator('main script').count()).toBe(0);
		expect(await page.getByRole('navigation', { name: 'Actions sur le message' }).count()).toBe(0);
		await page.screenshot({ path: `${SCREENS}/reader-print-1280.png`, fullPage: true });
		await context.close();
	});
});

describe('inline previews decided by magic bytes', () => {
	test('PDF: shown in a frame, served with default-src none and nosniff', async () => {
		const { context, page, inbox } = await newPage();
		await page.goto(`${inbox}/${uids.files}`);
		await page.getByRole('link', { name: 'Aperçu de compte-rendu.pdf' }).click();
		await page.waitForURL(/\/apercu\/[\d.]+$/);
		const frame = page.locator('iframe[title="Aperçu du PDF compte-rendu.pdf"]');
		const src = await frame.getAttribute('src');
		expect(src).toMatch(/\/fichier$/);
		// No sandbox attribute: Chromium's viewer refuses sandboxed PDFs; the CSP confines it.
		expect(await frame.getAttribute('sandbox')).toBeNull();
		const pdf = await context.request.get(new URL(src!, page.url()).toString());
		expect(pdf.status()).toBe(200);
		expect(pdf.headers()['content-type']).toBe('application/pdf');
		expect(pdf.headers()['content-security-policy']).toBe("default-src 'none'");
		expect(pdf.headers()['x-content-type-options']).toBe('nosniff');
		expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
		// Chromium's viewer draws the PDF in its own process: give it a moment for the screenshot.
		await frame
			.contentFrame()
			.locator('embed')
			.waitFor({ state: 'attached' })
			.catch(() => {});
		await page.screenshot({ path: `${SCREENS}/reader-preview-pdf-1280.png` });
		await context.close();
	});

	test('image declared as a generic binary: recognised by its bytes and shown', async () => {
		const { context, page, inbox } = await newPage();
		await page.goto(`${inbox}/${uids.files}`);
		await page.getByRole('link', { name: 'Aperçu de radio.png' }).click();
		const image = page.getByRole('img', { name: 'Aperçu de l’image radio.png' });
		await image.waitFor();
		await page.waitForFunction(() => {
			const img = document.querySelector<HTMLImageElement>('.image img');
			return img !== null && img.complete && img.naturalWidth > 0;
		});
		expect(await image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(48);
		const response = await context.request.get(
			new URL((await image.getAttribute('src'))!, page.url()).toString()
		);
		expect(response.headers()['content-type']).toBe('image/png');
		expect(response.headers()['content-security-policy']).toBe(
			"default-src 'none'; img-src 'self'; sandbox"
		);
		await page.screenshot({ path: `${SCREENS}/reader-preview-image-1280.png` });
		await context.close();
	});

	test('a fake PDF is refused with a clear message and offered as a download', async () => {
		const { context, page, inbox } = await newPage();
		await page.goto(`${inbox}/${uids.files}`);
		await page.getByRole('link', { name: 'Aperçu de resultat.pdf' }).click();
		const alert = page.getByRole('alert');
		expect(await alert.innerText()).toContain('Aperçu refusé');
		expect(await alert.innerText()).toContain('se présente comme un PDF');
		expect(await page.locator('iframe').count()).toBe(0);
		const download = alert.getByRole('link', { name: 'télécharger' });
		expect(await download.getAttribute('href')).toMatch(/\/pj\/[\d.]+$/);
		const file = await context.request.get(`${page.url()}/fichier`);
		expect(file.status()).toBe(415);
		await page.screenshot({ path: `${SCREENS}/reader-preview-refused-1280.png` });
		await context.close();
	});
});

describe('health document refusal', () => {
	test('"Refuser le document" sends an MDN with the chosen ANS code and comment', async () => {
		const { context, page, inbox } = await newPage();
		await page.goto(`${inbox}/${uids.xdm}`);
		const section = page.getByRole('region', { name: 'Documents de santé' });
		await section.getByRole('link', { name: 'Refuser le document…' }).click();
		await page.waitForURL(/\/refus$/);
		// Submitting without a reason is refused by the form, nothing is sent.
		await page.getByRole('radio', { name: /902/ }).check();
		await page.getByLabel('Commentaire (facultatif)').fill('Patient inconnu de notre DPI (test).');
		await page.screenshot({ path: `${SCREENS}/reader-refusal-1280.png`, fullPage: true });
		await page.getByRole('button', { name: 'Envoyer le refus' }).click();
		await page.waitForURL(/info=refus-envoye/);
		expect(
			await page.getByRole('status').filter({ hasText: 'Refus du document envoyé' }).innerText()
		).toContain('paul.durand@lab.mssante.test');
		const mdn = await waitForMdn('paul.durand@', messageIds.xdm!);
		expect(mdn.subject).toMatch(/^\[KO Intégration système !\]\[902\] XDM\/1\.0\/DDM\+/);
		expect(mdn.source).toContain(
			'Disposition: manual-action/MDN-sent-manually; processed/Error: 902^Patient inconnu'
		);
		expect(mdn.source).toContain('Content-Type: message/rfc822');
		expect(await flagsOf(uids.xdm!)).toContain('$MDNSent');
		await context.close();
	});
});

describe('phone width', () => {
	test('the reader with its banner and menu fits 390 px', async () => {
		const { context, page, inbox } = await newPage({ width: 390 });
		await page.goto(`${inbox}/${uids.files}`);
		await page.locator('summary', { hasText: 'Plus d’actions' }).click();
		await page.screenshot({ path: `${SCREENS}/reader-menu-390.png` });
		const menu = await page.getByRole('list', { name: 'Plus d’actions' }).boundingBox();
		expect(menu!.x).toBeGreaterThanOrEqual(0);
		expect(menu!.x + menu!.width).toBeLessThanOrEqual(390);
		await page.goto(`${inbox}/${uids.files}/imprimer`);
		await page.screenshot({ path: `${SCREENS}/reader-print-390.png`, fullPage: true });
		await context.close();
	});
});
