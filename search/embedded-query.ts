/**
 * Turns what the user typed into an FTS5 MATCH expression: each word may match exactly, as a
 * prefix (results as you type), within the allowed typos (vocabulary deletion neighbourhood), or
 * through a profession/specialty synonym; all words must match (AND), in name or other columns.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { queryTokens } from './fold.ts';
import { expandSynonym } from './synonyms.ts';
import { codeToken } from './schema.ts';
import { allowedTypos, damerauLevenshtein, typoKeys } from './typo.ts';
import type { DirectoryQuery } from './types.ts';

/** Words that carry no search meaning on their own (titles, articles). */
const STOP_WORDS = new Set([
	'de',
	'du',
	'des',
	'la',
	'le',
	'les',
	'd',
	'l',
	'et',
	'en',
	'dr',
	'docteur',
	'pr',
	'professeur',
	'mme',
	'madame',
	'mr',
	'monsieur'
]);

const MAX_TYPO_CANDIDATES = 12;
/**
 * A word typed exactly as a frequent indexed word ("médecin", "martin", "paris") is taken as
 * meant: no typo variants, which would only add noise and merge more huge lists. Rare words
 * ("dupond") still get them.
 */
export const FREQUENT_WORD_DOCS = 1000; // vocab_frequent is filled by the importer

export interface QueryWord {
	word: string;
	typoCandidates: string[];
	isPrefix: boolean;
}

export interface CompiledQuery {
	/** undefined when nothing constrains the result (empty box, no filter). */
	match: string | undefined;
	/** Every word exactly as typed (no prefix, typo or synonym): the first ranking bucket. */
	exact: string | undefined;
	words: QueryWord[];
}

const quote = (token: string) => `"${token.replace(/"/g, '""')}"`;

export class TypoIndex {
	#byDeletion: StatementSync;
	#frequent: StatementSync;
	#db: DatabaseSync;

	constructor(db: DatabaseSync) {
		this.#db = db;
		this.#frequent = db.prepare('SELECT 1 AS yes FROM vocab_frequent WHERE term = ?');
		this.#byDeletion = db.prepare(
			'SELECT DISTINCT term FROM vocab_del WHERE k IN (SELECT value FROM json_each(?1))'
		);
	}

	/** Typed exactly as a word of 1000+ entries: taken as complete and meant as typed. */
	isFrequent(word: string): boolean {
		return this.#frequent.get(word) !== undefined;
	}

	/** Vocabulary words within the allowed distance of `word`, closest first. */
	candidates(word: string): string[] {
		const max = allowedTypos(word);
		if (max === 0) return [];
		if (this.isFrequent(word)) return [];
		const keys = typoKeys(word, max);
		const rows = this.#byDeletion.all(JSON.stringify(keys)) as { term: string }[];
		return rows
			.map((r) => ({ term: r.term, d: damerauLevenshtein(word, r.term, max) }))
			.filter((c) => c.term !== word && c.d <= max)
			.sort((a, b) => a.d - b.d)
			.slice(0, MAX_TYPO_CANDIDATES)
			.map((c) => c.term);
	}

	get db(): DatabaseSync {
		return this.#db;
	}
}

export function compileQuery(query: DirectoryQuery, typos: TypoIndex): CompiledQuery {
	let tokens = queryTokens(query.text ?? '');
	const meaningful = tokens.filter((t) => !STOP_WORDS.has(t));
	if (meaningful.length > 0) tokens = meaningful;
	const words: QueryWord[] = [];
	const clauses: string[] = [];
	const exactClauses: string[] = [];
	tokens.forEach((word, i) => {
		const isLast = i === tokens.length - 1;
		// Prefix on the last word only (it is the one being typed), as Meilisearch does, from three
		// letters: shorter prefixes would match a good part of the country (and need a costly index).
		// A complete frequent word ("paris", "médecin") is taken as finished: FTS5 would otherwise
		// merge the huge lists of every word it begins before intersecting.
		const isPrefix = isLast && word.length >= 3 && !typos.isFrequent(word);
		const typoCandidates = typos.candidates(word);
		const alternatives = [quote(word) + (isPrefix ? '*' : ''), ...typoCandidates.map(quote)];
		let clause = `{name other} : (${alternatives.join(' OR ')})`;
		const synonym = expandSynonym(word);
		if (synonym) {
			const codes = [
				...synonym.professions.map(codeToken.profession),
				...synonym.specialties.map(codeToken.specialty)
			];
			if (codes.length > 0) clause = `(${clause} OR codes : (${codes.join(' OR ')}))`;
		}
		clauses.push(clause);
		exactClauses.push(`{name other} : ${quote(word)}`);
		words.push({ word, typoCandidates, isPrefix });
	});
	const filters: string[] = [];
	if (query.profession) filters.push(codeToken.profession(query.profession));
	if (query.specialite) filters.push(codeToken.specialty(query.specialite));
	if (query.departement) filters.push(codeToken.department(query.departement));
	if (query.type) filters.push(codeToken.type(query.type));
	if (query.hasMailbox) filters.push(codeToken.hasMailbox(true));
	for (const f of filters) {
		clauses.push(`codes : ${f}`);
		exactClauses.push(`codes : ${f}`);
	}
	return {
		match: clauses.length > 0 ? clauses.join(' AND ') : undefined,
		exact: words.length > 0 ? exactClauses.join(' AND ') : undefined,
		words
	};
}
