/**
 * The typo-tolerance side index: every indexed word of 4+ letters and its deletion neighbourhood
 * (one deletion; two for words of 7+ letters, the shortest a 9-letter query with two typos can
 * reach). See search/typo.ts for the lookup side.
 */
import type { DatabaseSync } from 'node:sqlite';
import { deletions } from '../search/typo.ts';

const MIN_TERM = 4;
const TWO_DELETIONS_FROM = 7;

export function buildVocabulary(db: DatabaseSync): { terms: number; deletions: number } {
	db.exec("CREATE VIRTUAL TABLE temp.fts_terms USING fts5vocab(main, 'entry_fts', 'col')");
	const terms = db
		.prepare(`SELECT DISTINCT term FROM temp.fts_terms WHERE col IN ('name', 'other') AND length(term) >= ${MIN_TERM}`)
		.all() as { term: string }[];
	const insertTerm = db.prepare('INSERT OR IGNORE INTO vocab VALUES (?)');
	const insertDel = db.prepare('INSERT OR IGNORE INTO vocab_del VALUES (?, ?)');
	let count = 0;
	let dels = 0;
	db.exec('BEGIN');
	for (const { term } of terms) {
		if (/^\d+$/.test(term)) continue; // postal codes and numbers: no typo tolerance
		insertTerm.run(term);
		count++;
		for (const d of deletions(term, term.length >= TWO_DELETIONS_FROM ? 2 : 1)) {
			if (d.length < 4) continue; // a query word of 5+ letters never looks up shorter keys
			insertDel.run(d, term);
			dels++;
		}
	}
	db.exec('COMMIT');
	db.exec('DROP TABLE temp.fts_terms');
	return { terms: count, deletions: dels };
}
