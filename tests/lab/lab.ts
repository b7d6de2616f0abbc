/**
 * The MSSanté lab: a local operator made of real servers (Dovecot IMAP/LMTP, Postfix submission)
 * with a test PKI shaped like IGC-Santé. Public API used by the CLI, the integration global
 * setup and the demo: startLab, stopLab, labStatus, resetLab, readLabInfo.
 */
import { existsSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureTestPki, type TestPkiInfo } from '../../certs/test-pki.ts';
import { AppError, ERROR_CODES } from '../../src/lib/server/errors.ts';
import {
	LAB_ACCOUNTS,
	LAB_DOMAIN,
	LAB_IMAP_ADDRESS,
	LAB_SERVER_NAMES,
	labPaths,
	labPorts,
	messageSizeLimitFromEnv,
	portBaseFromEnv,
	type LabAccount,
	type LabPorts
} from './lab-settings.ts';
import {
	dovecotPidFile,
	ensurePackages,
	postfixPidFile,
	startCrlServer,
	startDovecot,
	startPostfix,
	startPscStandin,
	stopByPid,
	stopByPidFile,
	strayPids,
	stopCrlServer,
	reloadPostfix,
	stopPostfix,
	stopPscStandin,
	tail,
	writeServerConfigs
} from './lab-servers.ts';
import { isAlive, isListening, isPortFree, readPid, waitUntil } from './process-utils.ts';
import { withLabLock } from './lab-lock.ts';
import { seedLab } from './seed/seed.ts';
import { pscLabInfo, type PscLabInfo } from './psc-settings.ts';

export type { LabAccount } from './lab-settings.ts';

export interface LabInfo {
	imap: { host: string; port: number; tlsPort: number };
	/** `certPort`: submission requiring an ORG AUTH_CLI client certificate (ECO.1.3.1). */
	smtp: { host: string; port: number; tlsPort: number; certPort: number };
	lmtpPort: number;
	crlUrl: string;
	domain: string;
	/** intermediate + root PEM bundle: the only CA a client should trust (ECO.1.1.10). */
	caFile: string;
	rootCaFile: string;
	messageSizeLimit: number;
	accounts: LabAccount[];
	pki: TestPkiInfo;
	/** The Pro Santé Connect stand-in (OIDC provider) and the webmail's client there. */
	psc: PscLabInfo;
}

export interface LabComponentStatus {
	name: string;
	running: boolean;
	pid?: number;
	ports: { name: string; port: number; listening: boolean }[];
}

export interface LabStatus {
	running: boolean;
	components: LabComponentStatus[];
}

export interface StartLabOptions {
	/** Progress lines (the CLI prints them); silent by default. */
	log?: (line: string) => void;
}

const paths = labPaths();
const lockFile = join(paths.root, 'lab.lock');

function currentPorts(): LabPorts {
	return labPorts(portBaseFromEnv());
}

function crlUrl(ports: LabPorts): string {
	return `http://127.0.0.1:${ports.crlHttp}/crl/organisations.crl`;
}

export function readLabInfo(): LabInfo {
	if (!existsSync(paths.labJson)) {
		throw new AppError(
			ERROR_CODES.LAB_FAILED,
			`${paths.labJson} is missing: start the lab first (npm run lab -- start)`
		);
	}
	return JSON.parse(readFileSync(paths.labJson, 'utf8')) as LabInfo;
}

