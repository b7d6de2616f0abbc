/**
 * The Annuaire Santé for the webmail: one process-wide search engine over the index the importer
 * writes in the app's data folder, opened on first use. A missing index is a normal state (the
 * directory has not been imported yet), reported as such rather than as an error.
 */
import { existsSync } from 'node:fs';
import { defaultDirectoryDbPath, openDirectory } from '../../../search/index.ts';
import {
	DEFAULT_LIMIT,
	MAILBOX_TYPES,
	MAX_LIMIT,
	type DirectoryEngine,
	type DirectoryQuery,
	type DirectoryResult,
	type MailboxType
} from '../../../search/types.ts';
import { ERROR_CODES, isAppError } from './errors.ts';
import { getRuntime } from './runtime.ts';

export type {
	DirectoryEntry,
	DirectoryFacets,
	DirectoryQuery,
	DirectoryResult,
	FacetValue,
	MailboxType
} from '../../../search/types.ts';

export type DirectoryOutcome =
	| { state: 'ok'; result: DirectoryResult }
	/** No index in the data folder: « annuaire non importé ». */
	| { state: 'missing' }
	/** An index exists but cannot be read (unexpected format): « réimportez-le ». */
	| { state: 'unavailable' };

/** The directory over one data folder; the engine is opened lazily and kept. */
export class WebmailDirectory {
	readonly dbPath: string;
	readonly #dataDir: string;
	#engine: DirectoryEngine | undefined;

	constructor(dataDir: string) {
		this.#dataDir = dataDir;
		this.dbPath = defaultDirectoryDbPath(dataDir);
	}

	async search(query: DirectoryQuery): Promise<DirectoryOutcome> {
		if (!existsSync(this.dbPath)) return { state: 'missing' };
		this.#engine ??= openDirectory({ dataDir: this.#dataDir });
		try {
			return { state: 'ok', result: await this.#engine.search(query) };
		} catch (err) {
			if (isAppError(err) && err.code === ERROR_CODES.SEARCH_UNAVAILABLE) {
				return existsSync(this.dbPath) ? { state: 'unavailable' } : { state: 'missing' };
			}
			throw err;
		}
	}

	async close(): Promise<void> {
		const engine = this.#engine;
		this.#engine = undefined;
		await engine?.close();
	}
}

let shared: WebmailDirectory | undefined;

/** The process-wide directory, over `getRuntime().config.dataDir`. */
export function getDirectory(): WebmailDirectory {
	shared ??= new WebmailDirectory(getRuntime().config.dataDir);
	return shared;
}

export async function closeDirectory(): Promise<void> {
	const directory = shared;
	shared = undefined;
	await directory?.close();
}

const MAX_TEXT = 200;
const CODE = /^[A-Za-z0-9]{1,12}$/;

function param(params: URLSearchParams, name: string): string | undefined {
	const value = params.get(name)?.trim();
	return value ? value : undefined;
}

/** The directory page's filters, from its GET form: unknown or malformed values are dropped. */
export interface DirectoryFilters {
	q: string;
	profession: string;
	specialite: string;
	departement: string;
	type: MailboxType | '';
}

export function readDirectoryFilters(params: URLSearchParams): DirectoryFilters {
	const code = (name: string) => {
		const value = param(params, name);
		return value && CODE.test(value) ? value : '';
	};
	const type = param(params, 'type')?.toUpperCase();
	return {
		q: (param(params, 'q') ?? '').slice(0, MAX_TEXT),
		profession: code('profession'),
		specialite: code('specialite'),
		departement: code('departement').toUpperCase(),
		type: MAILBOX_TYPES.find((t) => t === type) ?? ''
	};
}

/** Filters → engine query (empty values are left out). */
export function toDirectoryQuery(
	filters: DirectoryFilters,
	extra: Pick<DirectoryQuery, 'limit' | 'offset' | 'facets' | 'hasMailbox'> = {}
): DirectoryQuery {
	const query: DirectoryQuery = { ...extra };
	if (filters.q) query.text = filters.q;
	if (filters.profession) query.profession = filters.profession;
	if (filters.specialite) query.specialite = filters.specialite;
	if (filters.departement) query.departement = filters.departement;
	if (filters.type) query.type = filters.type;
	return query;
}

/** A `limit` parameter clamped to 1…MAX_LIMIT, `fallback` when absent or not a number. */
export function readLimit(value: string | null, fallback = DEFAULT_LIMIT): number {
	const n = Number(value);
	if (value === null || value === '' || !Number.isFinite(n)) return fallback;
	return Math.min(MAX_LIMIT, Math.max(1, Math.trunc(n)));
}
