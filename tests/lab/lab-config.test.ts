import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestPkiInfo } from '../../certs/test-pki.ts';
import {
	CERT_PASSDB_FILES,
	dovecotCertPassdbConfig,
	dovecotCertUsersFile,
	dovecotConfig,
	dovecotPassdbConfig,
	dovecotUsersFile,
	ssha256
} from './dovecot-config.ts';
import {
	ECO_TLS12_CIPHERS,
	LAB_ACCOUNTS,
	LAB_IMAP_ADDRESS,
	labPaths,
	labPorts,
	messageSizeLimitFromEnv,
	portBaseFromEnv
} from './lab-settings.ts';
import {
	postfixClientCertificates,
	postfixMainCf,
	postfixMasterCf,
	postfixSenderLogins
} from './postfix-config.ts';

let root: string;
const pki = {
	serverFullChainFile: '/pki/server-fullchain.pem',
	serverKeyFile: '/pki/server-key.pem',
	chainFile: '/pki/chain.pem'
} as TestPkiInfo;

beforeAll(async () => {
	root = await mkdtemp(join(tmpdir(), 'confrere-lab-config-'));
});
afterAll(async () => {
	await rm(root, { recursive: true, force: true });
});

describe('lab settings', () => {
	it('derives every port from LAB_PORT_BASE and rejects a bad base with the variable name', () => {
		expect(labPorts(20_000)).toMatchObject({
			imap: 20_143,
			imaps: 20_993,
			submission: 20_587,
			smtps: 20_465,
			lmtp: 20_024
		});
		expect(portBaseFromEnv({})).toBe(10_000);
		expect(() => portBaseFromEnv({ LAB_PORT_BASE: 'abc' })).toThrow(/LAB_PORT_BASE/);
		expect(() => portBaseFromEnv({ LAB_PORT_BASE: '65000' })).toThrow(/LAB_PORT_BASE/);
	});

	it('defaults the size limit to 25 MB and validates LAB_MESSAGE_SIZE_LIMIT', () => {
		expect(messageSizeLimitFromEnv({})).toBe(26_214_400);
		expect(messageSizeLimitFromEnv({ LAB_MESSAGE_SIZE_LIMIT: '1048576' })).toBe(1_048_576);
		expect(() => messageSizeLimitFromEnv({ LAB_MESSAGE_SIZE_LIMIT: '25M' })).toThrow(
			/LAB_MESSAGE_SIZE_LIMIT/
		);
	});

	it('has the three practitioners, one ORG and one APP mailbox', () => {
		const kinds = LAB_ACCOUNTS.map((a) => a.kind);
		expect(kinds.filter((k) => k === 'PER').length).toBeGreaterThanOrEqual(3);
		expect(kinds).toContain('ORG');
		expect(kinds).toContain('APP');
	});
});

describe('Dovecot configuration', () => {
	const config = () =>
		dovecotConfig({
			paths: labPaths(root),
			ports: labPorts(),
			pki,
			mailUid: 104,
			mailGid: 113,
			postmaster: 'postmaster@lab.mssante.test',
			extraAuthIncludes: ['/lab/auth-oauth2.conf.ext']
		});

	it('limits TLS 1.2 to the six ECO.1.1.3 suites and refuses cleartext auth', () => {
		const text = config();
		expect(text).toContain(`ssl_cipher_list = ${ECO_TLS12_CIPHERS.join(':')}`);
		expect(ECO_TLS12_CIPHERS).toHaveLength(6);
		expect(text).toContain('ssl_min_protocol = TLSv1.2');
		expect(text).toContain('disable_plaintext_auth = yes');
		expect(text).toMatch(
			new RegExp(`inet_listener imap \\{\\n\\s+address = ${LAB_IMAP_ADDRESS.replace(/\./g, '\\.')}`)
		);
	});

	it('keeps the password passdb in its own include, followed by extra auth includes', () => {
		const text = config();
		const own = text.indexOf(`!include ${labPaths(root).dovecotPassdbConf}`);
		const extra = text.indexOf('!include /lab/auth-oauth2.conf.ext');
		expect(own).toBeGreaterThan(0);
		expect(extra).toBeGreaterThan(own);
		expect(text).not.toContain('passdb {');
		const passdb = dovecotPassdbConfig({ paths: labPaths(root), mailUid: 104, mailGid: 113 });
		expect(passdb).toContain('driver = passwd-file');
		expect(passdb).toContain('uid=104 gid=113');
	});

	it('hashes passwords ({SSHA256}) so the users file holds no cleartext', () => {
		const users = dovecotUsersFile(LAB_ACCOUNTS);
		for (const account of LAB_ACCOUNTS) expect(users).not.toContain(account.password);
		const hash = ssha256('secret', Buffer.from('12345678'));
		const raw = Buffer.from(hash.replace('{SSHA256}', ''), 'base64');
		expect(raw).toHaveLength(32 + 8);
		expect(raw.subarray(32).toString()).toBe('12345678');
	});

	it('is accepted by doveconf (the real parser)', async () => {
		const paths = labPaths(root);
		await mkdir(paths.dovecotDir, { recursive: true });
		const mock = config().replace(/!include \/lab\/auth-oauth2\.conf\.ext\n/, '');
		// doveconf reads ssl files and the users file: point them at harmless placeholders.
		for (const file of [paths.dovecotUsers, paths.dh]) {
			await mkdir(join(file, '..'), { recursive: true });
			await writeFile(file, '');
		}
		await writeFile(
			paths.dovecotPassdbConf,
			dovecotPassdbConfig({ paths, mailUid: 104, mailGid: 113 })
		);
		const conf = join(root, 'dovecot-check.conf');
		await writeFile(
			conf,
			mock
				.replace(/^ssl_(cert|key|ca|dh) = <.*$/gm, '')
				// Needs the ssl_ca removed above (the real lab writes the chain and its CRLs).
				.replace(/^ssl_verify_client_cert = yes$/m, '')
		);
		const out = execFileSync('doveconf', ['-c', conf, '-n'], { encoding: 'utf8', stdio: 'pipe' });
		expect(out).toContain('acl_shared_dict');
		expect(out).toContain('special_use = \\Archive');
		expect(out).toContain('imap_acl');
	});
});

