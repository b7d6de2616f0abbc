/**
 * `npm run bench [-- webmail|annuaire] [--quick]`: the benchmarks, printed as tables and saved as
 * JSON in var/bench/. The numbers we keep go to docs/benchmarks.md with the machine and the date.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../support/app-server.ts';
import { runAnnuaireBench } from './annuaire-bench.ts';
import { runAutocompleteBench } from './autocomplete-bench.ts';
import { runWebmailBench } from './webmail-bench.ts';

const args = process.argv.slice(2);
const isQuick = args.includes('--quick');
const only = args.find((a) => !a.startsWith('--'));
const results: Record<string, unknown> = {
	date: new Date().toISOString(),
	machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`
};

if (!only || only === 'webmail') {
	const report = await runWebmailBench({
		messages: isQuick ? 10_000 : 100_000,
		iterations: isQuick ? 10 : 30
	});
	results.webmail = report;
	console.log('\nWebmail (ms)            p50      p95      max      n');
	for (const [name, value] of Object.entries(report)) {
		if (typeof value === 'object') {
			const s = value as { p50: number; p95: number; max: number; n: number };
			console.log(
				`${name.padEnd(24)}${String(s.p50).padStart(7)}  ${String(s.p95).padStart(7)}  ${String(s.max).padStart(7)}  ${String(s.n).padStart(5)}`
			);
		} else {
			console.log(`${name.padEnd(24)}${value}`);
		}
	}
}

if (!only || only === 'annuaire') {
	// The index stays on disk for the browser autocomplete measurement, then goes.
	const dir = mkdtempSync(path.join(tmpdir(), 'confrere-annuaire-bench-'));
	try {
		const report = await runAnnuaireBench({ scale: isQuick ? 0.05 : 1, dir, keepFiles: true });
		results.annuaire = report;
		console.log('\nAnnuaire', JSON.stringify(report, null, 2));
		const autocomplete = await runAutocompleteBench({ dataDir: dir });
		results.autocomplete = autocomplete;
		console.log(
			'\nAutocomplete in Chromium (ms per keystroke)',
			JSON.stringify(autocomplete.keystrokeToList)
		);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

const dir = path.join(REPO_ROOT, 'var', 'bench');
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `bench-${Date.now()}.json`);
writeFileSync(file, JSON.stringify(results, null, 2));
console.log(`\nSaved ${file}`);