export async function labStatus(): Promise<LabStatus> {
	const ports = existsSync(paths.labJson) ? portsFromInfo(readLabInfo()) : currentPorts();
	const probe = async (list: [string, number][]) =>
		Promise.all(
			list.map(async ([name, port]) => ({
				name,
				port,
				listening: await isListening(port, hostOf(port, ports))
			}))
		);
	const component = async (
		name: string,
		pidFile: string,
		list: [string, number][]
	): Promise<LabComponentStatus> => {
		const pid = await readPid(pidFile);
		const running = isAlive(pid);
		return { name, running, ...(running && pid ? { pid } : {}), ports: await probe(list) };
	};
	const components = [
		await component('dovecot', dovecotPidFile(paths), [
			['imap (STARTTLS)', ports.imap],
			['imaps', ports.imaps],
			['lmtp', ports.lmtp],
			['auth (postfix sasl)', ports.auth]
		]),
		await component('postfix', postfixPidFile(paths), [
			['submission (STARTTLS)', ports.submission],
			['smtps', ports.smtps],
			['submission (certificat client)', ports.submissionCert]
		]),
		await component('crl-server', paths.crlServerPid, [['http crl', ports.crlHttp]]),
		await component('psc-standin', paths.pscStandinPid, [['http psc (oidc)', ports.psc]])
	];
	const running = components.every((c) => c.running && c.ports.every((p) => p.listening));
	return { running, components };
}

function portEntries(ports: LabPorts): [string, number][] {
	return Object.entries(ports) as [string, number][];
}

/** IMAP listens on LAB_IMAP_ADDRESS, everything else on 127.0.0.1. */
function hostOf(port: number, ports: LabPorts): string {
	return port === ports.imap || port === ports.imaps ? LAB_IMAP_ADDRESS : '127.0.0.1';
}

function portsFromInfo(info: LabInfo): LabPorts {
	const base = info.imap.port - 143;
	return labPorts(base);
}

export function startLab(options: StartLabOptions = {}): Promise<LabInfo> {
	return withLabLock(lockFile, () => startUnlocked(options));
}

async function startUnlocked(options: StartLabOptions): Promise<LabInfo> {
	const log = options.log ?? (() => {});
	const status = await labStatus();
	if (status.running && existsSync(paths.labJson)) {
		log('Le lab tourne déjà / lab already running.');
		const running = readLabInfo();
		await seedOnce(running, log);
		return running;
	}
	if (status.components.some((c) => c.running)) {
		log('Lab partiellement démarré : arrêt puis redémarrage / partial lab: restarting.');
		await stopUnlocked();
	}
	await ensurePackages(log);
	const ports = currentPorts();
	const messageSizeLimit = messageSizeLimitFromEnv();
	for (const [name, port] of portEntries(ports)) {
		if (!(await isPortFree(port, hostOf(port, ports)))) {
			throw new AppError(
				ERROR_CODES.LAB_FAILED,
				`Port ${port} (${name}) déjà utilisé / already in use. Free it or set LAB_PORT_BASE.`,
				{ details: { port, name } }
			);
		}
	}
	log('PKI de test (IGC-Santé factice)…');
	const pki = await ensureTestPki(paths.pki, {
		crlUrl: crlUrl(ports),
		serverNames: LAB_SERVER_NAMES
	});
	await writeServerConfigs({ paths, ports, pki, messageSizeLimit });
	try {
		log('Dovecot…');
		await startDovecot(paths);
		log('Postfix…');
		await startPostfix(paths);
		log('Serveur CRL…');
		await startCrlServer(paths, ports.crlHttp);
		log('Pro Santé Connect (lab)…');
		await startPscStandin(paths, ports.psc);
		const all = portEntries(ports).map(([, port]) => port);
		const listening = async () =>
			(await Promise.all(all.map((p) => isListening(p, hostOf(p, ports))))).every(Boolean);
		const up = await waitUntil(listening, 15_000);
		if (!up) {
			const down = [];
			for (const [name, port] of portEntries(ports)) {
				if (!(await isListening(port, hostOf(port, ports)))) down.push(`${name}:${port}`);
			}
			throw new AppError(ERROR_CODES.LAB_FAILED, `ports not listening: ${down.join(', ')}`);
		}
	} catch (error) {
		const detail = `\n--- dovecot.log ---\n${await tail(paths.dovecotLog)}\n--- postfix.log ---\n${await tail(paths.postfixLog)}`;
		await stopUnlocked().catch((stopError: unknown) => {
			log(`Arrêt après échec impossible / cleanup stop failed: ${String(stopError)}`);
		});
		throw new AppError(
			ERROR_CODES.LAB_FAILED,
			`Échec du démarrage / start failed: ${String(error)}${detail}`,
			{
				cause: error
			}
		);
	}
	const info: LabInfo = {
		imap: { host: LAB_IMAP_ADDRESS, port: ports.imap, tlsPort: ports.imaps },
		smtp: {
			host: 'localhost',
			port: ports.submission,
			tlsPort: ports.smtps,
			certPort: ports.submissionCert
		},
		lmtpPort: ports.lmtp,
		crlUrl: crlUrl(ports),
		domain: LAB_DOMAIN,
		caFile: pki.chainFile,
		rootCaFile: pki.rootCertFile,
		messageSizeLimit,
		accounts: LAB_ACCOUNTS,
		pki,
		psc: pscLabInfo(ports.psc)
	};
	await writeFile(paths.labJson, JSON.stringify(info, null, '\t') + '\n');
	await seedOnce(info, log);
	return info;
}

