/**
 * Writing the configs and starting/stopping the three lab processes: Dovecot, Postfix and the
 * CRL HTTP server. No systemd: each runs from var/lab with its own pid file (see lab-notes.md).
 */
import { spawn } from 'node:child_process';
import { chmod, chown, mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { AppError, ERROR_CODES } from '../../src/lib/server/errors.ts';
import type { TestPkiInfo } from '../../certs/test-pki.ts';
import { X509Certificate } from 'node:crypto';
import {
	CERT_PASSDB_FILES,
	dovecotCertPassdbConfig,
	dovecotCertUsersFile,
	dovecotConfig,
	dovecotPassdbConfig,
	dovecotUsersFile
} from './dovecot-config.ts';
import { LAB_ACCOUNTS, REPO_ROOT, type LabPaths, type LabPorts } from './lab-settings.ts';
import {
	PSC_MAILBOX_CLAIMS,
	dovecotPscOauth2Args,
	dovecotPscPassdb,
	ensurePscKey,
	pscDir,
	pscLabInfo,
	writeDovecotPscKeys
} from './psc-settings.ts';
import {
	postfixMainCf,
	postfixClientCertificates,
	postfixMasterCf,
	postfixSenderLogins,
	postfixVirtualMailboxes
} from './postfix-config.ts';
import {
	commandExists,
	isAlive,
	readPid,
	run,
	runDaemonStarter,
	waitUntil
} from './process-utils.ts';

export const DEBIAN_PACKAGES = ['dovecot-imapd', 'dovecot-lmtpd', 'postfix', 'openssl'];
const SBIN_PATH = `${process.env.PATH ?? ''}:/usr/sbin:/sbin`;

/** Installs the Debian packages when missing (as root), else says exactly what to run. */
export async function ensurePackages(log: (line: string) => void): Promise<void> {
	const present =
		(await commandExists('dovecot')) &&
		(await commandExists('postfix')) &&
		(await commandExists('openssl')) &&
		(await fileExists('/usr/lib/dovecot/imap')) &&
		(await fileExists('/usr/lib/dovecot/lmtp'));
	if (present) return;
	const command = `apt-get install -y ${DEBIAN_PACKAGES.join(' ')}`;
	if (userInfo().uid !== 0) {
		throw new AppError(
			ERROR_CODES.LAB_FAILED,
			`Paquets manquants / missing packages. Run as root: DEBIAN_FRONTEND=noninteractive ${command}`
		);
	}
	log(`Installation des paquets Debian : ${DEBIAN_PACKAGES.join(', ')}`);
	// "No configuration": the lab never uses the system Postfix instance.
	await run('sh', [
		'-c',
		"echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections"
	]);
	await run('apt-get', ['install', '-y', ...DEBIAN_PACKAGES], {
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive', PATH: SBIN_PATH }
	});
}

async function fileExists(path: string): Promise<boolean> {
	try {
		await (await open(path, 'r')).close();
		return true;
	} catch {
		return false;
	}
}

async function systemIds(user: string): Promise<{ uid: number; gid: number }> {
	const { stdout } = await run('id', [user]);
	const uid = /uid=(\d+)/.exec(stdout)?.[1];
	const gid = /gid=(\d+)/.exec(stdout)?.[1];
	if (!uid || !gid) throw new AppError(ERROR_CODES.LAB_FAILED, `no system user "${user}"`);
	return { uid: Number(uid), gid: Number(gid) };
}

/** RFC 7919 ffdhe2048 (ECO.1.1.3: DHE group of at least 2048 bits), instant with OpenSSL 3. */
async function ensureDhParams(paths: LabPaths): Promise<void> {
	if (await fileExists(paths.dh)) return;
	const { stdout } = await run('openssl', [
		'genpkey',
		'-genparam',
		'-algorithm',
		'DH',
		'-pkeyopt',
		'group:ffdhe2048'
	]);
	await writeFile(paths.dh, stdout);
}

export interface WriteConfigOptions {
	paths: LabPaths;
	ports: LabPorts;
	pki: TestPkiInfo;
	messageSizeLimit: number;
}

export async function writeServerConfigs(options: WriteConfigOptions): Promise<void> {
	const { paths, ports, pki } = options;
	const dovecot = await systemIds('dovecot');
	await ensureDhParams(paths);
	for (const dir of [
		paths.dovecotBaseDir,
		join(paths.dovecotDir, 'state'),
		join(paths.dovecotDir, 'logs'),
		paths.postfixConfigDir,
		paths.postfixQueue,
		paths.postfixData,
		join(paths.postfixDir, 'logs'),
		paths.mail,
		paths.dovecotCertUsersDir
	]) {
		await mkdir(dir, { recursive: true });
	}
	await chown(paths.mail, dovecot.uid, dovecot.gid);
	const pscInclude = await writePscAuthConfig(paths, ports);
	await writeFile(
		paths.dovecotConf,
		dovecotConfig({
			paths,
			ports,
			pki,
			mailUid: dovecot.uid,
			mailGid: dovecot.gid,
			postmaster: 'postmaster@lab.mssante.test',
			extraAuthIncludes: [paths.dovecotCertPassdbConf, pscInclude],
			extraAuthMechanisms: ['xoauth2']
		})
	);
	// ECO.1.3.1: client certificates are checked against the chain and its CRLs.
	await writeFile(
		paths.dovecotClientCa,
		(await readFile(pki.chainFile, 'utf8')) + (await readFile(pki.crlBundleFile, 'utf8'))
	);
	await writeFile(paths.dovecotCertPassdbConf, dovecotCertPassdbConfig(paths));
	for (const file of CERT_PASSDB_FILES) {
		await writeFile(
			join(paths.dovecotCertUsersDir, file),
			dovecotCertUsersFile(LAB_ACCOUNTS, file)
		);
	}
	await writeFile(
		paths.dovecotPassdbConf,
		dovecotPassdbConfig({ paths, mailUid: dovecot.uid, mailGid: dovecot.gid })
	);
	// The auth process runs as `dovecot` and reads the hashes: 0640 root:dovecot.
	await writeFile(paths.dovecotUsers, dovecotUsersFile(LAB_ACCOUNTS), { mode: 0o640 });
	await chown(paths.dovecotUsers, 0, dovecot.gid);
	await chmod(paths.dovecotUsers, 0o640);

	await writeFile(join(paths.postfixConfigDir, 'main.cf'), postfixMainCf(options));
	await writeFile(join(paths.postfixConfigDir, 'master.cf'), postfixMasterCf(options));
	await writeFile(paths.postfixVirtualMailboxes, postfixVirtualMailboxes(LAB_ACCOUNTS));
	await writeFile(paths.postfixSenderLogins, postfixSenderLogins(LAB_ACCOUNTS));
	const registered = pki.clients.map(
		async (c) => new X509Certificate(await readFile(c.certFile)).fingerprint256
	);
	await writeFile(
		paths.postfixClientCerts,
		postfixClientCertificates(await Promise.all(registered))
	);
	const postfix = await systemIds('postfix');
	await chown(paths.postfixData, postfix.uid, postfix.gid);
}

/** The oauth2 passdb (XOAUTH2 with the PSC stand-in's tokens); returns the file to include. */
async function writePscAuthConfig(paths: LabPaths, ports: LabPorts): Promise<string> {
	await ensurePscKey(paths);
	const { issuer } = pscLabInfo(ports.psc);
	const argsFiles: string[] = [];
	for (const claim of PSC_MAILBOX_CLAIMS) {
		const file = join(pscDir(paths), `dovecot-oauth2-${claim}.conf.ext`);
		await writeFile(file, dovecotPscOauth2Args({ paths, issuer, claim }), { mode: 0o644 });
		argsFiles.push(file);
	}
	const include = join(paths.dovecotDir, 'auth-psc.conf.ext');
	await writeFile(include, dovecotPscPassdb(argsFiles));
	return include;
}

export async function startPscStandin(paths: LabPaths, port: number): Promise<void> {
	const log = await open(paths.pscStandinLog, 'a');
	const child = spawn(
		process.execPath,
		[join(REPO_ROOT, 'tests', 'lab', 'psc-standin.ts'), String(port), paths.root],
		{ detached: true, stdio: ['ignore', log.fd, log.fd] }
	);
	child.unref();
	await log.close();
	if (child.pid === undefined) {
		throw new AppError(ERROR_CODES.LAB_FAILED, 'cannot spawn the PSC stand-in');
	}
	await writeFile(paths.pscStandinPid, `${child.pid}\n`);
	// Dovecot validates tokens with the keys the stand-in publishes (its JWKS).
	const { issuer } = pscLabInfo(port);
	let jwks: { keys: unknown[] } | undefined;
	await waitUntil(async () => {
		try {
			const response = await fetch(`${issuer}/jwks`);
			if (!response.ok) return false;
			jwks = (await response.json()) as { keys: unknown[] };
			return true;
		} catch {
			return false;
		}
	}, 15_000);
	if (!jwks) {
		throw new AppError(
			ERROR_CODES.LAB_FAILED,
			`PSC stand-in did not start; see ${paths.pscStandinLog}`
		);
	}
	await writeDovecotPscKeys(paths, jwks);
}

export async function stopPscStandin(paths: LabPaths): Promise<void> {
	await stopByPidFile(paths.pscStandinPid, 'PSC stand-in');
	await rm(paths.pscStandinPid, { force: true });
}

export function dovecotPidFile(paths: LabPaths): string {
	return join(paths.dovecotBaseDir, 'master.pid');
}

export function postfixPidFile(paths: LabPaths): string {
	return join(paths.postfixQueue, 'pid', 'master.pid');
}

export async function startDovecot(paths: LabPaths): Promise<void> {
	await runDaemonStarter('dovecot', ['-c', paths.dovecotConf], {
		env: { ...process.env, PATH: SBIN_PATH },
		logFile: paths.dovecotLog
	});
	const started = await waitUntil(
		async () => isAlive(await readPid(dovecotPidFile(paths))),
		10_000
	);
	if (!started) {
		throw new AppError(ERROR_CODES.LAB_FAILED, `Dovecot did not start; see ${paths.dovecotLog}`);
	}
}

export async function stopByPidFile(pidFile: string, name: string): Promise<void> {
	const pid = await readPid(pidFile);
	if (pid !== undefined) await stopByPid(pid, name);
}

/** SIGTERM, wait, then SIGKILL: only ever the one pid we were given. */
export async function stopByPid(pid: number, name: string): Promise<void> {
	if (!isAlive(pid)) return;
	process.kill(pid, 'SIGTERM');
	if (!(await waitUntil(() => !isAlive(pid), 15_000))) {
		process.kill(pid, 'SIGKILL');
		if (!(await waitUntil(() => !isAlive(pid), 5_000))) {
			throw new AppError(ERROR_CODES.LAB_FAILED, `${name} (pid ${pid}) does not stop`);
		}
	}
}

/**
 * `postfix -c <dir> start` silently refuses a config folder that the default main.cf does not
 * list in alternate_config_directories (lab-notes.md), so we add ours, keeping existing entries.
 */
async function allowAlternateConfigDir(dir: string): Promise<void> {
	const env = { ...process.env, PATH: SBIN_PATH };
	// Installed with "No configuration", Debian's Postfix has no main.cf at all: postconf needs one.
	if (!(await fileExists('/etc/postfix/main.cf'))) {
		await writeFile('/etc/postfix/main.cf', '# Lab: only lists the lab config folders.\n', {
			flag: 'a'
		});
	}
	const { stdout } = await run('postconf', ['-h', 'alternate_config_directories'], { env });
	const current = stdout
		.trim()
		.split(/[\s,]+/)
		.filter(Boolean);
	if (current.includes(dir)) return;
	await run('postconf', ['-e', `alternate_config_directories = ${[...current, dir].join(' ')}`], {
		env
	});
}

export async function startPostfix(paths: LabPaths): Promise<void> {
	const env = { ...process.env, PATH: SBIN_PATH };
	await allowAlternateConfigDir(paths.postfixConfigDir);
	await run('postfix', ['-c', paths.postfixConfigDir, 'set-permissions'], { env });
	await run('postfix', ['-c', paths.postfixConfigDir, 'check'], { env });
	await runDaemonStarter('postfix', ['-c', paths.postfixConfigDir, 'start'], {
		env,
		logFile: paths.postfixLog
	});
	const started = await waitUntil(
		async () => isAlive(await readPid(postfixPidFile(paths))),
		10_000
	);
	if (!started) {
		throw new AppError(ERROR_CODES.LAB_FAILED, `Postfix did not start; see ${paths.postfixLog}`);
	}
}

/**
 * Postfix's smtpd processes keep their connection to Dovecot's auth service: after Dovecot
 * restarts, the first SASL login on such a stale connection fails (535). A reload replaces them.
 */
export async function reloadPostfix(paths: LabPaths): Promise<void> {
	await run('postfix', ['-c', paths.postfixConfigDir, 'reload'], {
		env: { ...process.env, PATH: SBIN_PATH }
	});
}

export async function stopPostfix(paths: LabPaths): Promise<void> {
	const pid = await readPid(postfixPidFile(paths));
	if (!isAlive(pid)) return;
	try {
		await run('postfix', ['-c', paths.postfixConfigDir, 'stop'], {
			env: { ...process.env, PATH: SBIN_PATH }
		});
	} catch {
		// Fall back to signalling the master directly (e.g. config folder already removed).
	}
	await stopByPidFile(postfixPidFile(paths), 'Postfix');
}

export async function startCrlServer(paths: LabPaths, port: number): Promise<void> {
	const log = await open(paths.crlServerLog, 'a');
	const child = spawn(
		process.execPath,
		[join(REPO_ROOT, 'tests', 'lab', 'crl-server.ts'), String(port), paths.pki],
		{ detached: true, stdio: ['ignore', log.fd, log.fd] }
	);
	child.unref();
	await log.close();
	if (child.pid === undefined) {
		throw new AppError(ERROR_CODES.LAB_FAILED, 'cannot spawn the CRL server');
	}
	await writeFile(paths.crlServerPid, `${child.pid}\n`);
}

export async function stopCrlServer(paths: LabPaths): Promise<void> {
	await stopByPidFile(paths.crlServerPid, 'CRL server');
	await rm(paths.crlServerPid, { force: true });
}

/**
 * Processes of this lab found by command line, whatever the pid files say (a crashed start can
 * leave a master whose pid file was never written): Dovecot masters started with our config and
 * our CRL server. Postfix's master carries no config path in its command line; its pid file is
 * authoritative (queue_directory/pid/master.pid, written by the master itself).
 */
export async function strayPids(paths: LabPaths): Promise<number[]> {
	const patterns = [
		`dovecot -c ${paths.dovecotConf}`,
		`crl-server.ts [0-9]+ ${paths.pki}`,
		`psc-standin.ts [0-9]+ ${paths.root}$`
	];
	const pids: number[] = [];
	for (const pattern of patterns) {
		try {
			const { stdout } = await run('pgrep', ['-f', pattern]);
			pids.push(...stdout.split(/\s+/).filter(Boolean).map(Number));
		} catch {
			// pgrep exits 1 when nothing matches.
		}
	}
	return pids.filter((pid) => pid !== process.pid);
}

/** The last lines of a log file, for error messages. */
export async function tail(file: string, lines = 15): Promise<string> {
	try {
		return (await readFile(file, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
	} catch {
		return '';
	}
}
