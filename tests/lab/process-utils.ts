/**
 * Small process and network helpers for the lab: run a command, read pid files, probe ports.
 * Errors carry the command and its stderr so the CLI can print something actionable.
 */
import { execFile, spawn } from 'node:child_process';
import { open, readFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { promisify } from 'node:util';
import { AppError, ERROR_CODES } from '../../src/lib/server/errors.ts';

const execFileAsync = promisify(execFile);

export interface RunResult {
	stdout: string;
	stderr: string;
}

export async function run(
	command: string,
	args: string[],
	options: { env?: NodeJS.ProcessEnv; input?: string } = {}
): Promise<RunResult> {
	try {
		const { stdout, stderr } = await execFileAsync(command, args, {
			encoding: 'utf8',
			maxBuffer: 16 * 1024 * 1024,
			env: options.env ?? process.env
		});
		return { stdout, stderr };
	} catch (error) {
		const e = error as { stderr?: string; stdout?: string; code?: unknown };
		const output = `${e.stderr ?? ''}${e.stdout ?? ''}`.trim();
		throw new AppError(
			ERROR_CODES.LAB_FAILED,
			`${command} ${args.join(' ')} failed (${String(e.code)}): ${output || String(error)}`,
			{ cause: error }
		);
	}
}

/**
 * Runs a command that daemonizes (dovecot, postfix start). Its output goes to `logFile`, not to
 * a pipe: the daemon's children inherit the descriptors, so a pipe would never reach EOF.
 */
export async function runDaemonStarter(
	command: string,
	args: string[],
	options: { env?: NodeJS.ProcessEnv; logFile: string }
): Promise<void> {
	const log = await open(options.logFile, 'a');
	try {
		const code = await new Promise<number | null>((resolve, reject) => {
			const child = spawn(command, args, {
				env: options.env ?? process.env,
				stdio: ['ignore', log.fd, log.fd]
			});
			child.once('error', reject);
			child.once('exit', (exitCode) => resolve(exitCode));
		});
		if (code !== 0) {
			throw new AppError(
				ERROR_CODES.LAB_FAILED,
				`${command} ${args.join(' ')} exited with ${String(code)}; see ${options.logFile}`
			);
		}
	} finally {
		await log.close();
	}
}

export async function commandExists(command: string): Promise<boolean> {
	try {
		await execFileAsync('sh', ['-c', `command -v ${command}`], {
			env: { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` }
		});
		return true;
	} catch {
		return false;
	}
}

export async function readPid(file: string): Promise<number | undefined> {
	try {
		const pid = Number((await readFile(file, 'utf8')).trim());
		return Number.isInteger(pid) && pid > 0 ? pid : undefined;
	} catch {
		return undefined;
	}
}

export function isAlive(pid: number | undefined): boolean {
	if (pid === undefined) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: exists but not ours (still alive).
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns true or `timeoutMs` elapses; returns the last result. */
export async function waitUntil(
	check: () => boolean | Promise<boolean>,
	timeoutMs: number,
	intervalMs = 100
): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (await check()) return true;
		if (Date.now() > deadline) return false;
		await sleep(intervalMs);
	}
}

/** True when something accepts TCP connections on host:port. */
export function isListening(port: number, host = '127.0.0.1'): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = createConnection({ host, port });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
		socket.setTimeout(1000, () => {
			socket.destroy();
			resolve(false);
		});
	});
}

/** True when we could bind host:port ourselves (so nothing else holds it). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
	return new Promise((resolve) => {
		const server = createServer();
		server.once('error', () => resolve(false));
		server.listen({ host, port, exclusive: true }, () => {
			server.close(() => resolve(true));
		});
	});
}
