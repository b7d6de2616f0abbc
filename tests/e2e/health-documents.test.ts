/**
 * Health documents when reading (ECO.2.1.2, ECO.3.1.x) in real Chromium: a message carrying a
 * valid IHE_XDM.ZIP (built by our library for the test identity PAT-TROIS, INS-NIR de test) is
 * appended to jeanne.martin's INBOX, then opened with JavaScript on and off: patient banner, the
 * document list, the PDF served inline in a sandbox, the CDA download. A second message comes from
 * a Mon Espace Santé address. Both are removed afterwards.
 */
import { readFileSync } from 'node:fs';
import { ImapFlow } from 'imapflow';
import type { Browser, Page } from 'playwright-core';
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
let browser: Browser;
const appended: number[] = [];
let xdmUid = 0;
let patientUid = 0;

function imap(): ImapFlow {
	const lab = readLabInfo();
	const account = labAccount('jeanne.martin@');
	return new ImapFlow({
		host: lab.imap.host,
		port: lab.imap.tlsPort,
		secure: true,
		auth: { user: account.address, pass: account.password },
		tls: { ca: [readFileSync(lab.caFile, 'utf8')] },
		logger: false
	});
}

function rawMessage(o: { from: string; subject: string; zip?: Uint8Array }): string {
	const boundary = `b-${Date.now()}`;
	const head = [
		`From: ${o.from}`,
		`To: jeanne.martin@lab.mssante.test`,
		`Subject: ${o.subject}`,
		`Date: ${new Date().toUTCString()}`,
		`Message-ID: <${Date.now()}.${Math.random().toString(36).slice(2)}@e2e.lab.mssante.test>`,
		'MIME-Version: 1.0'
	];
	const text = 'Bonjour,\r\nVeuillez trouver le document ci-joint.\r\n';
	if (!o.zip) return [...head, 'Content-Type: text/plain; charset=utf-8', '', text].join('\r\n');
	const base64 = Buffer.from(o.zip).toString('base64').replace(/.{76}/g, '$&\r\n');
	return [
		...head,
		`Content-Type: multipart/mixed; boundary="${boundary}"`,
		'',
		`--${boundary}`,
		'Content-Type: text/plain; charset=utf-8',
		'',
		text,
		`--${boundary}`,
		'Content-Type: application/zip; name="IHE_XDM.ZIP"',
		'Content-Disposition: attachment; filename="IHE_XDM.ZIP"',
		'Content-Transfer-Encoding: base64',
		'',
		base64,
		`--${boundary}--`,
		''
	].join('\r\n');
}

beforeAll(async () => {
	browser = await launchBrowser();
	const pkg = await buildXdmPackage({
		pdf: tinyPdf('Compte rendu e2e'),
		patient: PATIENT_PAT_TROIS,
		author: AUTHOR_TEST,
		type: '11488-4',
		title: 'Compte rendu de consultation e2e',
		date: '20240115'
	});
	const client = imap();
	await client.connect();
	try {
		const a = await client.append(
			'INBOX',
			rawMessage({
				from: 'Dr Paul DURAND <paul.durand@lab.mssante.test>',
				subject: pkg.subject,
				zip: pkg.zip
			})
		);
		const b = await client.append(
			'INBOX',
			rawMessage({
				from: '279035121518989@patient.mssante.fr',
				subject: 'Question sur mon traitement'
			})
		);
		if (!a || !a.uid || !b || !b.uid) throw new Error('append without UIDPLUS');
		xdmUid = a.uid;
		patientUid = b.uid;
		appended.push(a.uid, b.uid);
	} finally {
		await client.logout();
	}
});

afterAll(async () => {
	await browser?.close();
	if (appended.length === 0) return;
	const client = imap();
	await client.connect();
	try {
		const lock = await client.getMailboxLock('INBOX');
		try {
			await client.messageDelete(appended.join(','), { uid: true });
		} finally {
			lock.release();
		}
	} finally {
		await client.logout();
	}
});

