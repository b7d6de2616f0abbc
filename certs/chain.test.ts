import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateChain, validateServerChain } from './chain.ts';
import { createTrustFixtures, type TrustFixtures, rejection } from './test-trust-fixtures.ts';
import { TEST_INTERMEDIATE_CN, TEST_ROOT_CN } from './test-pki.ts';

let fx: TrustFixtures;

beforeAll(async () => {
	fx = await createTrustFixtures();
});

afterAll(async () => {
	await fx.close();
});

describe('validateServerChain', () => {
	it('accepts the operator certificate anchored in the IGC-Santé test chain', async () => {
		const verdict = await validateServerChain({
			leaf: fx.good.fullChainPem,
			intermediates: [fx.good.fullChainPem],
			anchors: fx.anchors
		});
		expect(verdict.leaf.commonName).toBe('localhost');
		expect(verdict.leaf.organisation).toBe('OPERATEUR MSSANTE DE TEST');
		expect(verdict.leaf.extendedKeyUsages).toContain('serverAuth');
		expect(verdict.leaf.keyUsages).toEqual(['digitalSignature', 'keyEncipherment']);
		expect(verdict.leaf.crlUrls).toEqual([fx.crlUrl]);
		expect(verdict.leaf.daysLeft).toBeGreaterThan(360);
		expect(verdict.leaf.fingerprintSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
		// The intermediate is itself an anchor, so the path stops there.
		expect(verdict.path.map((c) => c.commonName)).toEqual(['localhost', TEST_INTERMEDIATE_CN]);
		expect(verdict.path[1]?.isCa).toBe(true);
		expect(verdict.pathDer).toHaveLength(2);
	});

	it('goes up to the root when only the root is an anchor', async () => {
		const verdict = await validateServerChain({
			leaf: fx.good.certPem,
			intermediates: [fx.good.fullChainPem],
			anchors: [fx.anchors[0] ?? '']
		});
		expect(verdict.path.map((c) => c.commonName)).toEqual([
			'localhost',
			TEST_INTERMEDIATE_CN,
			TEST_ROOT_CN
		]);
	});

	it('refuses a certificate from another CA under the same root (ECO.1.1.10)', async () => {
		const error = await rejection(
			validateServerChain({
				leaf: fx.otherDomain.certPem,
				intermediates: [fx.otherDomain.fullChainPem],
				anchors: fx.anchors
			})
		);
		expect(error.code).toBe('CERT_UNTRUSTED');
		expect(error.message).toContain('ELEMENTAIRE PERSONNES');
	});

	it('also builds the path when the server omits the intermediate (it is an anchor)', async () => {
		const verdict = await validateServerChain({ leaf: fx.good.certPem, anchors: fx.anchors });
		expect(verdict.path.map((c) => c.commonName)).toEqual(['localhost', TEST_INTERMEDIATE_CN]);
	});

	it('refuses the intermediate-less chain when only the root is trusted', async () => {
		const error = await rejection(
			validateServerChain({ leaf: fx.good.certPem, anchors: [fx.anchors[0] ?? ''] })
		);
		expect(error.code).toBe('CERT_UNTRUSTED');
	});

	it('refuses an expired certificate with its date (ECO.1.1.5)', async () => {
		const error = await rejection(
			validateServerChain({ leaf: fx.expired.certPem, anchors: fx.anchors })
		);
		expect(error.code).toBe('CERT_EXPIRED');
		expect(error.message).toMatch(/« expire\.localhost » a expiré le \d{1,2} \S+ \d{4}/);
	});

	it('refuses a certificate checked at a date past its expiry', async () => {
		const at = new Date(Date.now() + 3 * 365 * 24 * 3600 * 1000);
		const error = await rejection(
			validateServerChain({ leaf: fx.good.certPem, anchors: fx.anchors, at })
		);
		expect(error.code).toBe('CERT_EXPIRED');
	});

	it('refuses a certificate from a foreign CA, even when the server sends that CA (ECO.1.1.10)', async () => {
		const error = await rejection(
			validateServerChain({
				leaf: fx.foreign.fullChainPem,
				intermediates: [fx.foreign.fullChainPem],
				anchors: fx.anchors
			})
		);
		expect(error.code).toBe('CERT_UNTRUSTED');
		expect(error.message).toContain('TEST AC ETRANGERE SERVEURS');
	});

	it('refuses a client certificate where a server certificate is expected', async () => {
		const client = await readFile(fx.pki.clients[0]?.certFile ?? '', 'utf8');
		const error = await rejection(validateServerChain({ leaf: client, anchors: fx.anchors }));
		expect(error.code).toBe('CERT_INVALID');
		expect(error.message).toContain("n'est pas un certificat d'authentification serveur");
		const verdict = await validateChain({
			leaf: client,
			anchors: fx.anchors,
			purpose: 'clientAuth'
		});
		expect(verdict.leaf.extendedKeyUsages).toEqual(['clientAuth']);
	});

	it('refuses garbage and empty anchors with French messages', async () => {
		expect(
			(await rejection(validateServerChain({ leaf: 'pas un certificat', anchors: fx.anchors })))
				.code
		).toBe('CERT_INVALID');
		expect(
			(
				await rejection(
					validateServerChain({ leaf: new Uint8Array([1, 2, 3]), anchors: fx.anchors })
				)
			).code
		).toBe('CERT_INVALID');
		expect(
			(await rejection(validateServerChain({ leaf: fx.good.certPem, anchors: [] }))).code
		).toBe('CERT_UNTRUSTED');
	});
});
