import { EmbeddedEngine } from './embedded-engine.ts';
import { runDirectoryContract } from './contract.ts';

runDirectoryContract('embedded (SQLite FTS5)', (dbPath) =>
	Promise.resolve(new EmbeddedEngine(dbPath))
);
