/**
 * New mail reaches the open page by itself: IDLE on a dedicated connection → server-sent events →
 * the list reloads its data. Real Postfix delivery, real Dovecot IDLE, real Chromium.
 */
import { readFileSync } from 'node:fs';
import { createTransport } from 'nodemailer';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { readLabInfo } from '../lab/lab.ts';
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

test('a message delivered while the INBOX is open appears without reloading', async () => {
	const context = await browser.newContext();
	const page = await context.newPage();
	const reader = labAccount('claire.nguyen@');
	await signIn(page, baseUrl, reader);
	// The page knows when its push connection is in place.
	await page.locator('[data-push="ready"]').waitFor({ timeout: 20_000 });

	const lab = readLabInfo();
	const sender = labAccount('paul.durand@');
	const subject = `Arrivée en direct ${Date.now()}`;
	const transport = createTransport({
		host: lab.smtp.host,
		port: lab.smtp.port,
		requireTLS: true,
		tls: { ca: [readFileSync(lab.caFile, 'utf8')] },
		auth: { user: sender.address, pass: sender.password }
	});
	await transport.sendMail({
		from: sender.address,
		to: reader.address,
		subject,
		text: 'Message poussé.'
	});
	transport.close();

	await page
		.getByRole('list', { name: 'Messages' })
		.getByText(subject)
		.waitFor({ timeout: 15_000 });
	expect(page.url()).toMatch(/\/INBOX$/);
	await context.close();
});
