/**
 * The directory search contract shared by both engines (embedded SQLite FTS5 and Meilisearch),
 * the importer CLI and the webmail. Engines return these types, never library objects.
 */

/** TRE_R257-TypeBAL: personal, organisational, applicative, cabinet mailbox. */
export const MAILBOX_TYPES = ['PER', 'ORG', 'APP', 'CAB'] as const;
export type MailboxType = (typeof MAILBOX_TYPES)[number];

export interface SavoirFaire {
	code: string;
	label: string;
}

/**
 * One directory entry: one per MSSanté mailbox, plus one per practitioner who has no published
 * mailbox (`mailbox` and `mailboxType` null) so users learn the person exists without an address.
 */
export interface DirectoryEntry {
	mailbox: string | null;
	mailboxType: MailboxType | null;
	/** Identification nationale PP (idnps); null for structure mailboxes. */
	idNational: string | null;
	lastName: string | null;
	firstName: string | null;
	professionCode: string | null;
	professionLabel: string | null;
	savoirFaire: SavoirFaire[];
	organization: string | null;
	service: string | null;
	/** Street line (number, type and name of the way), for result cards. */
	address: string | null;
	postalCode: string | null;
	city: string | null;
	/** Department code: `01`…`95`, `2A`, `2B`, `971`…`976`. */
	department: string | null;
}

export interface DirectoryQuery {
	/** Free text typed in one box: names, profession, specialty, city, department, in any order. */
	text?: string;
	/** TRE_G15 / R95 / R94 profession code. */
	profession?: string;
	/** Savoir-faire code (J107), e.g. `SM54`. */
	specialite?: string;
	departement?: string;
	type?: MailboxType;
	/** Only entries that have a published mailbox (the composer's autocompletion). */
	hasMailbox?: boolean;
	/** 20 by default, 100 at most. */
	limit?: number;
	offset?: number;
	/** Compute facet counts (profession, specialty, department, mailbox type). */
	facets?: boolean;
}

export interface FacetValue {
	value: string;
	label: string;
	count: number;
}

export interface DirectoryFacets {
	profession: FacetValue[];
	specialite: FacetValue[];
	departement: FacetValue[];
	type: FacetValue[];
}

export interface DirectoryResult {
	total: number;
	hits: DirectoryEntry[];
	facets?: DirectoryFacets;
	/**
	 * More than 10 000 entries match: `total` is then 10 000 (show « plus de 10 000 ») and facets
	 * count those first matches. Refine the query or filter to get exact figures.
	 */
	isTruncated?: boolean;
}

export interface DirectoryEngine {
	readonly name: 'embedded' | 'meilisearch';
	search(query: DirectoryQuery): Promise<DirectoryResult>;
	close(): Promise<void>;
}

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;
