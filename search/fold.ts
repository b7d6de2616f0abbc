/**
 * Text folding shared by the importer (what gets indexed) and both engines (what gets searched),
 * so that "lefevre" finds LEFÈVRE, "saint etienne" finds Saint-Étienne and "nguyen" finds N'GUYEN.
 */

const JOINERS = /['’‘`´‐‑–-]/;
const SPLIT_JOINERS = /['’‘`´‐‑–-]+/;
const HYPHENS = /[‐‑–-]+/;

/** Lower case, no diacritics, ligatures expanded; keeps joiners (hyphens, apostrophes). */
function baseFold(text: string): string {
	return text
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/œ/g, 'oe')
		.replace(/æ/g, 'ae')
		.replace(/ß/g, 'ss');
}

/** Chunks of letters/digits possibly joined by hyphens or apostrophes ("n'guyen", "saint-etienne"). */
function chunks(text: string): string[] {
	return baseFold(text)
		.replace(/[^a-z0-9'’‘`´\-‐‑–]+/g, ' ')
		.split(' ')
		.filter((c) => c !== '');
}

/**
 * Tokens to index: every piece of a joined word, plus the joined form for apostrophes, so both
 * "saint etienne" and "nguyen" match ("saint-etienne" → saint, etienne; "n'guyen" → n, guyen,
 * nguyen). Hyphenated forms are not joined: nobody types "saintetienne", and every joined
 * "saint…" place name would widen the "saint*" prefix search.
 */
export function indexTokens(text: string | null | undefined): string[] {
	if (!text) return [];
	// Fast path: the extracts are mostly plain upper-case ASCII (names, postal lines).
	if (PLAIN.test(text))
		return text
			.toLowerCase()
			.split(' ')
			.filter((t) => t !== '');
	const cached = cache.get(text);
	if (cached) return cached;
	const out = foldIndexTokens(text);
	if (cache.size > 50_000) cache.clear();
	cache.set(text, out);
	return out;
}

const PLAIN = /^[A-Za-z0-9 ]*$/;
/** Labels (professions, specialties, cities) repeat across millions of rows: fold each once. */
const cache = new Map<string, string[]>();

function foldIndexTokens(text: string): string[] {
	const out: string[] = [];
	for (const chunk of chunks(text)) {
		for (const part of chunk.split(HYPHENS)) {
			const pieces = part.split(SPLIT_JOINERS).filter((p) => p !== '');
			out.push(...pieces);
			if (pieces.length > 1) out.push(pieces.join(''));
		}
	}
	return out;
}

/** Tokens of a query: pieces only (the index holds both the pieces and the joined form). */
export function queryTokens(text: string | null | undefined): string[] {
	if (!text) return [];
	const out: string[] = [];
	for (const chunk of chunks(text)) {
		if (JOINERS.test(chunk)) out.push(...chunk.split(SPLIT_JOINERS).filter((p) => p !== ''));
		else out.push(chunk);
	}
	return out;
}

/** Folded words joined by one space: accent-, case- and punctuation-insensitive comparisons. */
export function foldText(text: string | null | undefined): string {
	return queryTokens(text).join(' ');
}
