/**
 * The directory index file written by `annuaire-import/` and read by the embedded engine (and by
 * the Meilisearch sync). One SQLite file, replaced atomically on each import.
 */

/** Bumped when the layout changes; the engine refuses files of another version. */
export const SCHEMA_VERSION = '2';

export const DIRECTORY_SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE entry (
	id INTEGER PRIMARY KEY,
	mailbox TEXT,
	mailbox_type TEXT,
	id_national TEXT,
	last_name TEXT,
	first_name TEXT,
	profession_code TEXT,
	profession_label TEXT,
	sf_codes TEXT NOT NULL,
	sf_json TEXT NOT NULL,
	organization TEXT,
	service TEXT,
	address TEXT,
	postal_code TEXT,
	city TEXT,
	department TEXT,
	fingerprint TEXT NOT NULL
);
CREATE TABLE label (kind TEXT NOT NULL, code TEXT NOT NULL, label TEXT NOT NULL, PRIMARY KEY (kind, code)) WITHOUT ROWID;
CREATE VIRTUAL TABLE entry_fts USING fts5(
	name, other, codes,
	content = '', detail = column, prefix = '3', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE vocab_del (k TEXT NOT NULL, term TEXT NOT NULL);
CREATE TABLE vocab_frequent (term TEXT PRIMARY KEY) WITHOUT ROWID;
`;

/** Created after the bulk load: building an index once is cheaper than maintaining it per row. */
export const DIRECTORY_INDEXES = `
CREATE UNIQUE INDEX entry_mailbox ON entry (mailbox) WHERE mailbox IS NOT NULL;
`;

/**
 * Row ids give the static order FTS5 returns matches in (rowid order, with early termination):
 * entries with a mailbox first, then practitioners without one from this base on.
 */
export const NO_MAILBOX_ID_BASE = 1_000_000_000;

/** Tokens of the `codes` column: filters and synonym expansions match these, never typed text. */
const clean = (code: string) => code.toLowerCase().replace(/[^a-z0-9]/g, '');
export const codeToken = {
	profession: (code: string) => `pf${clean(code)}`,
	specialty: (code: string) => `sf${clean(code)}`,
	department: (code: string) => `dp${clean(code)}`,
	type: (type: string) => `ty${clean(type)}`,
	hasMailbox: (has: boolean) => (has ? 'mbx1' : 'mbx0')
};
