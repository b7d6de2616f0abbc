/**
 * Feeds Meilisearch from the index file the importer wrote, so both engines serve the same
 * snapshot. Documents go to a fresh `<uid>_next` index which is then swapped with the live one
 * (one atomic task): searches keep answering from the previous documents until the swap.
 * The only code importing `meilisearch`, with meilisearch-engine.ts.
 */
import { DatabaseSync } from 'node:sqlite';
import { Meilisearch } from 'meilisearch';
import { SearchError, ERROR_CODES } from '../src/lib/server/errors.ts';
import { departmentName } from './departments.ts';
import { indexTokens } from './fold.ts';
import { rowToEntry, type EntryRow } from './embedded-rank.ts';
import { meilisearchSynonyms } from './synonyms.ts';
import type { DirectoryEntry } from './types.ts';

export const DEFAULT_INDEX_UID = 'annuaire';
const BATCH = 10_000;

export interface MeiliDocument extends DirectoryEntry {
	id: number;
	savoirFaireCodes: string[];
	savoirFaireLabels: string[];
	departmentName: string | null;
	hasMailbox: boolean;
	/** Folded joined names ("N'GUYEN" → "nguyen"): Meilisearch splits on apostrophes otherwise. */
	nameKey: string;
}

/** Index settings: the searchable attributes in ranking order, filters, typos, synonyms. */
export const MEILI_SETTINGS = {
	searchableAttributes: [
		'lastName',
		'firstName',
		'nameKey',
		'organization',
		'service',
		'professionLabel',
		'savoirFaireLabels',
		'city',
		'departmentName',
		'department',
		'postalCode',
		'mailbox'
	],
	filterableAttributes: [
		'professionCode',
		'savoirFaireCodes',
		'department',
		'mailboxType',
		'hasMailbox'
	],
	sortableAttributes: ['lastName'],
	typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 } },
	synonyms: meilisearchSynonyms(),
	pagination: { maxTotalHits: 10_000 },
	faceting: { maxValuesPerFacet: 200 }
};

export function toDocument(id: number, e: DirectoryEntry): MeiliDocument {
	return {
		id,
		...e,
		savoirFaireCodes: e.savoirFaire.map((s) => s.code),
		savoirFaireLabels: e.savoirFaire.map((s) => s.label),
		departmentName: e.department ? departmentName(e.department) : null,
		hasMailbox: e.mailbox !== null,
		nameKey: [...indexTokens(e.lastName), ...indexTokens(e.firstName)].join(' ')
	};
}

export interface SyncOptions {
	dbPath: string;
	indexUid?: string;
	/** A client, or the server to make one for (callers outside search/ never import meilisearch). */
	client?: Meilisearch;
	host?: string;
	apiKey?: string;
}

export async function syncMeilisearch(opts: SyncOptions): Promise<{ documents: number }> {
	const uid = opts.indexUid ?? DEFAULT_INDEX_UID;
	const next = `${uid}_next`;
	const client = opts.client ?? new Meilisearch({ host: opts.host ?? '', apiKey: opts.apiKey });
	const db = new DatabaseSync(opts.dbPath, { readOnly: true });
	try {
		await client.deleteIndexIfExists(next);
		await client.createIndex(next, { primaryKey: 'id' }).waitTask();
		await client.index(next).updateSettings(MEILI_SETTINGS).waitTask();
		let batch: MeiliDocument[] = [];
		let documents = 0;
		const flush = async () => {
			if (batch.length === 0) return;
			const task = await client.index(next).addDocuments(batch).waitTask({ timeout: 600_000 });
			if (task.status !== 'succeeded') throw new Error(`indexation Meilisearch ${task.status}`);
			documents += batch.length;
			batch = [];
		};
		for (const row of db
			.prepare('SELECT * FROM entry ORDER BY id')
			.iterate() as unknown as Iterable<EntryRow>) {
			batch.push(toDocument(row.id, rowToEntry(row)));
			if (batch.length >= BATCH) await flush();
		}
		await flush();
		if (
			!(await client
				.index(uid)
				.getRawInfo()
				.then(
					() => true,
					() => false
				))
		) {
			await client.createIndex(uid, { primaryKey: 'id' }).waitTask();
		}
		await client.swapIndexes([{ indexes: [uid, next], rename: false }]).waitTask();
		await client.deleteIndexIfExists(next);
		return { documents };
	} catch (cause) {
		throw new SearchError(
			ERROR_CODES.SEARCH_UNAVAILABLE,
			`Synchronisation Meilisearch impossible : ${(cause as Error).message}`,
			{ cause }
		);
	} finally {
		db.close();
	}
}
