import { describe, expect, test } from 'vitest';
import { PSC_DEFAULT_SCOPES, PSC_SANDBOX_ISSUER, pscConfigFrom } from './config.ts';
import { classifyPscFailure } from './oidc.ts';

const base = { PSC_CLIENT_ID: 'confrere', PSC_CLIENT_SECRET: 'secret' };

describe('pscConfigFrom', () => {
	test('off without an issuer', () => {
		expect(pscConfigFrom({})).toBeUndefined();
	});

	test('sandbox issuer with the default scopes', () => {
		const config = pscConfigFrom({ ...base, PSC_ISSUER: PSC_SANDBOX_ISSUER });
		expect(config?.issuer.href).toBe(PSC_SANDBOX_ISSUER);
		expect(config?.scopes).toBe(PSC_DEFAULT_SCOPES);
		expect(config?.allowHttp).toBe(false);
	});

	test('http only for a loopback issuer (the lab stand-in)', () => {
		expect(pscConfigFrom({ ...base, PSC_ISSUER: 'http://127.0.0.1:16090' })?.allowHttp).toBe(true);
		expect(() => pscConfigFrom({ ...base, PSC_ISSUER: 'http://psc.example' })).toThrow(
			/https obligatoire/
		);
	});

	test('refuses a partial configuration with a French message naming the key', () => {
		expect(() => pscConfigFrom({ PSC_ISSUER: PSC_SANDBOX_ISSUER })).toThrow(/PSC_CLIENT_ID/);
		expect(() => pscConfigFrom({ PSC_ISSUER: PSC_SANDBOX_ISSUER, PSC_CLIENT_ID: 'x' })).toThrow(
			/PSC_CLIENT_SECRET/
		);
		expect(() =>
			pscConfigFrom({ ...base, PSC_ISSUER: PSC_SANDBOX_ISSUER, PSC_SCOPES: 'scope_all' })
		).toThrow(/openid/);
		expect(() => pscConfigFrom({ ...base, PSC_ISSUER: 'pas une url' })).toThrow(/PSC_ISSUER/);
	});

	test('custom scopes and redirect URI', () => {
		const config = pscConfigFrom({
			...base,
			PSC_ISSUER: PSC_SANDBOX_ISSUER,
			PSC_SCOPES: ' openid  scope_all  email ',
			PSC_REDIRECT_URI: 'https://webmail.example/connexion/psc/retour'
		});
		expect(config?.scopes).toBe('openid scope_all email');
		expect(config?.redirectUri).toBe('https://webmail.example/connexion/psc/retour');
	});
});

describe('classifyPscFailure', () => {
	test('maps failures to one code each', () => {
		expect(classifyPscFailure(new Error('unexpected "state" response parameter value'))).toBe(
			'PSC_STATE'
		);
		expect(
			classifyPscFailure(
				Object.assign(new Error('bad jwt'), { code: 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED' })
			)
		).toBe('PSC_TOKEN');
		expect(classifyPscFailure(new TypeError('fetch failed'))).toBe('PSC_UNAVAILABLE');
	});
});
