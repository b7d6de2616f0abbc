/** Small timing helpers shared by the benchmarks. */

export function percentile(samples: number[], p: number): number {
	if (samples.length === 0) return Number.NaN;
	const sorted = [...samples].sort((a, b) => a - b);
	const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[index]!;
}

export interface Summary {
	n: number;
	p50: number;
	p95: number;
	max: number;
}

export function summarize(samples: number[]): Summary {
	return {
		n: samples.length,
		p50: round(percentile(samples, 50)),
		p95: round(percentile(samples, 95)),
		max: round(Math.max(...samples))
	};
}

export function round(value: number, digits = 1): number {
	const factor = 10 ** digits;
	return Math.round(value * factor) / factor;
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
	const started = performance.now();
	const value = await fn();
	return { ms: performance.now() - started, value };
}