/** Seeds the demo mail unless done already (a failed seed is retried by the next start). */
async function seedOnce(info: LabInfo, log: (line: string) => void): Promise<void> {
	if (existsSync(paths.seededMarker)) return;
	log('Courriels de démonstration / seeding demo mail…');
	const seeded = await seedLab({ info, paths });
	await writeFile(paths.seededMarker, JSON.stringify(seeded, null, '\t') + '\n');
}

export function stopLab(): Promise<void> {
	return withLabLock(lockFile, stopUnlocked);
}

async function stopUnlocked(): Promise<void> {
	// In parallel: each waits for its own master to exit (Dovecot takes a few seconds).
	await Promise.all([
		stopCrlServer(paths),
		stopPscStandin(paths),
		stopPostfix(paths),
		stopByPidFile(dovecotPidFile(paths), 'Dovecot')
	]);
	for (const pid of await strayPids(paths)) {
		await stopByPid(pid, `stray lab process ${pid}`);
	}
	const status = await labStatus();
	const left = status.components.filter((c) => c.running).map((c) => c.name);
	const stray = await strayPids(paths);
	if (stray.length > 0) left.push(`pids ${stray.join(', ')}`);
	if (left.length > 0) {
		throw new AppError(ERROR_CODES.LAB_FAILED, `still running after stop: ${left.join(', ')}`);
	}
}

/** Wipes all mail and seeds the demo data again (PKI and configs are kept). */
export function resetLab(options: StartLabOptions = {}): Promise<LabInfo> {
	return withLabLock(lockFile, async () => {
		await stopUnlocked();
		await rm(paths.mail, { recursive: true, force: true });
		await rm(paths.seededMarker, { force: true });
		return startUnlocked(options);
	});
}

export { paths as labRuntimePaths };

/**
 * Stops Dovecot, runs `whileDown` (tests check what the webmail does meanwhile), starts it again
 * and waits until IMAP, LMTP and auth listen: a server restart in the middle of a session.
 */
export function restartDovecot(options: { whileDown?: () => Promise<void> } = {}): Promise<void> {
	return withLabLock(lockFile, async () => {
		const ports = portsFromInfo(readLabInfo());
		const dovecotPorts = [ports.imap, ports.imaps, ports.lmtp, ports.auth];
		await stopByPidFile(dovecotPidFile(paths), 'Dovecot');
		let failure: Error | null = null;
		try {
			await options.whileDown?.();
		} catch (error) {
			failure = error instanceof Error ? error : new Error(String(error));
		}
		// Started again whatever happened meanwhile, so a failed check never leaves the lab down.
		await startDovecot(paths);
		const listening = async () =>
			(await Promise.all(dovecotPorts.map((p) => isListening(p, hostOf(p, ports))))).every(Boolean);
		if (!(await waitUntil(listening, 15_000)))
			throw new AppError(ERROR_CODES.LAB_FAILED, 'Dovecot did not listen again after restart');
		await reloadPostfix(paths);
		if (failure) throw failure;
	});
}
