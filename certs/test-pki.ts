/**
 * A throw-away test PKI shaped like IGC-Santé (gamme Élémentaire, domaine Organisations), for the
 * lab and the tests: ECO.1.1.10 says a client trusts only that chain for IMAP/SMTP, so the lab's
 * operator must present a certificate from a look-alike chain, and APP mailboxes authenticate with
 * an ORG AUTH_CLI certificate (ECO.1.3.1). Also produces a CRL with a revoked client (ECO.1.1.6)
 * and deliberately bad certificates (expired, revoked, foreign CA) for negative tests.
 *
 * Framework-free; node-forge stays in certs/. Never use this for anything but tests.
 */
import { chmod, mkdir, readFile, writeFile, access } from 'node:fs/promises';
import { join } from 'node:path';
import type forge from 'node-forge';
import {
	certificateToPem,
	createCertificate,
	generateRsaKeyPair,
	toPkcs12,
	type Issuer,
	type NameAttribute
} from './test-pki-x509.ts';
import { createCrl, crlDerToPem } from './test-pki-crl.ts';

export const TEST_ROOT_CN = 'TEST AC RACINE IGC-SANTE ELEMENTAIRE';
export const TEST_INTERMEDIATE_CN = 'TEST AC IGC-SANTE ELEMENTAIRE ORGANISATIONS';
export const TEST_FOREIGN_ROOT_CN = 'TEST AC ETRANGERE NON IGC-SANTE';
/** Password of every PKCS#12 of the test PKI (test material, documented in tests/lab/README.md). */
export const TEST_P12_PASSWORD = 'Confrere-Test-P12';
export const DEFAULT_SERVER_NAMES = ['localhost', '127.0.0.1'];
export const DEFAULT_CRL_URL = 'http://127.0.0.1:10088/crl/organisations.crl';

export interface TestPkiClientSpec {
	/** File-name-safe identifier: clients/<name>.p12 */
	name: string;
	mailbox: string;
	organization: string;
}

export interface TestPkiClientFiles extends TestPkiClientSpec {
	serialNumber: string;
	certFile: string;
	keyFile: string;
	p12File: string;
	p12Password: string;
}

export interface TestPkiInfo {
	dir: string;
	crlUrl: string;
	serverNames: string[];
	/** ISO date: the earliest expiry among the files (certificates, CRL nextUpdate). */
	validUntil: string;
	rootCertFile: string;
	rootKeyFile: string;
	intermediateCertFile: string;
	intermediateKeyFile: string;
	/** intermediate + root: the trust bundle a client pins (`tls.ca`). */
	chainFile: string;
	serverCertFile: string;
	serverKeyFile: string;
	/** server + intermediate: what a TLS server presents. */
	serverFullChainFile: string;
	/** CRL of the intermediate (lists `bad.revoked`). */
	crlPemFile: string;
	crlDerFile: string;
	/** Empty CRL of the root, so that full-chain CRL checks (OpenSSL crl_check_all) succeed. */
	rootCrlPemFile: string;
	/** Both CRLs in one PEM file (Dovecot `ssl_client_ca_file` style bundles). */
	crlBundleFile: string;
	foreignRootCertFile: string;
	clients: TestPkiClientFiles[];
	bad: { expired: TestPkiClientFiles; revoked: TestPkiClientFiles; foreign: TestPkiClientFiles };
}

export interface GenerateTestPkiOptions {
	dir: string;
	/** DNS names or IPv4 addresses of the server certificate. Default: localhost, 127.0.0.1. */
	serverNames?: string[];
	clients?: TestPkiClientSpec[];
	crlUrl?: string;
}

export const DEFAULT_TEST_CLIENTS: TestPkiClientSpec[] = [
	{
		name: 'cabinet-martin-lgc',
		mailbox: 'lgc@cabinet-martin.lab.mssante.test',
		organization: 'Cabinet médical Martin'
	},
	{
		name: 'cabinet-martin-secretariat',
		mailbox: 'secretariat@cabinet-martin.lab.mssante.test',
		organization: 'Cabinet médical Martin'
	}
];

const DAY = 24 * 3600 * 1000;
const MANIFEST = 'pki.json';

function igcName(cn: string, ou: string): NameAttribute[] {
	return [
		{ shortName: 'C', value: 'FR' },
		{ shortName: 'O', value: 'ASIP-SANTE' },
		{ shortName: 'OU', value: ou },
		{ shortName: 'CN', value: cn }
	];
}

function clientName(spec: TestPkiClientSpec): NameAttribute[] {
	return [
		{ shortName: 'C', value: 'FR' },
		{ shortName: 'O', value: spec.organization },
		{ shortName: 'OU', value: 'ORG AUTH_CLI' },
		{ shortName: 'CN', value: spec.mailbox }
	];
}

async function writeSecret(path: string, content: string | Buffer): Promise<void> {
	await writeFile(path, content, { mode: 0o600 });
	await chmod(path, 0o600);
}

