/**
 * The lab behaves like an MSSanté operator: real Dovecot and Postfix, TLS policy of ECO.1.1.x,
 * authenticated submission, delivery, size limit and DSN. Assumes the lab is running (the
 * integration globalSetup calls startLab()).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { beforeAll, describe, expect, it } from 'vitest';
import { readLabInfo, type LabInfo } from '../lab/lab.ts';
import { ECO_TLS12_CIPHERS } from '../lab/lab-settings.ts';
import { labImapClient } from '../lab/seed/seed.ts';

let info: LabInfo;
let ca: string;

beforeAll(() => {
	info = readLabInfo();
	ca = readFileSync(info.caFile, 'utf8');
});

function account(kind: 'PER' | 'ORG' | 'APP', index = 0) {
	const found = info.accounts.filter((a) => a.kind === kind)[index];
	if (!found) throw new Error(`no ${kind} account #${index} in lab.json`);
	return found;
}

function imap(address: string, starttls = false): ImapFlow {
	const acc = info.accounts.find((a) => a.address === address);
	return new ImapFlow({
		host: info.imap.host,
		port: starttls ? info.imap.port : info.imap.tlsPort,
		secure: !starttls,
		doSTARTTLS: starttls ? true : undefined,
		auth: { user: address, pass: acc?.password ?? '' },
		tls: { ca: [ca] },
		logger: false
	});
}

function smtp(address: string) {
	const acc = info.accounts.find((a) => a.address === address);
	return nodemailer.createTransport({
		host: info.smtp.host,
		port: info.smtp.port,
		secure: false,
		requireTLS: true,
		auth: { user: address, pass: acc?.password ?? '' },
		tls: { ca: [ca] }
	});
}

interface Handshake {
	ok: boolean;
	protocol?: string | null;
	cipher?: string;
	error?: string;
}

function handshake(host: string, port: number, options: ConnectionOptions): Promise<Handshake> {
	return new Promise((resolve) => {
		const socket = tlsConnect({ host, port, servername: 'localhost', ca, ...options });
		socket.once('secureConnect', () => {
			resolve({ ok: true, protocol: socket.getProtocol(), cipher: socket.getCipher().name });
			socket.destroy();
		});
		socket.once('error', (error: NodeJS.ErrnoException) =>
			resolve({ ok: false, error: error.code })
		);
	});
}

/** Waits (polling, generous bound) for a message in `address`'s INBOX whose source matches. */
async function waitForMessage(
	address: string,
	match: (source: string) => boolean
): Promise<string> {
	const client = imap(address);
	await client.connect();
	try {
		for (let attempt = 0; attempt < 100; attempt++) {
			const lock = await client.getMailboxLock('INBOX');
			try {
				for await (const message of client.fetch('1:*', { source: true })) {
					const source = message.source?.toString('utf8') ?? '';
					if (match(source)) return source;
				}
			} finally {
				lock.release();
			}
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		throw new Error(`no matching message reached ${address}`);
	} finally {
		await client.logout();
	}
}

describe('IMAP (Dovecot)', () => {
	it('logs in over implicit TLS trusting only the lab CA, with the MSSanté-relevant capabilities', async () => {
		const client = imap(account('PER').address);
		await client.connect();
		const caps = [...client.capabilities.keys()];
		for (const cap of ['CONDSTORE', 'QRESYNC', 'IDLE', 'SPECIAL-USE', 'ACL']) {
			expect(caps).toContain(cap);
		}
		const folders = await client.list();
		const specialUse = folders.map((f) => f.specialUse).filter(Boolean);
		expect(specialUse).toEqual(
			expect.arrayContaining(['\\Drafts', '\\Sent', '\\Trash', '\\Junk', '\\Archive'])
		);
		await client.logout();
	});

	it('logs in with STARTTLS (ECO.1.0.2) and sees the shared secretariat mailbox', async () => {
		const client = imap(account('PER').address, true);
		await client.connect();
		const folders = await client.list();
		const shared = `shared/${account('ORG').address}`;
		expect(folders.map((f) => f.path)).toContain(shared);
		const status = await client.status(shared, { messages: true });
		expect(status).not.toBe(false);
		expect(typeof (status || undefined)?.messages).toBe('number');
		await client.logout();

		// Dr Durand got no ACL on the secretariat mailbox: it is not listed for him.
		const other = imap(account('PER', 1).address);
		await other.connect();
		expect((await other.list()).map((f) => f.path)).not.toContain(shared);
		await other.logout();
	});

	it('lets the ORG and APP mailboxes log in with their certificate and own address (ECO.1.3.1)', async () => {
		for (const address of [account('ORG').address, account('APP').address]) {
			// labImapClient presents the mailbox's ORG AUTH_CLI certificate from the test PKI.
			const client = labImapClient(info, address);
			await client.connect();
			expect(client.authenticated).toBeTruthy();
			await client.logout();
		}
	});

	it('refuses LOGIN and AUTHENTICATE PLAIN before STARTTLS', async () => {
		const user = account('PER');
		const transcript = await new Promise<string>((resolve, reject) => {
			const socket = netConnect({ host: info.imap.host, port: info.imap.port });
			let data = '';
			let step = 0;
			const plain = Buffer.from(`\0${user.address}\0${user.password}`).toString('base64');
			socket.on('data', (chunk) => {
				data += chunk.toString('utf8');
				if (step === 0 && data.includes('\r\n')) {
					step = 1;
					socket.write(`a1 LOGIN ${user.address} "${user.password}"\r\n`);
				} else if (step === 1 && /\r\na1 /.test(data)) {
					step = 2;
					socket.write(`a2 AUTHENTICATE PLAIN ${plain}\r\n`);
				} else if (step === 2 && /\r\na2 /.test(data)) {
					socket.end('a3 LOGOUT\r\n');
					resolve(data);
				}
			});
			socket.on('error', reject);
		});
		expect(transcript).toContain('LOGINDISABLED');
		expect(transcript).toMatch(/\r\na1 NO/);
		expect(transcript).toMatch(/\r\na2 NO/);
	});
});

describe('TLS policy (ECO.1.1.1 to 1.1.3)', () => {
	const ports = () =>
		[
			[info.imap.host, info.imap.tlsPort],
			[info.smtp.host, info.smtp.tlsPort]
		] as const;

	it('accepts each of the six ECO.1.1.3 suites in TLS 1.2', async () => {
		for (const [host, port] of ports()) {
			for (const cipher of ECO_TLS12_CIPHERS) {
				const result = await handshake(host, port, { maxVersion: 'TLSv1.2', ciphers: cipher });
				expect(result, `${cipher} on ${port}`).toMatchObject({
					ok: true,
					protocol: 'TLSv1.2',
					cipher
				});
			}
		}
	});

	it('refuses a TLS 1.2 suite outside the list', async () => {
		for (const [host, port] of ports()) {
			for (const cipher of [
				'AES256-GCM-SHA384',
				'ECDHE-RSA-CHACHA20-POLY1305',
				'ECDHE-RSA-AES128-SHA'
			]) {
				const result = await handshake(host, port, { maxVersion: 'TLSv1.2', ciphers: cipher });
				expect(result.ok, `${cipher} on ${port}`).toBe(false);
			}
		}
	});

	it('refuses TLS 1.1 with a protocol_version alert and allows TLS 1.3', async () => {
		for (const [host, port] of ports()) {
			const old = await handshake(host, port, {
				minVersion: 'TLSv1',
				maxVersion: 'TLSv1.1',
				ciphers: 'DEFAULT@SECLEVEL=0'
			});
			expect(old.ok).toBe(false);
			expect(old.error).toMatch(/PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|ECONNRESET/);
			const modern = await handshake(host, port, {});
			expect(modern).toMatchObject({ ok: true, protocol: 'TLSv1.3' });
		}
	});
});

describe('CRL publication (ECO.1.1.6)', () => {
	it('serves the intermediate CRL listing the revoked test client', async () => {
		const response = await fetch(info.crlUrl);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/pkix-crl');
		const der = Buffer.from(await response.arrayBuffer());
		expect(der[0]).toBe(0x30);
		expect(der.toString('hex')).toContain(info.pki.bad.revoked.serialNumber.toLowerCase());
	});
});

describe('SMTP submission (Postfix)', () => {
	it('delivers a message from one PER mailbox to another through STARTTLS + SASL', async () => {
		const from = account('PER', 0).address;
		const to = account('PER', 1).address;
		const messageId = `<lab-test-${randomUUID()}@lab.mssante.test>`;
		const sent = await smtp(from).sendMail({
			from,
			to,
			messageId,
			subject: 'Test de distribution du lab',
			text: 'Message de test (aucune donnée de santé).'
		});
		expect(sent.accepted).toEqual([to]);
		const source = await waitForMessage(to, (s) => s.includes(messageId));
		expect(source).toContain('Test de distribution du lab');
	});

	it('rejects unknown lab mailboxes and other domains at RCPT, per recipient (550)', async () => {
		const from = account('PER', 0).address;
		const known = account('PER', 1).address;
		const sent = await smtp(from).sendMail({
			from,
			to: [`inconnu@${info.domain}`, 'quelqu.un@example.org', known],
			subject: 'Destinataires mixtes',
			text: 'Test sans donnée de santé.'
		});
		expect(sent.accepted).toEqual([known]);
		const codes = (sent.rejectedErrors ?? []).map(
			(e) => (e as { responseCode?: number }).responseCode
		);
		expect(codes).toEqual([550, 550]);
	});

	it('does not offer or accept AUTH before STARTTLS', async () => {
		const user = account('PER', 0);
		const plain = Buffer.from(`\0${user.address}\0${user.password}`).toString('base64');
		const transcript = await new Promise<string>((resolve, reject) => {
			const socket = netConnect({ host: '127.0.0.1', port: info.smtp.port });
			let data = '';
			let step = 0;
			socket.on('data', (chunk) => {
				data += chunk.toString('utf8');
				if (step === 0 && /^220 .*\r\n/m.test(data)) {
					step = 1;
					socket.write('EHLO client.lab.mssante.test\r\n');
				} else if (step === 1 && /^250 .*\r\n/m.test(data)) {
					step = 2;
					socket.write(`AUTH PLAIN ${plain}\r\n`);
				} else if (step === 2 && /\r\n[45]\d\d .*\r\n$/.test(data)) {
					socket.end('QUIT\r\n');
					resolve(data);
				}
			});
			socket.on('error', reject);
		});
		expect(transcript).toContain('250-STARTTLS');
		expect(transcript).not.toMatch(/250[- ]AUTH/);
		expect(transcript).toMatch(/\r\n5\d\d [^\r]*\r\n$/);
	});

	it('refuses a sender address that is not the authenticated mailbox', async () => {
		const send = smtp(account('PER', 0).address).sendMail({
			from: account('PER', 1).address,
			to: account('PER', 2).address,
			subject: 'usurpation',
			text: 'x'
		});
		await expect(send).rejects.toMatchObject({ responseCode: 553 });
	});

	it('refuses a message above message_size_limit with 552', async () => {
		const from = account('PER', 0).address;
		const line = 'x'.repeat(998) + '\r\n';
		const body = line.repeat(Math.ceil((info.messageSizeLimit + 1024) / line.length));
		const send = smtp(from).sendMail({
			envelope: { from, to: [account('PER', 1).address] },
			raw: `From: ${from}\r\nTo: ${account('PER', 1).address}\r\nSubject: trop gros\r\n\r\n${body}`
		});
		await expect(send).rejects.toMatchObject({ responseCode: 552 });
	});

	it('returns a delivery report (RFC 3461 NOTIFY=SUCCESS) to the sender', async () => {
		const from = account('PER', 2).address;
		const envid = `lab-dsn-${randomUUID()}`;
		await smtp(from).sendMail({
			from,
			to: account('PER', 0).address,
			subject: 'Demande d’accusé de distribution',
			text: 'Test DSN.',
			dsn: { id: envid, return: 'headers', notify: ['success'] }
		});
		const report = await waitForMessage(
			from,
			(s) => s.includes(envid) && /multipart\/report/i.test(s)
		);
		expect(report).toMatch(/report-type="?delivery-status/i);
		expect(report).toMatch(/Action: delivered/i);
	});
});
