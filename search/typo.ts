/**
 * Typo tolerance, same thresholds as Meilisearch's defaults: one typo from 5 letters, two from 9.
 * Candidates come from a deletion neighbourhood (the SymSpell idea): two words within distance d
 * share a word obtained by deleting at most d letters from each, so the index stores deletions
 * of every vocabulary word and the query looks its own deletions up.
 */

export const ONE_TYPO_MIN_LENGTH = 5;
export const TWO_TYPOS_MIN_LENGTH = 9;

export function allowedTypos(word: string): number {
	if (word.length >= TWO_TYPOS_MIN_LENGTH) return 2;
	if (word.length >= ONE_TYPO_MIN_LENGTH) return 1;
	return 0;
}

/**
 * Only the first letters take part in the neighbourhood (SymSpell's prefix optimisation): it
 * bounds the keys per word (≤ 29) whatever the word's length; typos further right are caught by
 * the exact prefix key and the distance check on the whole word.
 */
export const TYPO_PREFIX_LENGTH = 7;

/** Keys under which a word is filed (index side) or looked up (query side). */
export function typoKeys(word: string, maxDeletes: number): string[] {
	const prefix = word.slice(0, TYPO_PREFIX_LENGTH);
	return [prefix, ...deletions(prefix, maxDeletes)];
}

/** Every word obtained by deleting 1..maxDeletes letters (deduplicated, the word itself excluded). */
export function deletions(word: string, maxDeletes: number): string[] {
	const seen = new Set<string>();
	let frontier = [word];
	for (let d = 0; d < maxDeletes; d++) {
		const next: string[] = [];
		for (const w of frontier) {
			for (let i = 0; i < w.length; i++) {
				const del = w.slice(0, i) + w.slice(i + 1);
				if (del.length > 0 && !seen.has(del)) {
					seen.add(del);
					next.push(del);
				}
			}
		}
		frontier = next;
	}
	seen.delete(word);
	return [...seen];
}

/** Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions). */
export function damerauLevenshtein(a: string, b: string, max = Infinity): number {
	if (Math.abs(a.length - b.length) > max) return max + 1;
	const rows = a.length + 1;
	const cols = b.length + 1;
	const d: number[][] = Array.from({ length: rows }, (_, i) =>
		Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0))
	);
	for (let i = 1; i < rows; i++) {
		const row = d[i] as number[];
		const prev = d[i - 1] as number[];
		for (let j = 1; j < cols; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			let v = Math.min(
				(prev[j] as number) + 1,
				(row[j - 1] as number) + 1,
				(prev[j - 1] as number) + cost
			);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
				v = Math.min(v, ((d[i - 2] as number[])[j - 2] as number) + 1);
			}
			row[j] = v;
		}
	}
	return (d[rows - 1] as number[])[cols - 1] as number;
}