async function writeClient(options: {
	dir: string;
	spec: TestPkiClientSpec;
	issuer: Issuer;
	chain: forge.pki.Certificate[];
	notBefore: Date;
	notAfter: Date;
	crlUrl: string | undefined;
}): Promise<TestPkiClientFiles> {
	const { dir, spec, issuer } = options;
	if (!/^[a-z0-9][a-z0-9._-]*$/i.test(spec.name)) {
		throw new Error(`test PKI: client name "${spec.name}" is not file-name safe`);
	}
	const keys = generateRsaKeyPair();
	const cert = createCertificate({
		subject: clientName(spec),
		keys,
		profile: 'client',
		issuer,
		notBefore: options.notBefore,
		notAfter: options.notAfter,
		email: spec.mailbox,
		...(options.crlUrl ? { crlUrl: options.crlUrl } : {})
	});
	const base = join(dir, 'clients', spec.name);
	const files: TestPkiClientFiles = {
		...spec,
		serialNumber: cert.serialNumber,
		certFile: `${base}.pem`,
		keyFile: `${base}-key.pem`,
		p12File: `${base}.p12`,
		p12Password: TEST_P12_PASSWORD
	};
	await writeFile(files.certFile, certificateToPem(cert));
	await writeSecret(files.keyFile, keys.privateKeyPem);
	const p12 = toPkcs12({
		keys,
		chain: [cert, ...options.chain],
		password: TEST_P12_PASSWORD,
		friendlyName: spec.mailbox
	});
	await writeSecret(files.p12File, p12);
	return files;
}

export async function generateTestPki(options: GenerateTestPkiOptions): Promise<TestPkiInfo> {
	const dir = options.dir;
	const crlUrl = options.crlUrl ?? DEFAULT_CRL_URL;
	await mkdir(join(dir, 'clients'), { recursive: true });
	const now = Date.now();
	const notBefore = new Date(now - DAY);
	const caNotAfter = new Date(now + 10 * 365 * DAY);
	const leafNotAfter = new Date(now + 2 * 365 * DAY);
	const crlNextUpdate = new Date(now + 365 * DAY);

	const rootKeys = generateRsaKeyPair();
	const rootCert = createCertificate({
		subject: igcName(TEST_ROOT_CN, 'IGC-SANTE TEST'),
		keys: rootKeys,
		profile: 'root',
		notBefore,
		notAfter: caNotAfter
	});
	const root: Issuer = { cert: rootCert, keys: rootKeys };

	const intermediateKeys = generateRsaKeyPair();
	const intermediateCert = createCertificate({
		subject: igcName(TEST_INTERMEDIATE_CN, 'IGC-SANTE TEST ELEMENTAIRE ORGANISATIONS'),
		keys: intermediateKeys,
		profile: 'intermediate',
		issuer: root,
		notBefore,
		notAfter: caNotAfter
	});
	const intermediate: Issuer = { cert: intermediateCert, keys: intermediateKeys };

	const serverKeys = generateRsaKeyPair();
	const serverNames = options.serverNames ?? DEFAULT_SERVER_NAMES;
	const serverCert = createCertificate({
		subject: [
			{ shortName: 'C', value: 'FR' },
			{ shortName: 'O', value: 'OPERATEUR MSSANTE DE TEST' },
			{ shortName: 'CN', value: serverNames[0] ?? 'localhost' }
		],
		keys: serverKeys,
		profile: 'server',
		issuer: intermediate,
		notBefore,
		notAfter: leafNotAfter,
		altNames: serverNames,
		crlUrl
	});

	const rootPem = certificateToPem(rootCert);
	const intermediatePem = certificateToPem(intermediateCert);
	const serverPem = certificateToPem(serverCert);
	const info: Omit<TestPkiInfo, 'clients' | 'bad'> = {
		dir,
		crlUrl,
		serverNames,
		validUntil: crlNextUpdate.toISOString(),
		rootCertFile: join(dir, 'root.pem'),
		rootKeyFile: join(dir, 'root-key.pem'),
		intermediateCertFile: join(dir, 'intermediate.pem'),
		intermediateKeyFile: join(dir, 'intermediate-key.pem'),
		chainFile: join(dir, 'chain.pem'),
		serverCertFile: join(dir, 'server.pem'),
		serverKeyFile: join(dir, 'server-key.pem'),
		serverFullChainFile: join(dir, 'server-fullchain.pem'),
		crlPemFile: join(dir, 'crl.pem'),
		crlDerFile: join(dir, 'crl.der'),
		rootCrlPemFile: join(dir, 'root-crl.pem'),
		crlBundleFile: join(dir, 'crl-bundle.pem'),
		foreignRootCertFile: join(dir, 'foreign-root.pem')
	};
	await writeFile(info.rootCertFile, rootPem);
	await writeSecret(info.rootKeyFile, rootKeys.privateKeyPem);
	await writeFile(info.intermediateCertFile, intermediatePem);
	await writeSecret(info.intermediateKeyFile, intermediateKeys.privateKeyPem);
	await writeFile(info.chainFile, intermediatePem + rootPem);
	await writeFile(info.serverCertFile, serverPem);
	await writeSecret(info.serverKeyFile, serverKeys.privateKeyPem);
	await writeFile(info.serverFullChainFile, serverPem + intermediatePem);

	const chain = [intermediateCert, rootCert];
	const clientCommon = { dir, issuer: intermediate, chain, notBefore, crlUrl };
	const clients: TestPkiClientFiles[] = [];
	for (const spec of options.clients ?? DEFAULT_TEST_CLIENTS) {
		clients.push(await writeClient({ ...clientCommon, spec, notAfter: leafNotAfter }));
	}
	const badOrg = 'Structure de test (certificats invalides)';
	const expired = await writeClient({
		...clientCommon,
		spec: { name: 'bad-expired', mailbox: 'expire@lab.mssante.test', organization: badOrg },
		notBefore: new Date(now - 400 * DAY),
		notAfter: new Date(now - 30 * DAY)
	});
	const revoked = await writeClient({
		...clientCommon,
		spec: { name: 'bad-revoked', mailbox: 'revoque@lab.mssante.test', organization: badOrg },
		notAfter: leafNotAfter
	});

	const foreignKeys = generateRsaKeyPair();
	const foreignRoot = createCertificate({
		subject: igcName(TEST_FOREIGN_ROOT_CN, 'AUTORITE ETRANGERE'),
		keys: foreignKeys,
		profile: 'root',
		notBefore,
		notAfter: caNotAfter
	});
	await writeFile(info.foreignRootCertFile, certificateToPem(foreignRoot));
	const foreign = await writeClient({
		...clientCommon,
		issuer: { cert: foreignRoot, keys: foreignKeys },
		chain: [foreignRoot],
		crlUrl: undefined,
		spec: { name: 'bad-foreign', mailbox: 'etranger@lab.mssante.test', organization: badOrg },
		notAfter: leafNotAfter
	});

	const crlDer = createCrl({
		issuer: intermediate,
		revoked: [{ serialNumber: revoked.serialNumber, revocationDate: new Date(now - 3600 * 1000) }],
		thisUpdate: notBefore,
		nextUpdate: crlNextUpdate,
		crlNumber: 1
	});
	const crlPem = crlDerToPem(crlDer);
	const rootCrlPem = crlDerToPem(
		createCrl({
			issuer: root,
			revoked: [],
			thisUpdate: notBefore,
			nextUpdate: crlNextUpdate,
			crlNumber: 1
		})
	);
	await writeFile(info.crlDerFile, crlDer);
	await writeFile(info.crlPemFile, crlPem);
	await writeFile(info.rootCrlPemFile, rootCrlPem);
	await writeFile(info.crlBundleFile, crlPem + rootCrlPem);

	const full: TestPkiInfo = { ...info, clients, bad: { expired, revoked, foreign } };
	await writeFile(join(dir, MANIFEST), JSON.stringify(full, null, '\t') + '\n');
	return full;
}

