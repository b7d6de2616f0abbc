/**
 * Where the lab lives and what it contains: runtime folder, ports, domains, accounts.
 * Pure data and pure functions, so the config generators can be unit-tested without servers.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const LAB_DOMAIN = 'lab.mssante.test';
export const CABINET_DOMAIN = 'cabinet-martin.lab.mssante.test';
export const LAB_DOMAINS = [LAB_DOMAIN, CABINET_DOMAIN];
/**
 * Dovecot's IMAP listeners use 127.0.0.2, not 127.0.0.1: Dovecot 2.3 treats a client whose IP
 * equals the listener's as "secured" and then accepts cleartext LOGIN without TLS. Clients on
 * this host connect from 127.0.0.1, so with 127.0.0.2 the lab enforces TLS like a remote operator.
 */
export const LAB_IMAP_ADDRESS = '127.0.0.2';
export const LAB_SERVER_NAMES = ['localhost', '127.0.0.1', LAB_IMAP_ADDRESS];
export const LAB_PASSWORD = 'Lab-Confrere-2026!';
export const DEFAULT_MESSAGE_SIZE_LIMIT = 26_214_400;

export type AccountKind = 'PER' | 'ORG' | 'APP';

export interface LabAccount {
	address: string;
	password: string;
	kind: AccountKind;
	displayName: string;
	/** Fictional RPPS number (PER only): 11 digits, never a real practitioner's. */
	rpps?: string;
	profession?: string;
	/**
	 * ECO.1.3.1: the mailbox opens only with its ORG AUTH_CLI client certificate (test PKI
	 * `clients/<name>.p12`); its password is not accepted by Dovecot nor Postfix.
	 */
	certificateOnly?: boolean;
}

export const LAB_ACCOUNTS: LabAccount[] = [
	{
		address: `jeanne.martin@${LAB_DOMAIN}`,
		password: LAB_PASSWORD,
		kind: 'PER',
		displayName: 'Dr_Jeanne_MARTIN_Cabinet médical Martin',
		rpps: '19900000001',
		profession: 'Médecin — médecine générale'
	},
	{
		address: `paul.durand@${LAB_DOMAIN}`,
		password: LAB_PASSWORD,
		kind: 'PER',
		displayName: 'Dr_Paul_DURAND_Cardiologie',
		rpps: '19900000002',
		profession: 'Médecin — cardiologie et maladies vasculaires'
	},
	{
		address: `claire.nguyen@${LAB_DOMAIN}`,
		password: LAB_PASSWORD,
		kind: 'PER',
		displayName: 'Claire_NGUYEN_Orthophonie',
		rpps: '19900000003',
		profession: 'Orthophoniste'
	},
	{
		address: `secretariat@${CABINET_DOMAIN}`,
		password: LAB_PASSWORD,
		kind: 'ORG',
		displayName: 'Secrétariat — Cabinet médical Martin',
		certificateOnly: true
	},
	{
		address: `lgc@${CABINET_DOMAIN}`,
		password: LAB_PASSWORD,
		kind: 'APP',
		displayName: 'Logiciel de cabinet — Cabinet médical Martin',
		certificateOnly: true
	},
	{
		address: `bench@${LAB_DOMAIN}`,
		password: LAB_PASSWORD,
		kind: 'PER',
		displayName: 'Dr_Banc_ESSAI_Benchmarks',
		rpps: '19900000009',
		profession: 'Médecin — compte de mesure (benchmarks)'
	}
];

export interface LabPorts {
	imap: number;
	imaps: number;
	submission: number;
	smtps: number;
	lmtp: number;
	/** Dovecot auth inet listener used by Postfix SASL (smtpd_sasl_type = dovecot). */
	auth: number;
	crlHttp: number;
	/** Submission (STARTTLS) that requires an ORG AUTH_CLI client certificate (ECO.1.3.1). */
	submissionCert: number;
	/** HTTP: the Pro Santé Connect stand-in (OIDC provider, tests/lab/psc-standin.ts). */
	psc: number;
}

export function labPorts(base = 10_000): LabPorts {
	return {
		imap: base + 143,
		imaps: base + 993,
		submission: base + 587,
		smtps: base + 465,
		lmtp: base + 24,
		auth: base + 26,
		// Not base + 80: 10080 is on the Fetch standard's "bad ports" list, fetch() refuses it.
		crlHttp: base + 88,
		submissionCert: base + 589,
		psc: base + 90
	};
}

