/**
 * The Meilisearch directory engine, through the official client (enabled by MEILI_URL and
 * MEILI_KEY). Same contract as the embedded engine: settings (searchable/filterable attributes,
 * typo thresholds 5/9, synonyms) are in meilisearch-sync.ts, applied when the index is fed.
 */
import { existsSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { Meilisearch } from 'meilisearch';
import { SearchError, ERROR_CODES } from '../src/lib/server/errors.ts';
import { departmentName } from './departments.ts';
import { DEFAULT_INDEX_UID, MEILI_SETTINGS, type MeiliDocument } from './meilisearch-sync.ts';
import {
	DEFAULT_LIMIT,
	MAX_LIMIT,
	type DirectoryEngine,
	type DirectoryEntry,
	type DirectoryQuery,
	type DirectoryResult,
	type FacetValue
} from './types.ts';

export interface MeilisearchEngineOptions {
	host: string;
	apiKey?: string;
	indexUid?: string;
	/** The importer's index file, for facet labels (profession and specialty names). */
	dbPath?: string;
	/** Tests: delete the index on close. */
	dropOnClose?: boolean;
}

const FACETS = ['professionCode', 'savoirFaireCodes', 'department', 'mailboxType'] as const;

/** Filter values are codes; quoting keeps Meilisearch's filter syntax safe from odd input. */
const eq = (field: string, value: string) => `${field} = ${JSON.stringify(value)}`;

function loadLabels(dbPath: string | undefined): Map<string, string> {
	const labels = new Map<string, string>();
	if (!dbPath || !existsSync(dbPath)) return labels;
	const db = new DatabaseSync(dbPath, { readOnly: true });
	try {
		for (const r of db.prepare('SELECT kind, code, label FROM label').all() as {
			kind: string;
			code: string;
			label: string;
		}[]) {
			labels.set(`${r.kind}:${r.code}`, r.label);
		}
	} finally {
		db.close();
	}
	return labels;
}

export class MeilisearchEngine implements DirectoryEngine {
	readonly name = 'meilisearch';
	readonly client: Meilisearch;
	readonly indexUid: string;
	readonly #labels: Map<string, string>;
	readonly #dropOnClose: boolean;

	constructor(opts: MeilisearchEngineOptions) {
		this.client = new Meilisearch({ host: opts.host, apiKey: opts.apiKey });
		this.indexUid = opts.indexUid ?? DEFAULT_INDEX_UID;
		this.#labels = loadLabels(opts.dbPath);
		this.#dropOnClose = opts.dropOnClose ?? false;
	}

	async search(query: DirectoryQuery): Promise<DirectoryResult> {
		const filter: string[] = [];
		if (query.profession) filter.push(eq('professionCode', query.profession));
		if (query.specialite) filter.push(eq('savoirFaireCodes', query.specialite));
		if (query.departement) filter.push(eq('department', query.departement));
		if (query.type) filter.push(eq('mailboxType', query.type));
		if (query.hasMailbox) filter.push('hasMailbox = true');
		let response;
		try {
			response = await this.client
				.index<MeiliDocument>(this.indexUid)
				.search(query.text?.trim() ?? '', {
					filter: filter.length > 0 ? filter.join(' AND ') : undefined,
					limit: Math.min(Math.max(Math.trunc(query.limit ?? DEFAULT_LIMIT), 0), MAX_LIMIT),
					offset: Math.max(Math.trunc(query.offset ?? 0), 0),
					facets: query.facets ? [...FACETS] : undefined,
					// Every typed word must match (several criteria in one box narrow the result).
					matchingStrategy: 'all'
				});
		} catch (cause) {
			throw new SearchError(
				ERROR_CODES.SEARCH_UNAVAILABLE,
				'Le moteur de recherche Meilisearch ne répond pas.',
				{ cause }
			);
		}
		const result: DirectoryResult = {
			total: response.estimatedTotalHits ?? response.hits.length,
			hits: response.hits.map(toEntry)
		};
		if (result.total >= MEILI_SETTINGS.pagination.maxTotalHits) {
			result.total = MEILI_SETTINGS.pagination.maxTotalHits;
			result.isTruncated = true;
		}
		if (query.facets) {
			const dist = response.facetDistribution ?? {};
			const list = (field: string, label: (code: string) => string): FacetValue[] =>
				Object.entries(dist[field] ?? {})
					.map(([value, count]) => ({ value, label: label(value), count }))
					.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
			result.facets = {
				profession: list('professionCode', (c) => this.#labels.get(`profession:${c}`) ?? c),
				specialite: list('savoirFaireCodes', (c) => this.#labels.get(`specialite:${c}`) ?? c),
				departement: list('department', departmentName),
				type: list('mailboxType', (c) => c)
			};
		}
		return result;
	}

	async close(): Promise<void> {
		if (this.#dropOnClose) await this.client.deleteIndexIfExists(this.indexUid);
	}
}

function toEntry(d: MeiliDocument): DirectoryEntry {
	return {
		mailbox: d.mailbox,
		mailboxType: d.mailboxType,
		idNational: d.idNational,
		lastName: d.lastName,
		firstName: d.firstName,
		professionCode: d.professionCode,
		professionLabel: d.professionLabel,
		savoirFaire: d.savoirFaire,
		organization: d.organization,
		service: d.service,
		address: d.address,
		postalCode: d.postalCode,
		city: d.city,
		department: d.department
	};
}