async function exists(path: string): Promise<boolean> {
	try {
		await access(path);
		return true;
	} catch {
		return false;
	}
}

/**
 * Reuses the PKI already in `dir` when its manifest and files are there and nothing expires in
 * the next 30 days; otherwise generates a fresh one (same options).
 */
export async function ensureTestPki(
	dir: string,
	options: Omit<GenerateTestPkiOptions, 'dir'> = {}
): Promise<TestPkiInfo> {
	const manifest = join(dir, MANIFEST);
	if (await exists(manifest)) {
		try {
			const info = JSON.parse(await readFile(manifest, 'utf8')) as TestPkiInfo;
			const files = [
				info.chainFile,
				info.serverCertFile,
				info.serverKeyFile,
				info.crlPemFile,
				...info.clients.map((c) => c.p12File)
			];
			const fresh = Date.parse(info.validUntil) > Date.now() + 30 * DAY;
			const wanted = (options.clients ?? DEFAULT_TEST_CLIENTS).every((spec) =>
				info.clients.some((c) => c.name === spec.name && c.mailbox === spec.mailbox)
			);
			const sameUrl = info.crlUrl === (options.crlUrl ?? DEFAULT_CRL_URL);
			const sameNames =
				JSON.stringify(info.serverNames) ===
				JSON.stringify(options.serverNames ?? DEFAULT_SERVER_NAMES);
			if (
				fresh &&
				wanted &&
				sameUrl &&
				sameNames &&
				(await Promise.all(files.map(exists))).every(Boolean)
			) {
				return info;
			}
		} catch {
			// A corrupt manifest is not an error for a throw-away PKI: regenerate below.
		}
	}
	return generateTestPki({ dir, ...options });
}