describe('client-certificate access (ECO.1.3.1)', () => {
	it('never accepts the password of a certificate-only mailbox, lists it only for valid certificates', () => {
		const only = LAB_ACCOUNTS.filter((a) => a.certificateOnly).map((a) => a.address);
		expect(only).toEqual([
			'secretariat@cabinet-martin.lab.mssante.test',
			'lgc@cabinet-martin.lab.mssante.test'
		]);
		const users = dovecotUsersFile(LAB_ACCOUNTS).split('\n');
		const line = users.find((l) => l.startsWith(`${only[0]}:`)) ?? '';
		const hash = line.split(':')[1] ?? '';
		const raw = Buffer.from(hash.replace('{SSHA256}', ''), 'base64');
		expect(ssha256(LAB_ACCOUNTS[0]!.password, raw.subarray(32))).not.toBe(hash);
		expect(dovecotCertUsersFile(LAB_ACCOUNTS, 'imapvalid')).toContain(
			`${only[0]}:::::::nopassword=y`
		);
		expect(dovecotCertUsersFile(LAB_ACCOUNTS, 'smtpcert')).toContain(only[1]);
		for (const file of ['imap', 'smtp', 'smtpvalid']) {
			expect(dovecotCertUsersFile(LAB_ACCOUNTS, file)).toBe('');
		}
		expect(CERT_PASSDB_FILES).toContain('imapvalid');
		expect(dovecotCertPassdbConfig(labPaths(root))).toMatch(/cert-users\/%s%\{cert\}$/m);
	});

	it('registers client certificates by SHA-256 fingerprint for Postfix', () => {
		expect(postfixClientCertificates(['aa:bb'])).toBe('AA:BB OK\n');
	});
});

describe('Postfix configuration', () => {
	const options = () => ({
		paths: labPaths(root),
		ports: labPorts(),
		pki,
		messageSizeLimit: 1234567
	});

	it('delivers the lab domains to Dovecot LMTP, with DSN "delivered" and the size limit', () => {
		const main = postfixMainCf(options());
		expect(main).toContain('virtual_transport = lmtp:inet:127.0.0.1:10024');
		expect(main).toContain('lmtp_assume_final = yes');
		expect(main).toContain('message_size_limit = 1234567');
		expect(main).toContain('smtpd_sasl_path = inet:127.0.0.1:10026');
		expect(main).toContain(`tls_high_cipherlist = ${ECO_TLS12_CIPHERS.join(':')}`);
		expect(main).toMatch(/^maillog_file_prefixes = /m);
	});

	it('requires TLS and SASL on submission and SMTPS, with sender = login', () => {
		const master = postfixMasterCf(options());
		const services = master.split(/\n(?=\S)/).filter((s) => /^127\.0\.0\.1:\d+ inet/.test(s));
		expect(services).toHaveLength(3);
		for (const service of services.filter((s) => !s.includes('submission-cert'))) {
			expect(service).toContain('smtpd_tls_security_level=encrypt');
			expect(service).toContain('smtpd_client_restrictions=permit_sasl_authenticated,reject');
			expect(service).toContain('reject_sender_login_mismatch');
		}
		expect(master).toMatch(/^postlog\s+unix-dgram/m);
		const cert = services.find((s) => s.includes('submission-cert')) ?? '';
		expect(cert).toContain(`127.0.0.1:${labPorts().submissionCert} inet`);
		expect(cert).toContain('smtpd_tls_req_ccert=yes');
		expect(cert).toContain('smtpd_sasl_service=smtpcert');
		expect(cert).toMatch(/smtpd_client_restrictions=check_ccert_access,texthash:\S+,reject/);
		expect(postfixSenderLogins(LAB_ACCOUNTS).split('\n')[0]).toBe(
			`${LAB_ACCOUNTS[0]?.address} ${LAB_ACCOUNTS[0]?.address}`
		);
	});
});
