/**
 * The same contract against a real Meilisearch server, whenever MEILI_URL is set (none can be
 * installed on the development machines: see search/README.md for what was verified where).
 */
import { describe, it } from 'vitest';
import { runDirectoryContract } from './contract.ts';
import { MeilisearchEngine } from './meilisearch-engine.ts';
import { syncMeilisearch } from './meilisearch-sync.ts';

const url = process.env.MEILI_URL;

if (url) {
	runDirectoryContract('meilisearch', async (dbPath) => {
		const engine = new MeilisearchEngine({
			host: url,
			apiKey: process.env.MEILI_KEY,
			indexUid: `annuaire_contract_${process.pid}_${Date.now()}`,
			dbPath,
			dropOnClose: true
		});
		await syncMeilisearch({ client: engine.client, dbPath, indexUid: engine.indexUid });
		return engine;
	});
} else {
	describe.skip('directory contract: meilisearch — skipped: MEILI_URL is not set (no Meilisearch server here)', () => {
		it('runs when MEILI_URL (and MEILI_KEY) point to a Meilisearch server', () => {});
	});
}
