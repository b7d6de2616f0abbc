/**
 * Structure and applicative mailboxes by certificate (ECO.1.3.1) against the real lab: the ORG
 * AUTH_CLI PKCS#12 is imported (key sealed in the app database), then the app's own IMAP and SMTP
 * code opens TLS with it and logs in with the mailbox address. The lab requires and verifies the
 * certificate: none, a foreign one, an expired or revoked one are refused. Bad PKCS#12 files give
 * a clear French error and store nothing.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAnchors } from '../../src/lib/server/config.ts';
import { closeAppDbs, openAppDb } from '../../src/lib/server/db/app-db.ts';
import { isAppError } from '../../src/lib/server/errors.ts';
import { rootLogger } from '../../src/lib/server/log.ts';
import { openImapClient, type MailboxAuth } from '../../src/lib/server/mail/imap/client.ts';
import { submitMessage } from '../../src/lib/server/mail/smtp/transport.ts';
import {
	certificateAuth,
	importStructureCertificate,
	listStructureCertificates,
	type StoreContext
} from '../../src/lib/server/structure-certs/store.ts';
import { readLabInfo, type LabInfo } from '../lab/lab.ts';
import { TEST_P12_PASSWORD } from '../../certs/test-pki.ts';

const SECRETARIAT = 'secretariat@cabinet-martin.lab.mssante.test';
const LGC = 'lgc@cabinet-martin.lab.mssante.test';
const dataDir = mkdtempSync(path.join(tmpdir(), 'confrere-cert-access-'));
let lab: LabInfo;
let context: StoreContext;

beforeAll(() => {
	lab = readLabInfo();
	context = {
		db: openAppDb(dataDir),
		secret: 'cert-access-test-secret-'.padEnd(40, 'x'),
		anchors: loadAnchors(lab.caFile),
		dataDir
	};
});

afterAll(() => {
	closeAppDbs();
});

function p12Of(mailbox: string): Buffer {
	const client = lab.pki.clients.find((c) => c.mailbox === mailbox);
	if (!client) throw new Error(`no test PKI client for ${mailbox}`);
	return readFileSync(client.p12File);
}

function filesAuth(files: { certFile: string; keyFile: string }, user: string): MailboxAuth {
	return {
		kind: 'certificate',
		user,
		certPem: readFileSync(files.certFile, 'utf8'),
		keyPem: readFileSync(files.keyFile, 'utf8')
	};
}

const imapEndpoint = () => ({
	host: lab.imap.host,
	port: lab.imap.port,
	security: 'starttls' as const
});

async function imapLogin(auth: MailboxAuth): Promise<string> {
	try {
		const client = await openImapClient({
			endpoint: imapEndpoint(),
			auth,
			anchors: context.anchors,
			dataDir,
			logger: rootLogger
		});
		const status = await client.status('INBOX', { messages: true });
		await client.logout();
		return `OK ${typeof (status || undefined)?.messages}`;
	} catch (error) {
		return isAppError(error) ? error.code : String(error);
	}
}

async function submit(auth: MailboxAuth, port: number): Promise<string> {
	const subject = `Certificat ${Date.now()}`;
	try {
		await submitMessage({
			endpoint: { host: lab.smtp.host, port, security: 'starttls' },
			auth,
			anchors: context.anchors,
			dataDir,
			raw: Buffer.from(
				`From: ${auth.user}\r\nTo: jeanne.martin@lab.mssante.test\r\nSubject: ${subject}\r\n\r\nTest.\r\n`
			),
			envelope: { from: auth.user, to: ['jeanne.martin@lab.mssante.test'] }
		});
		return 'OK';
	} catch (error) {
		return isAppError(error) ? error.code : String(error);
	}
}

async function importError(input: Parameters<typeof importStructureCertificate>[1]) {
	try {
		await importStructureCertificate(context, input);
		return undefined;
	} catch (error) {
		return isAppError(error) ? { code: error.code, message: error.message } : { code: 'X' };
	}
}

describe('structure mailboxes by certificate (ECO.1.3.1)', () => {
	it('imports the ORG and APP certificates, key sealed, and logs in over IMAP and SMTP with them', async () => {
		const org = await importStructureCertificate(context, {
			data: p12Of(SECRETARIAT),
			password: TEST_P12_PASSWORD,
			kind: 'ORG',
			actor: 'admin@lab.mssante.test'
		});
		expect(org).toMatchObject({ mailbox: SECRETARIAT, organisation: 'Cabinet médical Martin' });
		expect(org.daysLeft).toBeGreaterThan(30);
		await importStructureCertificate(context, {
			data: p12Of(LGC),
			password: TEST_P12_PASSWORD,
			kind: 'APP',
			actor: 'admin@lab.mssante.test'
		});
		expect(listStructureCertificates(context.db).map((c) => c.mailbox)).toEqual([LGC, SECRETARIAT]);
		// At rest the key is sealed: no PEM private key in the table.
		const raw = JSON.stringify(context.db.prepare('SELECT * FROM structure_certificate').all());
		expect(raw).not.toContain('PRIVATE KEY');

		for (const mailbox of [SECRETARIAT, LGC]) {
			const auth = certificateAuth(context, mailbox);
			expect(await imapLogin(auth)).toBe('OK number');
			expect(await submit(auth, lab.smtp.certPort)).toBe('OK');
		}
	});

	it('refuses the password of a certificate-only mailbox, and a login without certificate', async () => {
		const password: MailboxAuth = {
			kind: 'password',
			user: SECRETARIAT,
			password: 'Lab-Confrere-2026!'
		};
		expect(await imapLogin(password)).toBe('IMAP_AUTH');
		expect(await submit(password, lab.smtp.port)).toBe('SMTP_AUTH');
		// The certificate listener does not even take the mail without a certificate.
		expect(await submit(password, lab.smtp.certPort)).not.toBe('OK');
	});

	it('has the lab refuse foreign, expired and revoked certificates', async () => {
		for (const bad of [lab.pki.bad.foreign, lab.pki.bad.expired, lab.pki.bad.revoked]) {
			const auth = filesAuth(bad, SECRETARIAT);
			expect(await imapLogin(auth), bad.name).toBe('IMAP_AUTH');
			expect(await submit(auth, lab.smtp.certPort), bad.name).not.toBe('OK');
		}
	});

	it('refuses bad PKCS#12 files at import with a French message, storing nothing', async () => {
		const before = listStructureCertificates(context.db).length;
		const base = { kind: 'ORG' as const, actor: 'admin@lab.mssante.test' };
		const wrong = await importError({ ...base, data: p12Of(SECRETARIAT), password: 'mauvais' });
		expect(wrong).toMatchObject({ code: 'CERT_PKCS12_PASSWORD' });
		expect(wrong?.message).toMatch(/Mot de passe/);
		expect(wrong?.message).not.toContain('mauvais');

		const cert = forge.pki.certificateFromPem(readFileSync(lab.pki.clients[0]!.certFile, 'utf8'));
		const keyless = Buffer.from(
			forge.asn1
				.toDer(forge.pkcs12.toPkcs12Asn1(null, [cert], 'x', { algorithm: 'aes256' }))
				.getBytes(),
			'binary'
		);
		expect(await importError({ ...base, data: keyless, password: 'x' })).toMatchObject({
			code: 'CERT_PKCS12_NO_KEY'
		});
		expect(
			await importError({ ...base, data: Buffer.from('pas un p12'), password: 'x' })
		).toMatchObject({ code: 'CERT_INVALID' });
		for (const [bad, code] of [
			[lab.pki.bad.expired, 'CERT_EXPIRED'],
			[lab.pki.bad.revoked, 'CERT_REVOKED'],
			[lab.pki.bad.foreign, 'CERT_UNTRUSTED']
		] as const) {
			const error = await importError({
				...base,
				data: readFileSync(bad.p12File),
				password: TEST_P12_PASSWORD
			});
			expect(error?.code, bad.name).toBe(code);
			expect(error?.message).toMatch(/[éèàç]|certificat/i);
		}
		expect(
			await importError({
				...base,
				data: p12Of(LGC),
				password: TEST_P12_PASSWORD,
				expectedMailbox: SECRETARIAT
			})
		).toMatchObject({ code: 'CERT_INVALID' });
		expect(listStructureCertificates(context.db)).toHaveLength(before);
	});

	it('asks for a new import when the key was sealed under another server secret', () => {
		expect(() => certificateAuth({ ...context, secret: 'y'.repeat(40) }, SECRETARIAT)).toThrow(
			/importez-le de nouveau/
		);
		expect(() => certificateAuth(context, 'inconnu@cabinet-martin.lab.mssante.test')).toThrow(
			/Aucun certificat/
		);
	});
});
