/**
 * `npm test`: everything a fresh machine needs, then every suite, in one run.
 *   1. Debian packages for the tests (Chromium, xmllint, Saxon) — the lab installs its own;
 *   2. `npm run check` (svelte-kit sync, svelte-check, ESLint, Prettier);
 *   3. vitest: unit, integration (against the lab) and end-to-end (Chromium against the lab);
 *   4. the lab is stopped again if this run started it.
 * Ends with the plain summary line `N passed, N failed, N skipped`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { labStatus, stopLab } from './lab/lab.ts';
import { ensureDebianPackages, TEST_PACKAGES } from './setup/system-deps.ts';
import { REPO_ROOT } from './support/app-server.ts';

const npmCli = process.env.npm_execpath;

function step(title: string, command: string, args: string[]): boolean {
	console.log(`\n=== ${title}`);
	const result = spawnSync(command, args, { cwd: REPO_ROOT, stdio: 'inherit', env: process.env });
	return result.status === 0;
}

interface VitestJson {
	numPassedTests: number;
	numFailedTests: number;
	numPendingTests: number;
	numTodoTests: number;
}

async function main(): Promise<number> {
	ensureDebianPackages(TEST_PACKAGES);
	const wasLabRunning = (await labStatus()).running;

	const checkOk = npmCli
		? step('Static checks', process.execPath, [npmCli, 'run', '--silent', 'check'])
		: step('Static checks', 'npm', ['run', '--silent', 'check']);

	const reportDir = path.join(REPO_ROOT, 'var', 'test-results');
	mkdirSync(reportDir, { recursive: true });
	const report = path.join(reportDir, 'vitest.json');
	const vitest = path.join(REPO_ROOT, 'node_modules', 'vitest', 'vitest.mjs');
	let testsOk: boolean;
	try {
		testsOk = step('Unit, integration and end-to-end tests', process.execPath, [
			vitest,
			'run',
			'--reporter=default',
			'--reporter=json',
			`--outputFile.json=${report}`
		]);
	} finally {
		if (!wasLabRunning && process.env.CONFRERE_KEEP_LAB !== '1') await stopLab();
	}

	let summary: VitestJson = {
		numPassedTests: 0,
		numFailedTests: 0,
		numPendingTests: 0,
		numTodoTests: 0
	};
	try {
		summary = JSON.parse(readFileSync(report, 'utf8')) as VitestJson;
	} catch {
		testsOk = false;
	}
	const failed = summary.numFailedTests + (checkOk ? 0 : 1);
	console.log(`\nStatic checks: ${checkOk ? 'ok' : 'FAILED'}`);
	console.log(
		`${summary.numPassedTests} passed, ${failed} failed, ${summary.numPendingTests + summary.numTodoTests} skipped`
	);
	return checkOk && testsOk && failed === 0 ? 0 : 1;
}

process.exitCode = await main();
