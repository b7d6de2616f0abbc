/**
 * Pro Santé Connect tokens on the lab's real servers (ECO.1.2.1): a token obtained from the PSC
 * stand-in through its pages opens the person's mailbox over IMAP (AUTHENTICATE XOAUTH2 with
 * SASL-IR) and submits over SMTP (AUTH XOAUTH2, Postfix → Dovecot SASL); the structure mailbox
 * the person may open works too; another person's mailbox, a tampered or an expired token fail.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rootLogger } from '../../src/lib/server/log.ts';
import { openImapClient } from '../../src/lib/server/mail/imap/client.ts';
import { submitMessage } from '../../src/lib/server/mail/smtp/transport.ts';
import { loadAnchors } from '../../src/lib/server/config.ts';
import { pscConfigFrom } from '../../src/lib/server/psc/config.ts';
import { PscClient } from '../../src/lib/server/psc/oidc.ts';
import { readLabInfo, type LabInfo } from '../lab/lab.ts';
import { pscControl, walkPscPages } from '../lab/psc-client.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'confrere-psc-'));
const JEANNE = 'jeanne.martin@lab.mssante.test';
const PAUL = 'paul.durand@lab.mssante.test';
const SECRETARIAT = 'secretariat@cabinet-martin.lab.mssante.test';
let lab: LabInfo;
let client: PscClient;
let anchors: string[];

async function tokensFor(email: string) {
	const { url, pending } = await client.begin(`http://127.0.0.1:5999${lab.psc.redirectPath}`);
	const back = await walkPscPages(lab.psc, url.href, { email, consent: true });
	return client.complete(back, pending);
}

function imapWith(user: string, token: string) {
	return openImapClient({
		endpoint: { host: lab.imap.host, port: lab.imap.port, security: 'starttls' },
		auth: { kind: 'xoauth2', user, accessToken: () => Promise.resolve(token) },
		anchors,
		dataDir,
		logger: rootLogger
	});
}

beforeAll(async () => {
	lab = readLabInfo();
	anchors = loadAnchors(lab.caFile);
	const config = pscConfigFrom({
		PSC_ISSUER: lab.psc.issuer,
		PSC_CLIENT_ID: lab.psc.clientId,
		PSC_CLIENT_SECRET: lab.psc.clientSecret
	});
	if (!config) throw new Error('no PSC config');
	client = new PscClient(config);
	await pscControl(lab.psc, 'reinitialiser');
});

afterAll(async () => {
	await pscControl(lab.psc, 'reinitialiser');
});

describe('XOAUTH2 with the PSC stand-in', () => {
	test('the access token is an RS256 JWT of about 5 minutes with acr eidas1', async () => {
		const { tokens, identity } = await tokensFor(JEANNE);
		expect(identity).toMatchObject({ email: JEANNE, acr: 'eidas1', familyName: 'MARTIN' });
		expect(identity.subject).toMatch(/^8\d{11}$/);
		expect(tokens.refreshToken).toBeTruthy();
		expect(tokens.expiresIn).toBeGreaterThan(200);
		expect(tokens.expiresIn).toBeLessThanOrEqual(300);
		const [header = '', payload = ''] = tokens.accessToken.split('.');
		expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toMatchObject({
			alg: 'RS256',
			typ: 'JWT'
		});
		expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toMatchObject({
			iss: lab.psc.issuer,
			email: JEANNE,
			acr: 'eidas1'
		});
	});

	test('IMAP: own mailbox and the structure mailbox open, another person’s does not', async () => {
		const { tokens } = await tokensFor(JEANNE);
		const own = await imapWith(JEANNE, tokens.accessToken);
		const status = await own.status('INBOX', { messages: true });
		expect(status && status.messages).toBeGreaterThan(0);
		await own.logout();
		const shared = await imapWith(SECRETARIAT, tokens.accessToken);
		await shared.logout();
		await expect(imapWith(PAUL, tokens.accessToken)).rejects.toMatchObject({ code: 'IMAP_AUTH' });
	});

	test('IMAP: a tampered token is refused', async () => {
		const { tokens } = await tokensFor(PAUL);
		const [header, payload = '', signature] = tokens.accessToken.split('.');
		const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
			string,
			unknown
		>;
		const forged = Buffer.from(JSON.stringify({ ...claims, email: JEANNE })).toString('base64url');
		await expect(imapWith(JEANNE, `${header}.${forged}.${signature}`)).rejects.toMatchObject({
			code: 'IMAP_AUTH'
		});
	});

	test('IMAP: an expired token is refused; the refreshed one works', async () => {
		await pscControl(lab.psc, 'durees', { acces: '1' });
		try {
			const { tokens } = await tokensFor(PAUL);
			expect(tokens.expiresIn).toBeLessThanOrEqual(1);
			// Dovecot compares `exp` with its clock (seconds): wait until it is in the past.
			const exp = (
				JSON.parse(Buffer.from(tokens.accessToken.split('.')[1] ?? '', 'base64url').toString()) as {
					exp: number;
				}
			).exp;
			while (Date.now() / 1000 <= exp + 1) await new Promise((r) => setTimeout(r, 250));
			await expect(imapWith(PAUL, tokens.accessToken)).rejects.toMatchObject({ code: 'IMAP_AUTH' });
			await pscControl(lab.psc, 'durees', { acces: '300' });
			const renewed = await client.refresh(tokens.refreshToken ?? '');
			const again = await imapWith(PAUL, renewed.accessToken);
			await again.logout();
		} finally {
			await pscControl(lab.psc, 'reinitialiser');
		}
	});

	test('SMTP: AUTH XOAUTH2 submits; another person’s address is refused', async () => {
		const { tokens } = await tokensFor(JEANNE);
		const raw = Buffer.from(
			`From: ${JEANNE}\r\nTo: ${PAUL}\r\nSubject: Essai XOAUTH2\r\nMessage-ID: <psc-${Date.now()}@lab.mssante.test>\r\n\r\nMessage de test sans donnée de santé.\r\n`
		);
		const endpoint = { host: lab.smtp.host, port: lab.smtp.port, security: 'starttls' as const };
		const sent = await submitMessage({
			endpoint,
			auth: {
				kind: 'xoauth2',
				user: JEANNE,
				accessToken: () => Promise.resolve(tokens.accessToken)
			},
			anchors,
			dataDir,
			raw,
			envelope: { from: JEANNE, to: [PAUL] }
		});
		expect(sent.accepted).toEqual([PAUL]);
		await expect(
			submitMessage({
				endpoint,
				auth: {
					kind: 'xoauth2',
					user: PAUL,
					accessToken: () => Promise.resolve(tokens.accessToken)
				},
				anchors,
				dataDir,
				raw,
				envelope: { from: PAUL, to: [JEANNE] }
			})
		).rejects.toMatchObject({ code: 'SMTP_AUTH' });
	});

	test('a revoked person can no longer refresh (PSC logout)', async () => {
		const { tokens } = await tokensFor(PAUL);
		await pscControl(lab.psc, 'revoquer', { email: PAUL });
		await expect(client.refresh(tokens.refreshToken ?? '')).rejects.toMatchObject({
			error: 'invalid_grant'
		});
	});
});
