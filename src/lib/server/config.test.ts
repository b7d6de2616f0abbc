import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseConfig } from './config.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'confrere-config-'));
const anchors = path.join(dir, 'anchor.pem');
writeFileSync(anchors, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');

const valid = {
	SESSION_SECRET: 'x'.repeat(32),
	MSS_IMAP_HOST: 'imap.example',
	MSS_SMTP_HOST: 'smtp.example',
	MSS_TRUST_ANCHORS: anchors
};

describe('parseConfig', () => {
	test('applies the MSSanté defaults (STARTTLS on 143 and 587, 30 min, 25 MB)', () => {
		const config = parseConfig(valid);
		expect(config.imap).toEqual({ host: 'imap.example', port: 143, security: 'starttls' });
		expect(config.smtp).toEqual({ host: 'smtp.example', port: 587, security: 'starttls' });
		expect(config.sessionIdleMs).toBe(30 * 60_000);
		expect(config.maxMessageBytes).toBe(25 * 1024 * 1024);
		expect(config.trustAnchors).toHaveLength(1);
	});

	test('lists every bad key at once', () => {
		expect(() => parseConfig({ MSS_IMAP_PORT: 'abc', MSS_IMAP_SECURITY: 'none' })).toThrowError(
			/SESSION_SECRET[\s\S]*MSS_IMAP_HOST[\s\S]*MSS_IMAP_PORT[\s\S]*MSS_IMAP_SECURITY/
		);
	});

	test('refuses to start without a trust anchor', () => {
		expect(() =>
			parseConfig({ ...valid, MSS_TRUST_ANCHORS: path.join(dir, 'missing') })
		).toThrowError(/MSS_TRUST_ANCHORS/);
	});
});
