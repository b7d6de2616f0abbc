import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { validateChain, validateServerChain } from './chain.ts';
import { checkPathRevocation, crlCachePath } from './crl-cache.ts';
import { createTrustFixtures, type TrustFixtures, rejection } from './test-trust-fixtures.ts';

let fx: TrustFixtures;
let dataDir: string;

beforeAll(async () => {
	fx = await createTrustFixtures();
});

afterAll(async () => {
	await fx.close();
});

beforeEach(async () => {
	dataDir = await mkdtemp(join(tmpdir(), 'confrere-crl-'));
	fx.setCrlAvailable(true);
	return () => rm(dataDir, { recursive: true, force: true });
});

async function pathOf(certPem: string): Promise<Uint8Array[]> {
	return (await validateServerChain({ leaf: certPem, anchors: fx.anchors })).pathDer;
}

describe('checkPathRevocation', () => {
	it('downloads the CRL named by the certificate, checks it and caches it on disk', async () => {
		const hits = fx.crlHits();
		const [status] = await checkPathRevocation(await pathOf(fx.good.certPem), { dataDir });
		expect(status).toMatchObject({
			certificate: 'localhost',
			status: 'good',
			crlUrl: fx.crlUrl,
			source: 'download'
		});
		expect(fx.crlHits()).toBe(hits + 1);
		expect(await readdir(join(dataDir, 'crl'))).toEqual([
			crlCachePath(dataDir, fx.crlUrl).split('/').pop()
		]);

		// A fresh cached copy is used without downloading again.
		const [again] = await checkPathRevocation(await pathOf(fx.good.certPem), { dataDir });
		expect(again?.source).toBe('cache');
		expect(fx.crlHits()).toBe(hits + 1);
	});

	it('refuses a revoked certificate (ECO.1.1.6)', async () => {
		const error = await rejection(
			checkPathRevocation(await pathOf(fx.revoked.certPem), { dataDir })
		);
		expect(error.code).toBe('CERT_REVOKED');
		expect(error.message).toContain('« revoque.localhost » a été révoqué le');
	});

	it('keeps using the last valid CRL when the download fails (ECO.1.1.7)', async () => {
		await checkPathRevocation(await pathOf(fx.good.certPem), { dataDir });
		fx.setCrlAvailable(false);
		const [status] = await checkPathRevocation(await pathOf(fx.good.certPem), {
			dataDir,
			refreshAfterMs: 0
		});
		expect(status).toMatchObject({ status: 'good', source: 'cache-fallback' });
		expect(status?.note).toContain('dernière LCR valide en cache utilisée');
		// Revocations known to the cached CRL still apply during the outage.
		const error = await rejection(
			checkPathRevocation(await pathOf(fx.revoked.certPem), { dataDir, refreshAfterMs: 0 })
		);
		expect(error.code).toBe('CERT_REVOKED');
	});

	it('refuses with a clear reason when the download fails and the cached CRL has expired', async () => {
		await checkPathRevocation(await pathOf(fx.good.certPem), { dataDir });
		fx.setCrlAvailable(false);
		const now = new Date(Date.now() + 60 * 24 * 3600 * 1000); // past the CRL's nextUpdate (30 days)
		const error = await rejection(
			checkPathRevocation(await pathOf(fx.good.certPem), { dataDir, now })
		);
		expect(error.code).toBe('CERT_REVOCATION_UNKNOWN');
		expect(error.message).toMatch(
			/téléchargement impossible \(HTTP 503\).*cache inutilisable : la LCR a expiré le/
		);
	});

	it('refuses when there is neither a CRL server nor a cache', async () => {
		fx.setCrlAvailable(false);
		const error = await rejection(checkPathRevocation(await pathOf(fx.good.certPem), { dataDir }));
		expect(error.code).toBe('CERT_REVOCATION_UNKNOWN');
		expect(error.message).toContain('aucune LCR en cache');
	});

	it('ignores a tampered cache file and downloads again', async () => {
		const path = crlCachePath(dataDir, fx.crlUrl);
		await checkPathRevocation(await pathOf(fx.good.certPem), { dataDir });
		await writeFile(path, Buffer.from('not a CRL'));
		const [status] = await checkPathRevocation(await pathOf(fx.good.certPem), { dataDir });
		expect(status?.source).toBe('download');
	});

	it('refuses a leaf without any CRL distribution point', async () => {
		// The lab's foreign-CA client has no CRL DP; validate it against its own root to get a path.
		const leaf = await readFile(fx.pki.bad.foreign.certFile, 'utf8');
		const root = await readFile(fx.pki.foreignRootCertFile, 'utf8');
		const verdict = await validateChain({ leaf, anchors: [root], purpose: 'clientAuth' });
		const error = await rejection(checkPathRevocation(verdict.pathDer, { dataDir }));
		expect(error.code).toBe('CERT_REVOCATION_UNKNOWN');
	});
});
