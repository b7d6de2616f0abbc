import { execFileSync } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	TEST_INTERMEDIATE_CN,
	TEST_ROOT_CN,
	ensureTestPki,
	generateTestPki,
	type TestPkiInfo
} from './test-pki.ts';

let dir: string;
let pki: TestPkiInfo;

beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'confrere-pki-'));
	pki = await generateTestPki({ dir });
});

afterAll(async () => {
	await rm(dir, { recursive: true, force: true });
});

async function x509(file: string): Promise<X509Certificate> {
	return new X509Certificate(await readFile(file));
}

/** `openssl verify` exit status and output: the reference implementation the servers use. */
function opensslVerify(args: string[]): { ok: boolean; output: string } {
	try {
		const output = execFileSync('openssl', ['verify', ...args], {
			encoding: 'utf8',
			stdio: 'pipe'
		});
		return { ok: true, output };
	} catch (error) {
		const e = error as { stdout?: string; stderr?: string };
		return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
	}
}

describe('test PKI shaped like IGC-Santé', () => {
	it('names the root and the organisations intermediate like IGC-Santé, marked TEST', async () => {
		const root = await x509(pki.rootCertFile);
		const intermediate = await x509(pki.intermediateCertFile);
		expect(root.subject).toContain(`CN=${TEST_ROOT_CN}`);
		expect(intermediate.subject).toContain(`CN=${TEST_INTERMEDIATE_CN}`);
		expect(root.ca).toBe(true);
		expect(intermediate.ca).toBe(true);
		expect(intermediate.checkIssued(root)).toBe(true);
		expect(intermediate.verify(root.publicKey)).toBe(true);
	});

	it('issues a server certificate for localhost and 127.0.0.1 with serverAuth', async () => {
		const server = await x509(pki.serverCertFile);
		const intermediate = await x509(pki.intermediateCertFile);
		expect(server.ca).toBe(false);
		expect(server.verify(intermediate.publicKey)).toBe(true);
		expect(server.subjectAltName).toContain('DNS:localhost');
		expect(server.subjectAltName).toContain('IP Address:127.0.0.1');
		expect(server.keyUsage).toContain('1.3.6.1.5.5.7.3.1');
		expect(server.checkHost('localhost')).toBe('localhost');
		expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
		const key = createPrivateKey(await readFile(pki.serverKeyFile));
		expect(server.checkPrivateKey(key)).toBe(true);
		expect((await stat(pki.serverKeyFile)).mode & 0o077).toBe(0);
	});

	it('chain.pem verifies the server and the good client certificates with CRL checks', () => {
		const good = [pki.serverCertFile, ...pki.clients.map((c) => c.certFile)];
		const result = opensslVerify([
			'-crl_check_all',
			'-CAfile',
			pki.chainFile,
			'-CRLfile',
			pki.crlBundleFile,
			...good
		]);
		expect(result.output).not.toContain('error');
		expect(result.ok).toBe(true);
	});

	it('issues ORG AUTH_CLI client certificates with O=structure, CN=mailbox, clientAuth', async () => {
		const lgc = pki.clients.find((c) => c.name === 'cabinet-martin-lgc');
		expect(lgc).toBeDefined();
		const cert = await x509(lgc?.certFile ?? '');
		expect(cert.subject).toContain('O=Cabinet médical Martin');
		expect(cert.subject).toContain('CN=lgc@cabinet-martin.lab.mssante.test');
		expect(cert.subjectAltName).toBe('email:lgc@cabinet-martin.lab.mssante.test');
		expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
		expect(cert.infoAccess).toBeUndefined();
	});

	it('exports each client as a PKCS#12 that Node opens with the password, and only with it', async () => {
		for (const client of pki.clients) {
			const pfx = await readFile(client.p12File);
			expect(() => createSecureContext({ pfx, passphrase: client.p12Password })).not.toThrow();
			expect(() => createSecureContext({ pfx, passphrase: 'wrong' })).toThrow();
		}
	});

	it('provides an expired, a revoked (listed in the CRL) and a foreign-CA client certificate', () => {
		const expired = opensslVerify(['-CAfile', pki.chainFile, pki.bad.expired.certFile]);
		expect(expired.ok).toBe(false);
		expect(expired.output).toContain('certificate has expired');

		const withoutCrl = opensslVerify(['-CAfile', pki.chainFile, pki.bad.revoked.certFile]);
		expect(withoutCrl.ok).toBe(true);
		const revoked = opensslVerify([
			'-crl_check_all',
			'-CAfile',
			pki.chainFile,
			'-CRLfile',
			pki.crlBundleFile,
			pki.bad.revoked.certFile
		]);
		expect(revoked.ok).toBe(false);
		expect(revoked.output).toContain('certificate revoked');

		const foreign = opensslVerify(['-CAfile', pki.chainFile, pki.bad.foreign.certFile]);
		expect(foreign.ok).toBe(false);
		const foreignOwnRoot = opensslVerify([
			'-CAfile',
			pki.foreignRootCertFile,
			pki.bad.foreign.certFile
		]);
		expect(foreignOwnRoot.ok).toBe(true);
	});

	it('writes the CRL in PEM and DER, signed by the intermediate, with the revoked serial', async () => {
		const text = execFileSync(
			'openssl',
			['crl', '-inform', 'DER', '-in', pki.crlDerFile, '-CAfile', pki.chainFile, '-noout', '-text'],
			{ encoding: 'utf8', stdio: 'pipe' }
		);
		expect(text).toContain(`CN = ${TEST_INTERMEDIATE_CN}`);
		expect(text).toContain(pki.bad.revoked.serialNumber.toUpperCase());
		expect(text).toContain('CRL Number');
		const pem = await readFile(pki.crlPemFile, 'utf8');
		expect(pem.startsWith('-----BEGIN X509 CRL-----\n')).toBe(true);
		const verify = execFileSync(
			'openssl',
			['crl', '-in', pki.crlPemFile, '-CAfile', pki.chainFile, '-noout'],
			{ encoding: 'utf8', stdio: 'pipe' }
		);
		expect(verify).toBe('');
	});

	it('ensureTestPki reuses an existing PKI and regenerates a broken one', async () => {
		const again = await ensureTestPki(dir);
		expect(again.serverCertFile).toBe(pki.serverCertFile);
		expect(await readFile(again.rootCertFile, 'utf8')).toBe(
			await readFile(pki.rootCertFile, 'utf8')
		);

		const oldRoot = (await x509(pki.rootCertFile)).fingerprint256;
		await rm(pki.chainFile);
		const regenerated = await ensureTestPki(dir);
		expect((await x509(regenerated.rootCertFile)).fingerprint256).not.toBe(oldRoot);
		pki = regenerated;
	});
});