async function openMessage(page: Page, uid: number): Promise<string> {
	await signIn(page, baseUrl, labAccount('jeanne.martin@'));
	const inbox = page.url();
	const url = `${inbox}/${uid}`;
	await page.goto(url);
	return url;
}

describe.each([
	{ name: 'JavaScript on', javaScriptEnabled: true },
	{ name: 'JavaScript off', javaScriptEnabled: false }
])('health documents ($name)', ({ javaScriptEnabled }) => {
	test('patient banner, document list, inline PDF, CDA download', async () => {
		const context = await browser.newContext({
			javaScriptEnabled,
			locale: 'fr-FR',
			acceptDownloads: true
		});
		const page = await context.newPage();
		const url = await openMessage(page, xdmUid);
		const heading = await page.getByRole('heading', { level: 2 }).innerText();
		expect(heading).not.toContain('XDM/1.0/DDM');

		const section = page.getByRole('region', { name: 'Documents de santé' });
		const banner = section.getByRole('group', { name: 'Patient' });
		const bannerText = await banner.innerText();
		expect(bannerText).toContain('PAT-TROIS');
		expect(bannerText).toContain('DOMINIQUE');
		expect(bannerText).toContain('279035121518989');
		expect(bannerText).toContain('INS-NIR de test');
		expect(bannerText).toContain('28/03/1979');

		const documents = section.getByRole('list', { name: 'Documents de l’archive' });
		const items = documents.getByRole('listitem');
		expect(await items.count()).toBe(1);
		const item = await items.first().innerText();
		expect(item).toContain('11488-4');
		expect(item).toContain('Intégrité vérifiée');
		expect(item).toContain('EXEMPLE');

		// Inline view: a frame on our document route, which serves the PDF inline and sandboxes it
		// with its own CSP (Chromium draws no PDF inside a sandboxed frame).
		const frame = section.locator('iframe');
		expect(await frame.getAttribute('sandbox')).toBeNull();
		const src = await frame.getAttribute('src');
		expect(src).toMatch(/\/document\/0$/);
		const pdf = await context.request.get(new URL(src!, url).toString());
		expect(pdf.status()).toBe(200);
		expect(pdf.headers()['content-type']).toBe('application/pdf');
		expect(pdf.headers()['content-disposition']).toMatch(/^inline/);
		expect(pdf.headers()['content-security-policy']).toContain('sandbox');
		expect(pdf.headers()['x-content-type-options']).toBe('nosniff');
		expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
		const open = section.getByRole('link', { name: /Ouvrir le document/ });
		expect(await open.getAttribute('href')).toBe(src);

		// The CDA downloads as XML.
		const [download] = await Promise.all([
			page.waitForEvent('download'),
			section.getByRole('link', { name: /Télécharger le CDA/ }).click()
		]);
		const cda = readFileSync(await download.path(), 'utf8');
		expect(cda).toContain('ClinicalDocument');
		expect(cda).toContain('279035121518989');

		// The whole archive stays downloadable.
		const zipLink = section.getByRole('link', { name: /archive complète/ });
		expect(await zipLink.getAttribute('href')).toMatch(/\/pj\//);
		await context.close();
	});

	test('mail from a patient is marked, identity to be checked', async () => {
		const context = await browser.newContext({ javaScriptEnabled, locale: 'fr-FR' });
		const page = await context.newPage();
		await openMessage(page, patientUid);
		const note = page.getByRole('note');
		const text = await note.innerText();
		expect(text).toContain('Message d’un patient (Mon Espace Santé)');
		expect(text).toContain('279035121518989');
		expect(text).toContain('identité à vérifier');
		expect(await page.getByRole('region', { name: 'Documents de santé' }).count()).toBe(0);
		await context.close();
	});
});

test('a document that does not exist is a 404', async () => {
	const context = await browser.newContext();
	const page = await context.newPage();
	const url = await openMessage(page, xdmUid);
	const response = await context.request.get(`${url}/document/7`);
	expect(response.status()).toBe(404);
	await context.close();
});
