/**
 * Sending health documents from the composer (issue 6) in real Chromium against the lab: the
 * author profile, a patient created in /patients (INS-NIR de test), a document sent to
 * paul.durand who sees the patient banner; an identity that is not qualified carries no INS;
 * "Écrire au patient" (address from the qualified INS, X-MSS-MES: FIN); "Remplacer ce document"
 * (same setId, version 2, RPLC). Messages are checked in Paul's real mailbox over IMAP.
 */
import { readFileSync } from 'node:fs';
import { unzipSync, strFromU8 } from 'fflate';
import { ImapFlow } from 'imapflow';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { readLabInfo } from '../lab/lab.ts';
import { tinyPdf } from '../../src/lib/server/mssante/testing/fixtures.ts';
import { launchBrowser } from './browser.ts';
import { labAccount, signIn } from './support.ts';

const baseUrl = inject('baseUrl');
const RUN = Date.now().toString(36);
let browser: Browser;
let page: Page;
let patientUrl = '';

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

/** Waits until a message whose subject contains `marker` is in Paul's INBOX; returns it. */
async function receivedByPaul(marker: string): Promise<{ uid: number; mail: ParsedMail }> {
	const client = imap('paul.durand@');
	await client.connect();
	try {
		for (;;) {
			const lock = await client.getMailboxLock('INBOX');
			try {
				const uids = (await client.search({ subject: marker }, { uid: true })) || [];
				const uid = uids.at(-1);
				if (uid) {
					const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
					if (message && message.source) return { uid, mail: await simpleParser(message.source) };
				}
			} finally {
				lock.release();
			}
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
	} finally {
		await client.logout();
	}
}

function cdaOf(mail: ParsedMail): string {
	const zip = mail.attachments.find((a) => a.filename === 'IHE_XDM.ZIP');
	if (!zip) throw new Error('no IHE_XDM.ZIP');
	const files = unzipSync(new Uint8Array(zip.content));
	return strFromU8(files['IHE_XDM/SUBSET01/DOC0001.XML']!);
}

async function composeDocument(o: { title: string; pdfLabel: string; to?: string }) {
	if (o.to) await page.getByLabel('À', { exact: true }).fill(o.to);
	await page.getByLabel('Message', { exact: true }).fill('Cher confrère, voici le document.');
	await page.getByLabel('Document PDF').setInputFiles({
		name: 'compte-rendu.pdf',
		mimeType: 'application/pdf',
		buffer: Buffer.from(tinyPdf(o.pdfLabel))
	});
	await page.getByLabel('Type de document').selectOption('11488-4');
	await page.getByLabel('Titre du document').fill(o.title);
	await page.getByLabel('Date de l’acte').fill('2026-11-30');
}

async function send() {
	await page.getByRole('button', { name: 'Envoyer' }).click();
	await page.waitForLoadState('networkidle');
	if (!page.url().includes('/envoi/')) {
		// The composer came back with errors: say which.
		const errors = await page.locator('.field-error, .alert').allInnerTexts();
		throw new Error(`not sent: ${errors.join(' | ')}`);
	}
	await page.getByRole('heading', { name: 'Message envoyé' }).waitFor({ timeout: 30_000 });
}

async function createPatient(fields: Record<string, string>, status: string): Promise<string> {
	await page.goto(`${baseUrl}/patients/nouveau`);
	for (const [label, value] of Object.entries(fields)) {
		await page.getByLabel(label, { exact: true }).fill(value);
	}
	await page.getByLabel('Sexe').selectOption('M');
	await page.getByLabel('Statut de l’identité').selectOption(status);
	await page.getByRole('button', { name: 'Enregistrer le patient' }).click();
	await page.getByText('Patient enregistré.').waitFor();
	return page.url().replace(/\?.*$/, '');
}

beforeAll(async () => {
	browser = await launchBrowser();
	const context = await browser.newContext({ locale: 'fr-FR' });
	page = await context.newPage();
	await signIn(page, baseUrl, labAccount('jeanne.martin@'));
});

afterAll(async () => {
	await browser?.close();
});

describe('health documents from the composer', () => {
	test('author profile: bad RPPS named, then saved', async () => {
		await page.goto(`${baseUrl}/patients/auteur`);
		await page.getByLabel('Nom', { exact: true }).fill('Martin');
		await page.getByLabel('Prénom', { exact: true }).fill('Jeanne');
		await page.getByLabel('Numéro RPPS').fill('123');
		await page.getByLabel('Profession et spécialité').selectOption('10/SM26');
		await page.getByLabel('Nom de l’organisation').fill('Cabinet médical Martin');
		await page.getByLabel('SIRET').fill('12345678900011');
		await page.getByRole('button', { name: 'Enregistrer le profil' }).click();
		await expect(page.getByText('Le numéro RPPS doit compter 11 chiffres.').count()).resolves.toBe(
			1
		);
		expect(await page.getByLabel('Nom de l’organisation').inputValue()).toBe(
			'Cabinet médical Martin'
		);
		await page.getByLabel('Numéro RPPS').fill('10001234567');
		await page.getByRole('button', { name: 'Enregistrer le profil' }).click();
		await page.getByText('Profil enregistré.').waitFor();
	});

	test('a patient: a wrong INS key is refused naming the field, then the patient is saved', async () => {
		await page.goto(`${baseUrl}/patients/nouveau`);
		await page.getByLabel('Nom de naissance', { exact: true }).fill('PAT-TROIS');
		await page.getByLabel('Prénoms de naissance').fill('DOMINIQUE MARIE-LOUISE');
		await page.getByLabel('Sexe').selectOption('F');
		await page.getByLabel('Date de naissance').fill('1979-03-28');
		await page.getByLabel('Lieu de naissance (code INSEE)').fill('51215');
		await page.getByLabel('Statut de l’identité').selectOption('qualifiee');
		await page.getByLabel('Matricule INS').fill('279035121518900');
		await page.getByLabel('Type d’INS').selectOption('1.2.250.1.213.1.4.10');
		await page.getByRole('button', { name: 'Enregistrer le patient' }).click();
		const error = await page.locator('#ins-error').innerText();
		expect(error).toMatch(/clé|INS/i);
		expect(await page.getByLabel('Nom de naissance', { exact: true }).inputValue()).toBe(
			'PAT-TROIS'
		);
		await page.getByLabel('Matricule INS').fill('279035121518989');
		await page.getByRole('button', { name: 'Enregistrer le patient' }).click();
		await page.getByText('Patient enregistré.').waitFor();
		patientUrl = page.url().replace(/\?.*$/, '');
		await page.goto(`${baseUrl}/patients?q=dominique`);
		await expect(
			page.getByRole('list', { name: 'Patients' }).getByText('279035121518989').count()
		).resolves.toBeGreaterThan(0);
	});

	test('send a document: paul.durand sees the patient banner with the INS', async () => {
		await page.goto(patientUrl);
		await page.getByRole('link', { name: 'Envoyer un document de santé' }).click();
		const title = `Consultation ${RUN}`;
		await composeDocument({
			title,
			pdfLabel: 'Compte rendu',
			to: labAccount('paul.durand@').address
		});
		await send();

		const { uid, mail } = await receivedByPaul(title);
		expect(mail.subject).toBe(`XDM/1.0/DDM+${title} PAT-TROIS DOMINIQUE 28/03/1979`);
		expect(mail.headers.get('x-mss-codecda')).toBe('11488-4');
		expect(mail.headers.get('x-mss-ins')).toBe('O');
		expect(mail.attachments.map((a) => a.filename)).toEqual([
			'IHE_XDM.ZIP',
			'20261130_CR_ou_fiche_de_consultation_ou_de_visite_PAT-TROIS_DOMINIQUE.pdf'
		]);

		const paul = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
		await signIn(paul, baseUrl, labAccount('paul.durand@'));
		await paul.goto(`${paul.url()}/${uid}`);
		const banner = await paul
			.getByRole('region', { name: 'Documents de santé' })
			.getByRole('group', { name: 'Patient' })
			.innerText();
		expect(banner).toContain('PAT-TROIS');
		expect(banner).toContain('279035121518989');
		expect(banner).toContain('INS-NIR de test');
		await paul.context().close();
	});

	test('an identity that is not qualified: no INS in the document, X-MSS-INS: N', async () => {
		await createPatient(
			{
				'Nom de naissance': 'CORSE',
				'Prénoms de naissance': 'FIGATELLIX',
				'Date de naissance': '1988-10-12'
			},
			'provisoire'
		);
		await page.getByRole('link', { name: 'Envoyer un document de santé' }).click();
		// No "Écrire au patient" for an identity that is not qualified.
		expect(await page.getByLabel('Écrire au patient (Mon espace santé)').isDisabled()).toBe(true);
		const title = `Provisoire ${RUN}`;
		await composeDocument({ title, pdfLabel: 'CR', to: labAccount('paul.durand@').address });
		await send();
		const { mail } = await receivedByPaul(title);
		expect(mail.headers.get('x-mss-ins')).toBe('N');
		const cda = cdaOf(mail);
		expect(cda).toContain('CORSE');
		expect(cda).not.toMatch(/1\.2\.250\.1\.213\.1\.4\.(8|9|10|11)"/);
	});

	test('écrire au patient: the address comes from the qualified INS, X-MSS-MES: FIN', async () => {
		await page.goto(patientUrl);
		await page.getByRole('link', { name: 'Écrire au patient' }).click();
		expect(await page.getByLabel('Écrire au patient (Mon espace santé)').isChecked()).toBe(true);
		const subject = `Résultats ${RUN}`;
		// A professional and the patient in the same message are allowed (v0.1 rule removed).
		await page.getByLabel('À', { exact: true }).fill(labAccount('paul.durand@').address);
		await page.getByLabel('Objet').fill(subject);
		await page.getByLabel('Message', { exact: true }).fill('Bonjour, vos résultats sont normaux.');
		await page.getByLabel('Le patient ne peut pas répondre').check();
		await page.getByRole('button', { name: 'Envoyer' }).click();
		// The lab has no patient.mssante.fr domain: it refuses that recipient, Paul still gets it.
		await page
			.getByRole('heading', { name: /Message envoyé|pas pu être envoyé/ })
			.waitFor({ timeout: 30_000 });
		const { mail } = await receivedByPaul(subject);
		const to = (Array.isArray(mail.to) ? mail.to : [mail.to]).flatMap((a) =>
			a ? a.value.map((v) => v.address) : []
		);
		expect(to).toContain('279035121518989@patient.mssante.fr');
		expect(mail.headers.get('x-mss-mes')).toBe('FIN');
		expect(mail.headers.has('x-mss-ins')).toBe(false);
	});

	test('remplacer ce document: same setId, version 2, RPLC', async () => {
		await page.goto(patientUrl);
		const first = `Consultation ${RUN}`;
		await page
			.getByRole('link', { name: `Remplacer ce document : ${first}` })
			.first()
			.click();
		await page.getByText(/annule et remplace/).waitFor();
		expect(await page.getByLabel('Titre du document').inputValue()).toBe(first);
		expect(await page.getByLabel('À', { exact: true }).inputValue()).toContain('paul.durand@');
		const title = `${first} corrigée`;
		await page.getByLabel('Titre du document').fill(title);
		await page.getByLabel('Document PDF').setInputFiles({
			name: 'cr-v2.pdf',
			mimeType: 'application/pdf',
			buffer: Buffer.from(tinyPdf('Compte rendu corrige'))
		});
		await send();
		const original = cdaOf((await receivedByPaul(`${first} PAT-TROIS`)).mail);
		const replacement = cdaOf((await receivedByPaul(title)).mail);
		const setId = (cda: string) => /<setId root="([^"]+)"/.exec(cda)?.[1];
		expect(setId(replacement)).toBe(setId(original));
		expect(replacement).toContain('<versionNumber value="2"/>');
		expect(replacement).toContain('typeCode="RPLC"');
		await page.goto(patientUrl);
		await expect(page.getByText(/version 2/).count()).resolves.toBe(1);
	});
});
