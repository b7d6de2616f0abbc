/**
 * The typo-tolerance side index: every indexed word of 4+ letters filed under its deletion
 * neighbourhood keys (one deletion; two for words of 7+ letters, the shortest a 9-letter query
 * with two typos can reach). See search/typo.ts for the lookup side.
 */
import type { DatabaseSync } from 'node:sqlite';
import { typoKeys } from '../search/typo.ts';
import { FREQUENT_WORD_DOCS } from '../search/embedded-query.ts';

const MIN_TERM = 4;
/** A 9+ letter query allows two typos and may reach words of 7 letters. */
const TWO_DELETIONS_FROM = 7;

export function buildVocabulary(db: DatabaseSync): { terms: number; deletions: number } {
	db.exec("CREATE VIRTUAL TABLE temp.fts_terms USING fts5vocab(main, 'entry_fts', 'col')");
	const terms = db
		.prepare(
			`SELECT term, sum(doc) AS docs FROM temp.fts_terms WHERE col IN ('name', 'other') AND length(term) >= ${MIN_TERM} GROUP BY term`
		)
		.all() as { term: string; docs: number }[];
	const insertFrequent = db.prepare('INSERT INTO vocab_frequent VALUES (?)');
	// One statement per word (its whole neighbourhood as JSON): millions of rows, few JS↔SQLite calls.
	const insertDel = db.prepare(
		'INSERT INTO vocab_del SELECT value, ?2 FROM json_each(?1) WHERE length(value) >= 4'
	);
	let count = 0;
	let delCount = 0;
	db.exec('BEGIN');
	for (const { term, docs } of terms) {
		if (/^\d+$/.test(term)) continue; // postal codes and numbers: no typo tolerance
		count++;
		if (docs >= FREQUENT_WORD_DOCS) insertFrequent.run(term);
		// Keys shorter than 4 letters are never looked up (typos start at 5-letter query words).
		const dels = typoKeys(term, term.length >= TWO_DELETIONS_FROM ? 2 : 1);
		insertDel.run(JSON.stringify(dels), term);
		delCount += dels.length;
	}
	db.exec('COMMIT');
	// Appending then indexing once (a sort) beats inserting into a B-tree in random key order.
	db.exec('CREATE INDEX vocab_del_k ON vocab_del (k, term)');
	db.exec('DROP TABLE temp.fts_terms');
	return { terms: count, deletions: delCount };
}