export interface LabPaths {
	root: string;
	pki: string;
	dh: string;
	dovecotDir: string;
	dovecotConf: string;
	dovecotPassdbConf: string;
	/** Client-certificate passdb include (ECO.1.3.1) and its per-service user files. */
	dovecotCertPassdbConf: string;
	dovecotCertUsersDir: string;
	/** Dovecot ssl_ca: the lab chain followed by its CRLs (Dovecot checks client CRLs). */
	dovecotClientCa: string;
	/** Postfix check_ccert_access map: SHA-256 fingerprints of the registered client certificates. */
	postfixClientCerts: string;
	dovecotUsers: string;
	dovecotBaseDir: string;
	dovecotLog: string;
	postfixDir: string;
	postfixConfigDir: string;
	postfixQueue: string;
	postfixData: string;
	postfixLog: string;
	postfixVirtualMailboxes: string;
	postfixSenderLogins: string;
	mail: string;
	labJson: string;
	seededMarker: string;
	crlServerPid: string;
	crlServerLog: string;
	pscStandinPid: string;
	pscStandinLog: string;
}

/** `LAB_DIR` moves the whole runtime folder (e.g. a second, isolated lab with another LAB_PORT_BASE). */
export function defaultLabRoot(env: NodeJS.ProcessEnv = process.env): string {
	return env.LAB_DIR ? resolve(env.LAB_DIR) : join(REPO_ROOT, 'var', 'lab');
}

export function labPaths(root = defaultLabRoot()): LabPaths {
	const dovecotDir = join(root, 'dovecot');
	const postfixDir = join(root, 'postfix');
	const postfixConfigDir = join(postfixDir, 'etc');
	return {
		root,
		pki: join(root, 'pki'),
		dh: join(root, 'pki', 'dh-ffdhe2048.pem'),
		dovecotDir,
		dovecotConf: join(dovecotDir, 'dovecot.conf'),
		dovecotPassdbConf: join(dovecotDir, 'auth-passdb.conf.ext'),
		dovecotCertPassdbConf: join(dovecotDir, 'auth-cert.conf.ext'),
		dovecotCertUsersDir: join(dovecotDir, 'cert-users'),
		dovecotClientCa: join(dovecotDir, 'client-ca.pem'),
		postfixClientCerts: join(postfixConfigDir, 'client-certificates'),
		dovecotUsers: join(dovecotDir, 'users'),
		dovecotBaseDir: join(dovecotDir, 'run'),
		dovecotLog: join(dovecotDir, 'logs', 'dovecot.log'),
		postfixDir,
		postfixConfigDir,
		postfixQueue: join(postfixDir, 'queue'),
		postfixData: join(postfixDir, 'data'),
		postfixLog: join(postfixDir, 'logs', 'postfix.log'),
		postfixVirtualMailboxes: join(postfixConfigDir, 'virtual-mailboxes'),
		postfixSenderLogins: join(postfixConfigDir, 'sender-logins'),
		mail: join(root, 'mail'),
		labJson: join(root, 'lab.json'),
		seededMarker: join(root, 'seeded.json'),
		crlServerPid: join(root, 'crl-server.pid'),
		crlServerLog: join(root, 'crl-server.log'),
		pscStandinPid: join(root, 'psc-standin.pid'),
		pscStandinLog: join(root, 'psc-standin.log')
	};
}

/**
 * ECO.1.1.3: for TLS 1.2 only 0xC030, 0xC02F, 0xC028, 0xC027, 0x009F, 0x009E (OpenSSL names).
 * TLS 1.3 (ECO.1.1.2) keeps OpenSSL's default suites.
 */
export const ECO_TLS12_CIPHERS = [
	'ECDHE-RSA-AES256-GCM-SHA384',
	'ECDHE-RSA-AES128-GCM-SHA256',
	'ECDHE-RSA-AES256-SHA384',
	'ECDHE-RSA-AES128-SHA256',
	'DHE-RSA-AES256-GCM-SHA384',
	'DHE-RSA-AES128-GCM-SHA256'
];

export function messageSizeLimitFromEnv(env: NodeJS.ProcessEnv = process.env): number {
	const raw = env.LAB_MESSAGE_SIZE_LIMIT;
	if (raw === undefined || raw === '') return DEFAULT_MESSAGE_SIZE_LIMIT;
	if (!/^\d+$/.test(raw) || Number(raw) < 1024) {
		throw new Error(`LAB_MESSAGE_SIZE_LIMIT must be a number of bytes >= 1024 (got "${raw}")`);
	}
	return Number(raw);
}

export function portBaseFromEnv(env: NodeJS.ProcessEnv = process.env): number {
	const raw = env.LAB_PORT_BASE;
	if (raw === undefined || raw === '') return 10_000;
	const base = Number(raw);
	if (!/^\d+$/.test(raw) || base < 1024 || base + 993 > 65_535) {
		throw new Error(`LAB_PORT_BASE must be an integer between 1024 and 64542 (got "${raw}")`);
	}
	return base;
}

/** Home folder of a mailbox: mail/<domain>/<local part> (matches the Dovecot userdb). */
export function mailHome(paths: LabPaths, address: string): string {
	const [local, domain] = address.toLowerCase().split('@');
	return join(paths.mail, domain ?? LAB_DOMAIN, local ?? address);
}
