/**
 * A corpus of known HTML/CSS attack vectors, delivered as a real message and rendered in real
 * Chromium: nothing may execute and nothing may load from outside. Every vector aims at a tripwire
 * HTTP server on loopback (a load, a script running fetch(), a form, a redirect…); the test passes
 * only if the tripwire saw no request at all and no dialog opened.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { ImapFlow } from 'imapflow';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { readLabInfo } from '../lab/lab.ts';
import { launchBrowser } from './browser.ts';
import { labAccount, signIn } from './support.ts';

const baseUrl = inject('baseUrl');
let browser: Browser;
let tripwire: Server;
const hits: string[] = [];

function vectors(t: string): string[] {
	const js = `fetch('${t}/js')`;
	return [
		`<script>${js}</script>`,
		`<img src="x" onerror="${js}">`,
		`<img src="${t}/img">`,
		`<img srcset="${t}/srcset 1x">`,
		`<picture><source srcset="${t}/picture"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></picture>`,
		`<svg onload="${js}"><image href="${t}/svg-image"/></svg>`,
		`<svg><animate onbegin="${js}" attributeName="x" dur="1s"/></svg>`,
		`<math><mi xlink:href="javascript:${js}">x</mi></math>`,
		`<a href="javascript:${js}">lien</a>`,
		`<iframe src="${t}/iframe"></iframe>`,
		`<iframe srcdoc="<script>${js}</script>"></iframe>`,
		`<object data="${t}/object"></object><embed src="${t}/embed">`,
		`<form action="${t}/form"><input name="a" value="b"><button>ok</button></form>`,
		`<meta http-equiv="refresh" content="0;url=${t}/refresh">`,
		`<link rel="stylesheet" href="${t}/css">`,
		`<style>@import url(${t}/import); body{background:url(${t}/style-bg)}</style>`,
		`<div style="background-image:url(${t}/inline-bg)">fond</div>`,
		`<div style="background:url('${t}/inline-bg2')">fond</div>`,
		`<div style="width: expression(${js})">ie</div>`,
		`<table background="${t}/table-bg"><tr><td background="${t}/td-bg">x</td></tr></table>`,
		`<video src="${t}/video" autoplay></video><audio src="${t}/audio" autoplay></audio>`,
		`<body onload="${js}"><p onmouseover="${js}">survol</p></body>`,
		`<base href="${t}/base/"><img src="relative.png">`,
		`<img src="cid:unknown-part">`,
		`<a href="${t}/link" ping="${t}/ping">lien ping</a>`,
		`<div style="position:fixed;top:0;left:0;width:100%;height:100%">recouvrement</div>`,
		`<noscript><img src="${t}/noscript"></noscript>`,
		`<template><img src="${t}/template"></template>`,
		`<img src="data:image/svg+xml;base64,${Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg"><script>${js}</script></svg>`).toString('base64')}">`,
		`<isindex action="${t}/isindex"><keygen><marquee onstart="${js}">m</marquee>`
	];
}

beforeAll(async () => {
	tripwire = createServer((req, res) => {
		hits.push(req.url ?? '?');
		res.end('');
	});
	await new Promise<void>((resolve) => tripwire.listen(0, '127.0.0.1', resolve));
	browser = await launchBrowser();
});

afterAll(async () => {
	await browser?.close();
	tripwire?.close();
});

test('hostile HTML renders without executing or loading anything', async () => {
	const lab = readLabInfo();
	const account = labAccount('paul.durand@');
	const t = `http://127.0.0.1:${(tripwire.address() as AddressInfo).port}`;
	const subject = `Vecteurs hostiles ${Date.now()}`;
	const html = `<html><head><title>x</title></head><body><p>Texte lisible avant.</p>${vectors(t).join('\n')}<p>Texte lisible après.</p></body></html>`;
	const raw = [
		'From: Expediteur douteux <douteux@lab.mssante.test>',
		`To: ${account.address}`,
		`Subject: ${subject}`,
		`Message-ID: <hostile-${Date.now()}@lab.mssante.test>`,
		'MIME-Version: 1.0',
		'Content-Type: text/html; charset=utf-8',
		'',
		html
	].join('\r\n');
	const imap = new ImapFlow({
		host: lab.imap.host,
		port: lab.imap.port,
		secure: false,
		doSTARTTLS: true,
		tls: { ca: [readFileSync(lab.caFile, 'utf8')] },
		auth: { user: account.address, pass: account.password },
		logger: false
	});
	await imap.connect();
	await imap.append('INBOX', raw, []);
	await imap.logout();

	const context = await browser.newContext();
	const page = await context.newPage();
	let dialogs = 0;
	page.on('dialog', (dialog) => {
		dialogs += 1;
		void dialog.dismiss();
	});
	await signIn(page, baseUrl, account);
	await page.getByRole('list', { name: 'Messages' }).getByText(subject).click();
	const frame = page.frameLocator('iframe[title="Contenu du message"]');
	await frame.getByText('Texte lisible après.').waitFor();
	await frame.getByText('Texte lisible avant.').waitFor();
	// Hover and click what a user might touch; give anything that could fire time to do so.
	await frame
		.getByText('survol')
		.hover()
		.catch(() => undefined);
	await frame
		.getByText('lien', { exact: true })
		.click({ timeout: 2_000 })
		.catch(() => undefined);
	await page.waitForTimeout(1_500);

	expect(hits).toEqual([]);
	expect(dialogs).toBe(0);
	// Still the reading page: no redirect, no navigation of the top window.
	expect(page.url()).toMatch(/\/INBOX\/\d+$/);

	// Control: the tripwire works, and remote images load only once the user allows them — while
	// scripts still never run.
	await page.getByRole('link', { name: 'Afficher les images' }).click();
	await frame.getByText('Texte lisible après.').waitFor();
	await page.waitForTimeout(1_500);
	expect(hits).toContain('/img');
	expect(hits.filter((hit) => hit.startsWith('/js'))).toEqual([]);
	expect(dialogs).toBe(0);
	await context.close();
});
