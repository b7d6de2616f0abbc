import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CertificateError } from '../src/lib/server/errors.ts';
import { validateServerChain } from './chain.ts';
import { checkPathRevocation } from './crl-cache.ts';
import { serverWithOcsp, startOcspResponder, type OcspResponder } from './test-ocsp-responder.ts';
import { createTrustFixtures, type TrustFixtures } from './test-trust-fixtures.ts';
import { describeCertificate } from './x509.ts';

let fx: TrustFixtures;
let ocsp: OcspResponder;
let dataDir: string;
let server: ReturnType<typeof serverWithOcsp>;

beforeAll(async () => {
	fx = await createTrustFixtures();
	const issuer = {
		certPem: fx.anchors[1] ?? '',
		keyPem: await readFile(fx.pki.intermediateKeyFile, 'utf8')
	};
	ocsp = await startOcspResponder(issuer);
	server = serverWithOcsp({ issuer, cn: 'ocsp.localhost', ocspUrl: ocsp.url, crlUrl: fx.crlUrl });
});

afterAll(async () => {
	await ocsp.close();
	await fx.close();
});

beforeEach(async () => {
	dataDir = await mkdtemp(join(tmpdir(), 'confrere-ocsp-'));
	ocsp.mode = 'ok';
	ocsp.revoked.clear();
	fx.setCrlAvailable(true);
	return () => rm(dataDir, { recursive: true, force: true });
});

async function revocation(): Promise<Awaited<ReturnType<typeof checkPathRevocation>>> {
	const { pathDer } = await validateServerChain({ leaf: server.certPem, anchors: fx.anchors });
	return checkPathRevocation(pathDer, { dataDir });
}

describe('OCSP (RFC 6960) before the CRL', () => {
	it('reads the responder from the AIA and trusts a good answer signed by the issuer', async () => {
		expect(describeCertificate(server.certPem).ocspUrls).toEqual([ocsp.url]);
		const hits = fx.crlHits();
		const [status] = await revocation();
		expect(status).toMatchObject({ status: 'good', source: 'ocsp', ocspUrl: ocsp.url });
		expect(status?.note).toBeUndefined();
		expect(fx.crlHits()).toBe(hits);
	});

	it('refuses a certificate the responder reports revoked, even if the CRL does not list it', async () => {
		ocsp.revoked.add(server.serialNumber);
		const error = await revocation().then(
			() => undefined,
			(e: unknown) => e
		);
		expect(error).toBeInstanceOf(CertificateError);
		expect((error as CertificateError).code).toBe('CERT_REVOKED');
	});

	it('falls back to the CRL when the responder is down', async () => {
		ocsp.mode = 'down';
		const [status] = await revocation();
		expect(status).toMatchObject({ status: 'good', source: 'download' });
		expect(status?.note).toContain('HTTP 503 ; LCR utilisée.');
	});

	it('ignores a forged answer (not signed by the issuer) and falls back to the CRL', async () => {
		ocsp.mode = 'forged';
		ocsp.revoked.add(server.serialNumber); // a forged "revoked" must not be believed either
		const [status] = await revocation();
		expect(status).toMatchObject({ status: 'good', source: 'download' });
		expect(status?.note).toContain("n'est pas signée par l'autorité du certificat");
	});
});
