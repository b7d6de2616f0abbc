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
import { FacetIndex } from './facet-index.ts';
import {
	DEFAULT_LIMIT,
	MAX_LIMIT,
	type DirectoryEngine,
	type DirectoryFacets,
	type DirectoryQuery,
	type DirectoryResult
} from './types.ts';

/** Candidates re-ranked in JavaScript (exact names first); deeper pages keep the static rowid order. */
const RERANK_WINDOW = 100;
const RECHECK_MS = 1000;
/** Matches counted at most (as Meilisearch's maxTotalHits): beyond, total is a lower bound. */
export const MATCH_LIMIT = 10_000;
const ENTRY_COLUMNS =
	'id, mailbox, mailbox_type, id_national, last_name, first_name, profession_code, profession_label, sf_json, organization, service, address, postal_code, city, department';

interface OpenState {
	db: DatabaseSync;
	ino: number;
	typos: TypoIndex;
	labels: Map<string, string>;
	allFacets: DirectoryFacets | undefined;
	facetIndex: FacetIndex | undefined;
}

export class EmbeddedEngine implements DirectoryEngine {
	readonly name = 'embedded';
	readonly #path: string;
	readonly #recheckMs: number;
	#state: OpenState | undefined;
	#checkedAt = 0;

	/** `recheckMs`: how often to look for a newly imported file (default one second). */
	constructor(dbPath: string, options: { recheckMs?: number } = {}) {
		this.#path = dbPath;
		this.#recheckMs = options.recheckMs ?? RECHECK_MS;
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
		let version: { value: string } | undefined;
		try {
			version = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as
				{ value: string } | undefined;
		} catch {
			// Not one of our index files (empty, corrupt, another program's): same answer as a wrong version.
			version = undefined;
		}
		if (version?.value !== SCHEMA_VERSION) {
			db.close();
			throw new SearchError(
				ERROR_CODES.SEARCH_UNAVAILABLE,
				`Annuaire au format inattendu (${this.#path}) : réimportez-le.`
			);
		}
		const labels = new Map<string, string>();
		for (const row of db.prepare('SELECT kind, code, label FROM label').all() as {
			kind: string;
			code: string;
			label: string;
		}[]) {
			labels.set(`${row.kind}:${row.code}`, row.label);
		}
		return {
			db,
			ino,
			typos: new TypoIndex(db),
			labels,
			allFacets: undefined,
			facetIndex: undefined
		};
	}

	/** The current file, reopened when an import has atomically replaced it. */
	#current(): OpenState {
		const now = Date.now();
		if (this.#state && now - this.#checkedAt >= this.#recheckMs) {
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

	search(query: DirectoryQuery): Promise<DirectoryResult> {
		// node:sqlite is synchronous; a throw inside the executor becomes a rejection.
		return new Promise((resolve) => resolve(this.#searchNow(query)));
	}

	#searchNow(query: DirectoryQuery): DirectoryResult {
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
			throw new SearchError(ERROR_CODES.SEARCH_FAILED, 'La recherche dans l’annuaire a échoué.', {
				cause
			});
		}
	}

	#match(
		state: OpenState,
		compiled: CompiledQuery,
		opts: { limit: number; offset: number; facets: boolean }
	): DirectoryResult {
		const { db } = state;
		const match = compiled.match as string;
		let hits;
		if (opts.offset + opts.limit <= RERANK_WINDOW) {
			// Buckets in FTS5 rowid order (it stops after the window): exact words first, then all.
			const seen = new Set<number>();
			const rows: (EntryRow & { rank: number })[] = [];
			for (const expr of compiled.exact && compiled.exact !== match
				? [compiled.exact, match]
				: [match]) {
				const bucket = db
					.prepare(
						`SELECT ${ENTRY_COLUMNS} FROM (SELECT rowid FROM entry_fts WHERE entry_fts MATCH ? LIMIT ${RERANK_WINDOW}) m JOIN entry e ON e.id = m.rowid`
					)
					.all(expr) as unknown as EntryRow[];
				for (const row of bucket) {
					if (seen.has(row.id)) continue;
					seen.add(row.id);
					rows.push({ ...row, rank: rows.length });
				}
			}
			hits = rankHits(rows, compiled.words).slice(opts.offset, opts.offset + opts.limit);
		} else {
			const rows = db
				.prepare(
					`SELECT ${ENTRY_COLUMNS} FROM (SELECT rowid FROM entry_fts WHERE entry_fts MATCH ? LIMIT ? OFFSET ?) m JOIN entry e ON e.id = m.rowid ORDER BY e.id`
				)
				.all(match, opts.limit, opts.offset) as unknown as EntryRow[];
			hits = rows.map(rowToEntry);
		}
		// Counting stops at MATCH_LIMIT: "médecin" alone matches a third of the country.
		let ids: number[] | undefined;
		let matched: number;
		if (opts.facets) {
			const stmt = db.prepare(
				`SELECT rowid FROM entry_fts WHERE entry_fts MATCH ? LIMIT ${MATCH_LIMIT + 1}`
			);
			stmt.setReturnArrays(true);
			ids = (stmt.all(match) as unknown as [number][]).map((r) => r[0]);
			matched = ids.length;
		} else {
			matched = (
				db
					.prepare(
						`SELECT count(*) AS n FROM (SELECT rowid FROM entry_fts WHERE entry_fts MATCH ? LIMIT ${MATCH_LIMIT + 1})`
					)
					.get(match) as { n: number }
			).n;
		}
		const result: DirectoryResult = { total: Math.min(matched, MATCH_LIMIT), hits };
		if (matched > MATCH_LIMIT) result.isTruncated = true;
		if (ids) result.facets = this.#facets(state).count(ids.slice(0, MATCH_LIMIT));
		return result;
	}

	#facets(state: OpenState): FacetIndex {
		state.facetIndex ??= new FacetIndex(state.db, state.labels);
		return state.facetIndex;
	}

	#browse(state: OpenState, limit: number, offset: number, facets: boolean): DirectoryResult {
		const { db } = state;
		const rows = db
			.prepare(
				`SELECT ${ENTRY_COLUMNS} FROM entry e ORDER BY mailbox IS NULL, last_name, first_name LIMIT ? OFFSET ?`
			)
			.all(limit, offset) as unknown as EntryRow[];
		const entries = db.prepare("SELECT value FROM meta WHERE key = 'entries'").get() as
			{ value: string } | undefined;
		const result: DirectoryResult = {
			total: Number(entries?.value ?? 0),
			hits: rows.map(rowToEntry)
		};
		if (facets) {
			const all = db.prepare('SELECT id FROM entry');
			all.setReturnArrays(true);
			state.allFacets ??= this.#facets(state).count(
				(all.all() as unknown as [number][]).map((r) => r[0])
			);
			result.facets = state.allFacets;
		}
		return result;
	}

	close(): Promise<void> {
		this.#state?.db.close();
		this.#state = undefined;
		return Promise.resolve();
	}
}
