/**
 * Directory benchmark (issue 5 "Numbers"): generate national-size extracts, import them in a
 * child process (wall time and peak RSS), then measure search latency (p50/p99 over 1–3-word
 * queries with typos and facets) and relevance (top-1/top-3) on the embedded engine.
 * `tests/bench/run.ts` calls runAnnuaireBench(); alone: `node tests/bench/annuaire-bench.ts [scale]`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { EmbeddedEngine } from '../../search/embedded-engine.ts';
import { foldText } from '../../search/fold.ts';
import { generateAnnuaireExtracts } from './annuaire-generate.ts';
import { latencyQueries, relevanceCases } from './annuaire-queries.ts';

export interface BenchReport {
	name: 'annuaire';
	scale: number;
	machine: { cpus: number; cpuModel: string; memoryGb: number; node: string };
	generate: {
		seconds: number;
		activiteRows: number;
		mailboxRows: number;
		savoirFaireRows: number;
		bytes: number;
	};
	import: {
		seconds: number;
		peakRssMb: number;
		entries: number;
		mailboxes: number;
		withoutMailbox: number;
		indexMb: number;
	};
	search: {
		engine: 'embedded';
		openSeconds: number;
		queries: number;
		p50Ms: number;
		p95Ms: number;
		p99Ms: number;
		maxMs: number;
	};
	/** top1/top3: the target mailbox itself; top1OrIndistinguishable: or a same-name, same-city, same-profession homonym. */
	relevance: { queries: number; top1: number; top3: number; top1OrIndistinguishable: number };
	/** Targets from the issue, for the reader of docs/benchmarks.md. */
	targets: { importSeconds: 120; peakRssMb: 1024; p50Ms: 5; p99Ms: 30 };
}

const IMPORTER = new URL('../../annuaire-import/importer.ts', import.meta.url).href;

function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function runAnnuaireBench(opts: {
	scale: number;
	dir?: string;
	keepFiles?: boolean;
}): Promise<BenchReport> {
	// keepFiles: leave the extracts and the index in `dir` (for analysis).
	const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'annuaire-bench-'));
	try {
		let t = performance.now();
		const generated = generateAnnuaireExtracts({ dir, scale: opts.scale, maxTargets: 300 });
		const generateSeconds = (performance.now() - t) / 1000;

		// The import runs alone in a child process so that its peak RSS is its own.
		const dbPath = join(dir, 'annuaire.sqlite');
		const script = `import { importAnnuaire } from ${JSON.stringify(IMPORTER)};
			const t = performance.now();
			const s = await importAnnuaire({ ...${JSON.stringify(generated.paths)}, dbPath: ${JSON.stringify(dbPath)} });
			console.log(JSON.stringify({ seconds: (performance.now() - t) / 1000, maxRssKb: process.resourceUsage().maxRSS, s }));`;
		const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
			encoding: 'utf8',
			maxBuffer: 1 << 26
		});
		if (child.status !== 0) throw new Error(`import failed: ${child.stderr.slice(-2000)}`);
		const imported = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as {
			seconds: number;
			maxRssKb: number;
			s: { entries: number; mailboxes: number; withoutMailbox: number };
		};

		t = performance.now();
		const engine = new EmbeddedEngine(dbPath);
		await engine.search({ text: 'martin', facets: true }); // opens the file and loads the facet arrays
		const openSeconds = (performance.now() - t) / 1000;
		const queries = latencyQueries(generated.targets);
		for (const q of queries.slice(0, 50)) await engine.search(q); // warm the page cache
		const times: number[] = [];
		for (const q of queries) {
			const start = performance.now();
			await engine.search({ limit: 10, ...q });
			times.push(performance.now() - start);
		}
		times.sort((a, b) => a - b);

		const cases = relevanceCases(generated.targets);
		let top1 = 0;
		let top3 = 0;
		let top1Homonym = 0;
		for (const c of cases) {
			const hits = (await engine.search({ ...c.query, limit: 3 })).hits;
			if (hits[0]?.mailbox === c.expected.mailbox) top1++;
			if (hits.some((h) => h.mailbox === c.expected.mailbox)) top3++;
			// A homonym with the same name, first name, profession and city cannot be told apart
			// from what was typed: counted separately, so that ranking and ambiguity are not mixed.
			const first = hits[0];
			const t = c.expected;
			const same = (a: string | null | undefined, b: string) => foldText(a ?? '') === foldText(b);
			if (
				first?.mailbox === t.mailbox ||
				(first &&
					same(first.lastName, t.lastName) &&
					same(first.firstName, t.firstName) &&
					same(first.city, t.city) &&
					first.professionLabel === t.professionLabel)
			)
				top1Homonym++;
		}
		await engine.close();
		const cpu = cpus();
		return {
			name: 'annuaire',
			scale: opts.scale,
			machine: {
				cpus: cpu.length,
				cpuModel: cpu[0]?.model ?? 'unknown',
				memoryGb: round(totalmem() / 2 ** 30, 1),
				node: process.version
			},
			generate: {
				seconds: round(generateSeconds, 1),
				activiteRows: generated.counts.activite,
				mailboxRows: generated.counts.mssante,
				savoirFaireRows: generated.counts.savoirFaire,
				bytes: generated.counts.bytes
			},
			import: {
				seconds: round(imported.seconds, 1),
				peakRssMb: Math.round(imported.maxRssKb / 1024),
				entries: imported.s.entries,
				mailboxes: imported.s.mailboxes,
				withoutMailbox: imported.s.withoutMailbox,
				indexMb: Math.round(statSync(dbPath).size / 2 ** 20)
			},
			search: {
				engine: 'embedded',
				openSeconds: round(openSeconds, 2),
				queries: times.length,
				p50Ms: round(percentile(times, 50)),
				p95Ms: round(percentile(times, 95)),
				p99Ms: round(percentile(times, 99)),
				maxMs: round(times.at(-1) ?? 0)
			},
			relevance: {
				queries: cases.length,
				top1: round(top1 / cases.length, 3),
				top3: round(top3 / cases.length, 3),
				top1OrIndistinguishable: round(top1Homonym / cases.length, 3)
			},
			targets: { importSeconds: 120, peakRssMb: 1024, p50Ms: 5, p99Ms: 30 }
		};
	} finally {
		if (!opts.keepFiles) rmSync(dir, { recursive: true, force: true });
	}
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const report = await runAnnuaireBench({ scale: Number(process.argv[2] ?? '1') });
	process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}
