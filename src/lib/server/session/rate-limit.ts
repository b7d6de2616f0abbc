/** Sign-in throttling: a fixed number of failures per key in a sliding window. */
export class FailureLimiter {
	readonly #failures = new Map<string, number[]>();
	readonly #max: number;
	readonly #windowMs: number;

	constructor(options: { max: number; windowMs: number }) {
		this.#max = options.max;
		this.#windowMs = options.windowMs;
	}

	#recent(key: string): number[] {
		const limit = Date.now() - this.#windowMs;
		const kept = (this.#failures.get(key) ?? []).filter((t) => t > limit);
		if (kept.length) this.#failures.set(key, kept);
		else this.#failures.delete(key);
		return kept;
	}

	isBlocked(keys: string[]): boolean {
		return keys.some((key) => this.#recent(key).length >= this.#max);
	}

	recordFailure(keys: string[]): void {
		for (const key of keys) this.#failures.set(key, [...this.#recent(key), Date.now()]);
	}

	reset(keys: string[]): void {
		for (const key of keys) this.#failures.delete(key);
	}
}
