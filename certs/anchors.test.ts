import { X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAnchors } from './anchors.ts';
import { certificateToPem, createCertificate, generateRsaKeyPair } from './test-pki-x509.ts';
import { pemBlocks } from './x509.ts';
import { rejection } from './test-trust-fixtures.ts';

const ANCHORS = fileURLToPath(new URL('./anchors', import.meta.url));
let work: string;

beforeAll(async () => {
	work = await mkdtemp(join(tmpdir(), 'confrere-anchors-'));
});

afterAll(async () => {
	await rm(work, { recursive: true, force: true });
});

describe('certs/anchors (production)', () => {
	it('holds the IGC-Santé Élémentaire root and the Organisations CA it issued', async () => {
		const [organisations, root] = (await loadAnchors(ANCHORS)).map(
			(pem) => new X509Certificate(pem)
		);
		expect(root?.subject).toContain('CN=AC RACINE IGC-SANTE ELEMENTAIRE');
		expect(organisations?.subject).toContain('CN=AC IGC-SANTE ELEMENTAIRE ORGANISATIONS');
		expect(root && root.verify(root.publicKey)).toBe(true);
		expect(root && organisations?.checkIssued(root) && organisations.verify(root.publicKey)).toBe(
			true
		);
		expect(root?.fingerprint256).toBe(
			'2D:9E:22:CA:19:F7:77:C6:B7:45:25:7C:72:3E:CB:8D:F3:C3:5F:A6:F1:F6:EC:36:B8:36:00:C9:73:46:96:7F'
		);
	});
});

describe('loadAnchors', () => {
	it('reads PEM bundles and DER files', async () => {
		const dir = join(work, 'mixed');
		await mkdir(dir);
		const pem = await readFile(join(ANCHORS, 'ac-racine-igc-sante-elementaire.pem'), 'utf8');
		const der = pemBlocks(
			await readFile(join(ANCHORS, 'ac-igc-sante-elementaire-organisations.pem'), 'utf8')
		)[0];
		await writeFile(join(dir, 'bundle.pem'), pem + pem);
		await writeFile(join(dir, 'aci.der'), der ?? new Uint8Array());
		await writeFile(join(dir, 'notes.txt'), 'ignored');
		expect(await loadAnchors(dir)).toHaveLength(3);
	});

	it('refuses a private key, a non-CA certificate and an empty folder, naming the file', async () => {
		const dir = join(work, 'bad');
		await mkdir(dir);
		await writeFile(
			join(dir, 'key.pem'),
			'-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'
		);
		const key = await rejection(loadAnchors(dir));
		expect(key.message).toContain('key.pem contient une clé privée');
		await rm(join(dir, 'key.pem'));
		const keys = generateRsaKeyPair();
		const leaf = createCertificate({
			subject: [{ shortName: 'CN', value: 'serveur.test' }],
			keys,
			profile: 'server',
			notBefore: new Date(),
			notAfter: new Date(Date.now() + 86_400_000)
		});
		await writeFile(join(dir, 'leaf.pem'), certificateToPem(leaf));
		const notCa = await rejection(loadAnchors(dir));
		expect(notCa.message).toMatch(
			/leaf\.pem : « serveur\.test » n'est pas une autorité de certification/
		);
		await rm(join(dir, 'leaf.pem'));
		expect((await rejection(loadAnchors(dir))).message).toContain('Aucune autorité de confiance');
	});
});
