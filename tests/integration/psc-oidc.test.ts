/**
 * Pro Santé Connect sign-in failures against the lab's real OIDC stand-in: each ends in one of our
 * codes with a French message (state mismatch, refused consent, expired or replayed code), and no
 * message or detail carries a token or a code.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isAppError } from '../../src/lib/server/errors.ts';
import { pscConfigFrom } from '../../src/lib/server/psc/config.ts';
import { PSC_ERROR_MESSAGES, PscClient } from '../../src/lib/server/psc/oidc.ts';
import { readLabInfo, type LabInfo } from '../lab/lab.ts';
import { pscControl, walkPscPages } from '../lab/psc-client.ts';

const PAUL = 'paul.durand@lab.mssante.test';
let lab: LabInfo;
let client: PscClient;

function redirectUri(): string {
	return `http://127.0.0.1:5999${lab.psc.redirectPath}`;
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
	try {
		await promise;
	} catch (error) {
		if (!isAppError(error)) throw error;
		return { code: error.code, message: error.message };
	}
	throw new Error('expected a failure');
}

beforeAll(async () => {
	lab = readLabInfo();
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

describe('PSC sign-in errors', () => {
	test('the authorization request carries PKCE S256, state, nonce and acr_values=eidas1', async () => {
		const { url, pending } = await client.begin(redirectUri());
		expect(url.searchParams.get('acr_values')).toBe('eidas1');
		expect(url.searchParams.get('code_challenge_method')).toBe('S256');
		expect(url.searchParams.get('scope')).toBe('openid scope_all');
		expect(url.searchParams.get('state')).toBe(pending.state);
		expect(url.searchParams.get('nonce')).toBe(pending.nonce);
		expect(url.searchParams.get('code_challenge')).not.toBe(pending.codeVerifier);
	});

	test('an answer for another sign-in (state mismatch) is refused', async () => {
		const { url } = await client.begin(redirectUri());
		const other = await client.begin(redirectUri());
		const back = await walkPscPages(lab.psc, url.href, { email: PAUL, consent: true });
		const result = await failure(client.complete(back, other.pending));
		expect(result).toEqual({ code: 'PSC_STATE', message: PSC_ERROR_MESSAGES.PSC_STATE });
	});

	test('refused consent', async () => {
		const { url, pending } = await client.begin(redirectUri());
		const back = await walkPscPages(lab.psc, url.href, { email: PAUL, consent: false });
		expect(back.searchParams.get('error')).toBe('access_denied');
		const result = await failure(client.complete(back, pending));
		expect(result).toEqual({ code: 'PSC_DENIED', message: PSC_ERROR_MESSAGES.PSC_DENIED });
	});

	test('a replayed code is refused', async () => {
		const { url, pending } = await client.begin(redirectUri());
		const back = await walkPscPages(lab.psc, url.href, { email: PAUL, consent: true });
		await client.complete(back, pending);
		const result = await failure(client.complete(back, pending));
		expect(result.code).toBe('PSC_CODE');
		expect(result.message).not.toContain(back.searchParams.get('code') ?? '-');
	});

	test('an expired code is refused', async () => {
		await pscControl(lab.psc, 'durees', { code: '1' });
		try {
			const { url, pending } = await client.begin(redirectUri());
			const back = await walkPscPages(lab.psc, url.href, { email: PAUL, consent: true });
			const issued = Date.now();
			while (Date.now() - issued < 2_100) await new Promise((r) => setTimeout(r, 200));
			const result = await failure(client.complete(back, pending));
			expect(result).toEqual({ code: 'PSC_CODE', message: PSC_ERROR_MESSAGES.PSC_CODE });
		} finally {
			await pscControl(lab.psc, 'reinitialiser');
		}
	});

	test('a PKCE verifier that does not match the challenge is refused', async () => {
		const { url, pending } = await client.begin(redirectUri());
		const back = await walkPscPages(lab.psc, url.href, { email: PAUL, consent: true });
		const result = await failure(
			client.complete(back, { ...pending, codeVerifier: 'x'.repeat(64) })
		);
		expect(result.code).toBe('PSC_CODE');
	});
});
