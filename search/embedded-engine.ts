/**
 * The embedded directory engine: SQLite FTS5 through Node's built-in `node:sqlite`, over the file
 * the importer writes. Zero set-up; what the demo and the tests use. When an import swaps a new
 * file in, the engine notices (inode change) and reopens; the old file keeps answering until then.
 */
import { statSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { SearchError, ERROR_CODES } from '../src/lib/server/errors.ts';
import { compileQuery, TypoIndex, type CompiledQuery } from './embedded-query.ts';
import { rankHits, rowToEntry, type EntryRow } from './embedded-rank.ts';
import { SCHEMA_VERSION } from './schema.ts';
import { departmentName } from './departments.ts';
import {
	DEFAULT_LIMIT,
	MAX_LIMIT,
	type DirectoryEngine,
	type DirectoryFacets,
	type DirectoryQuery,
	type DirectoryResult,
	type FacetValue
} from './types.ts';

/** Hits re-ranked in JavaScript (exact names first); deeper pages use FTS5's bm25 order alone. */
const RERANK_WINDOW = 200;
const RECHECK_MS = 1000;
const ENTRY_COLUMNS =
	'id, mailbox, mailbox_type, id_national, last_name, first_name, profession_code, profession_label, sf_json, organization, service, address, postal_code, city, department';

interface OpenState {
	db: DatabaseSync;
	ino: number;
	typos: TypoIndex;
	labels: Map<string, string>;
	allFacets: DirectoryFacets | undefined;
}

export class EmbeddedEngine implements DirectoryEngine {
	readonly name = 'embedded';
	readonly #path: string;
	#state: OpenState | undefined;
	#checkedAt = 0;

	constructor(dbPath: string) {
		this.#path = dbPath;
	}

	#open(): OpenState {
		let ino: number;
		try {
			ino = statSync(this.#path).ino;
		} catch (cause) {
			throw new SearchError(
				ERROR_CODES.SEARCH_UNAVAILABLE,
				`Annuaire absent (${this.#path}) : importez-le avec « npm run annuaire -- import ».`,
				{ cause }
			);
		}
		const db = new DatabaseSync(this.#path, { readOnly: true });
		const version = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined;
		if (version?.value !== SCHEMA_VERSION) {
			db.close();
			throw new SearchError(ERROR_CODES.SEARCH_UNAVAILABLE, `Annuaire au format inattendu (${this.#path}) : réimportez-le.`);
		}
		const labels = new Map<string, string>();
		for (const row of db.prepare('SELECT kind, code, label FROM label').all() as { kind: string; code: string; label: string }[]) {
			labels.set(`${row.kind}:${row.code}`, row.label);
		}
		return { db, ino, typos: new TypoIndex(db), labels, allFacets: undefined };
	}

	/** The current file, reopened when an import has atomically replaced it. */
	#current(): OpenState {
		const now = Date.now();
		if (this.#state && now - this.#checkedAt > RECHECK_MS) {
			this.#checkedAt = now;
			let ino: number | undefined;
			try {
				ino = statSync(this.#path).ino;
			} catch {
				ino = undefined; // file briefly absent: keep serving the open one
			}
			if (ino !== undefined && ino !== this.#state.ino) {
				const fresh = this.#open();
				this.#state.db.close();
				this.#state = fresh;
			}
		}
		if (!this.#state) {
			this.#state = this.#open();
			this.#checkedAt = now;
		}
		return this.#state;
	}

	async search(query: DirectoryQuery): Promise<DirectoryResult> {
		const state = this.#current();
		const limit = Math.min(Math.max(Math.trunc(query.limit ?? DEFAULT_LIMIT), 0), MAX_LIMIT);
		const offset = Math.max(Math.trunc(query.offset ?? 0), 0);
		try {
			const compiled = compileQuery(query, state.typos);
			return compiled.match === undefined
				? this.#browse(state, limit, offset, query.facets === true)
				: this.#match(state, compiled, { limit, offset, facets: query.facets === true });
		} catch (cause) {
			if (cause instanceof SearchError) throw cause;
			throw new SearchError(ERROR_CODES.SEARCH_FAILED, 'La recherche dans l’annuaire a échoué.', { cause });
		}
	}

	#match(state: OpenState, compiled: CompiledQuery, opts: { limit: number; offset: number; facets: boolean }): DirectoryResult {
		const { db } = state;
		const match = compiled.match as string;
		let hits;
		if (opts.offset + opts.limit <= RERANK_WINDOW) {
			const rows = db
				.prepare(
					`SELECT ${ENTRY_COLUMNS}, m.r AS rank FROM (SELECT rowid, bm25(entry_fts, 10.0, 1.0, 0.0) AS r FROM entry_fts WHERE entry_fts MATCH ? ORDER BY r LIMIT ${RERANK_WINDOW}) m JOIN entry e ON e.id = m.rowid`
				)
				.all(match) as unknown as (EntryRow & { rank: number })[];
			hits = rankHits(rows, compiled.words).slice(opts.offset, opts.offset + opts.limit);
		} else {
			const rows = db
				.prepare(
					`SELECT ${ENTRY_COLUMNS} FROM (SELECT rowid, bm25(entry_fts, 10.0, 1.0, 0.0) AS r FROM entry_fts WHERE entry_fts MATCH ? ORDER BY r LIMIT ? OFFSET ?) m JOIN entry e ON e.id = m.rowid ORDER BY m.r`
				)
				.all(match, opts.limit, opts.offset) as unknown as EntryRow[];
			hits = rows.map(rowToEntry);
		}
		if (!opts.facets) {
			const { n } = db.prepare('SELECT count(*) AS n FROM entry_fts WHERE entry_fts MATCH ?').get(match) as { n: number };
			return { total: n, hits };
		}
		const rows = db
			.prepare(
				'SELECT e.profession_code AS p, e.sf_codes AS s, e.department AS d, e.mailbox_type AS t FROM entry_fts f JOIN entry e ON e.id = f.rowid WHERE entry_fts MATCH ?'
			)
			.all(match) as unknown as FacetRow[];
		return { total: rows.length, hits, facets: countFacets(rows, state.labels) };
	}

	#browse(state: OpenState, limit: number, offset: number, facets: boolean): DirectoryResult {
		const { db } = state;
		const rows = db
			.prepare(`SELECT ${ENTRY_COLUMNS} FROM entry e ORDER BY mailbox IS NULL, last_name, first_name LIMIT ? OFFSET ?`)
			.all(limit, offset) as unknown as EntryRow[];
		const { n } = db.prepare('SELECT count(*) AS n FROM entry').get() as { n: number };
		const result: DirectoryResult = { total: n, hits: rows.map(rowToEntry) };
		if (facets) {
			state.allFacets ??= countFacets(
				db.prepare('SELECT profession_code AS p, sf_codes AS s, department AS d, mailbox_type AS t FROM entry').all() as unknown as FacetRow[],
				state.labels
			);
			result.facets = state.allFacets;
		}
		return result;
	}

	async close(): Promise<void> {
		this.#state?.db.close();
		this.#state = undefined;
	}
}

interface FacetRow {
	p: string | null;
	s: string;
	d: string | null;
	t: string | null;
}

function countFacets(rows: FacetRow[], labels: Map<string, string>): DirectoryFacets {
	const p = new Map<string, number>();
	const s = new Map<string, number>();
	const d = new Map<string, number>();
	const t = new Map<string, number>();
	const bump = (m: Map<string, number>, k: string | null) => {
		if (k) m.set(k, (m.get(k) ?? 0) + 1);
	};
	for (const row of rows) {
		bump(p, row.p);
		bump(d, row.d);
		bump(t, row.t);
		if (row.s) for (const code of row.s.split(' ')) bump(s, code);
	}
	const list = (m: Map<string, number>, label: (code: string) => string): FacetValue[] =>
		[...m].map(([value, count]) => ({ value, label: label(value), count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
	return {
		profession: list(p, (c) => labels.get(`profession:${c}`) ?? c),
		specialite: list(s, (c) => labels.get(`specialite:${c}`) ?? c),
		departement: list(d, departmentName),
		type: list(t, (c) => c)
	};
}
