import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildPdf, buildPng, buildXdmZip } from './attachments.ts';
import { demoMessages } from './demo-messages.ts';

describe('demo seed content', () => {
	it('builds an IHE_XDM.ZIP with the XDM layout', () => {
		const files = unzipSync(buildXdmZip());
		expect(Object.keys(files).sort()).toEqual([
			'IHE_XDM/SUBSET01/DOC0001.XML',
			'IHE_XDM/SUBSET01/METADATA.XML',
			'INDEX.HTM',
			'README.TXT'
		]);
		const cda = new TextDecoder().decode(files['IHE_XDM/SUBSET01/DOC0001.XML']);
		// Test INS OID only: never a real patient identity in fixtures.
		expect(cda).toContain('root="1.2.250.1.213.1.4.10"');
	});

	it('builds a PDF and a PNG that real tools accept', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'confrere-seed-'));
		try {
			const pdf = join(dir, 'a.pdf');
			await writeFile(pdf, buildPdf(['Courrier de démonstration']));
			const png = join(dir, 'a.png');
			await writeFile(png, buildPng());
			expect(execFileSync('file', ['-b', pdf], { encoding: 'utf8' })).toMatch(/^PDF document/);
			expect(execFileSync('file', ['-b', png], { encoding: 'utf8' })).toMatch(
				/^PNG image data, 64 x 48/
			);
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	});

	it('threads replies with In-Reply-To and References (ECO.2.2.2)', () => {
		const messages = demoMessages();
		const ids = new Set(messages.map((m) => m.mail.messageId));
		for (const message of messages) {
			expect(message.mail.messageId).toMatch(/^<.+@.+>$/);
			if (message.mail.inReplyTo) {
				expect(ids.has(message.mail.inReplyTo)).toBe(true);
				expect(message.mail.references).toContain(message.mail.inReplyTo);
			}
		}
		const thread = messages.filter((m) => String(m.mail.subject).includes('Léo'));
		expect(new Set(thread.map((m) => m.mail.messageId)).size).toBeGreaterThanOrEqual(4);
	});

	it('never sends HTML without a text alternative (ECO.2.2.4)', () => {
		for (const message of demoMessages()) {
			if (message.mail.html) expect(message.mail.text).toBeTruthy();
		}
	});
});
