/**
 * Synonyms and abbreviations of professions and specialties, in ONE table used by both engines:
 * the embedded engine expands a typed key into profession/savoir-faire codes, Meilisearch gets the
 * same table as its `synonyms` setting. Codes: TRE_G15 / TRE_R95 professions, J107 savoir-faire.
 */
import { queryTokens } from './fold.ts';

export interface SynonymEntry {
	/** What users type, folded (no accents, lower case). */
	keys: readonly string[];
	/** The official wording the keys stand for (Meilisearch synonyms). */
	words: readonly string[];
	professions?: readonly string[];
	specialties?: readonly string[];
}

export const SYNONYMS: readonly SynonymEntry[] = [
	{
		keys: ['kine', 'kines', 'kinesi', 'mk', 'masseur'],
		words: ['kinesitherapeute'],
		professions: ['70']
	},
	{
		keys: ['ortho'],
		words: ['orthophoniste', 'orthoptiste'],
		professions: ['91', '92'],
		specialties: ['SCD01']
	},
	{ keys: ['orthophonie', 'logopede'], words: ['orthophoniste'], professions: ['91'] },
	{ keys: ['orthoptie'], words: ['orthoptiste'], professions: ['92'] },
	{
		keys: ['generaliste', 'mg', 'medecin traitant', 'omnipraticien'],
		words: ['medecine generale'],
		specialties: ['SM26', 'SM53', 'SM54']
	},
	{
		keys: ['psy'],
		words: ['psychologue', 'psychiatre', 'psychotherapeute'],
		professions: ['93', '72'],
		specialties: ['SM42', 'SM43', 'SM92', 'SM93']
	},
	{
		keys: ['psychiatre', 'pedopsy', 'pedopsychiatre'],
		words: ['psychiatrie'],
		specialties: ['SM42', 'SM43', 'SM92', 'SM93']
	},
	{ keys: ['sf', 'sagefemme', 'maieuticien'], words: ['sage femme'], professions: ['50'] },
	{ keys: ['ide', 'infirmiere', 'inf'], words: ['infirmier'], professions: ['60', '69'] },
	{ keys: ['dentiste', 'chirdent'], words: ['chirurgien dentiste'], professions: ['40'] },
	{ keys: ['pharma'], words: ['pharmacien'], professions: ['21'] },
	{ keys: ['podologue', 'pedicure'], words: ['pedicure podologue'], professions: ['80'] },
	{ keys: ['osteo'], words: ['osteopathe'], professions: ['71'] },
	{ keys: ['ergo'], words: ['ergotherapeute'], professions: ['94'] },
	{ keys: ['dieteticienne', 'nutritionniste'], words: ['dieteticien'], professions: ['95'] },
	{ keys: ['psychomot'], words: ['psychomotricien'], professions: ['96'] },
	{ keys: ['manip', 'merm'], words: ['manipulateur erm'], professions: ['98'] },
	{
		keys: ['gyneco', 'gyn'],
		words: ['gynecologie'],
		specialties: ['SM19', 'SM20', 'SM51', 'SM52', 'CEX22', 'CEX24']
	},
	{
		keys: ['cardio', 'cardiologue'],
		words: ['cardiologie'],
		specialties: ['SM04', 'SM73', 'SM79', 'SM80', 'SM81']
	},
	{
		keys: ['ophtalmo', 'ophtalmologue', 'ophtalmologiste', 'ophta'],
		words: ['ophtalmologie'],
		specialties: ['SM38', 'SM85']
	},
	{ keys: ['orl'], words: ['oto rhino laryngologie'], specialties: ['SM39'] },
	{
		keys: ['pediatre', 'pedia'],
		words: ['pediatrie'],
		specialties: ['SM40', 'SM87', 'SM88', 'SM89', 'SM90']
	},
	{ keys: ['dermato', 'dermatologue'], words: ['dermatologie'], specialties: ['SM15'] },
	{
		keys: ['radiologue', 'radio'],
		words: ['radiologie'],
		specialties: ['SM44', 'SM55', 'SM74', 'SM94']
	},
	{
		keys: ['anesthesiste', 'mar'],
		words: ['anesthesie reanimation'],
		specialties: ['SM02', 'SM76']
	},
	{
		keys: ['gastro', 'gastroenterologue', 'hepato'],
		words: ['gastro enterologie'],
		specialties: ['SM24']
	},
	{ keys: ['rhumato', 'rhumatologue'], words: ['rhumatologie'], specialties: ['SM48'] },
	{ keys: ['neuro', 'neurologue'], words: ['neurologie'], specialties: ['SM32', 'SM84'] },
	{ keys: ['pneumo', 'pneumologue'], words: ['pneumologie'], specialties: ['SM41', 'SM91'] },
	{
		keys: ['endoc', 'endocrino', 'endocrinologue', 'diabeto', 'diabetologue'],
		words: ['endocrinologie'],
		specialties: ['SM16', 'SM62']
	},
	{ keys: ['uro', 'urologue'], words: ['urologie'], specialties: ['SM12', 'CEX64'] },
	{ keys: ['nephro', 'nephrologue'], words: ['nephrologie'], specialties: ['SM30', 'SM83'] }
];

export interface Expansion {
	professions: string[];
	specialties: string[];
}

/** Folded key → codes it stands for; multi-word keys are stored with their words joined. */
const EXPANSIONS: ReadonlyMap<string, Expansion> = (() => {
	const map = new Map<string, Expansion>();
	for (const entry of SYNONYMS) {
		for (const key of entry.keys) {
			const folded = queryTokens(key).join('');
			const current = map.get(folded) ?? { professions: [], specialties: [] };
			current.professions.push(...(entry.professions ?? []));
			current.specialties.push(...(entry.specialties ?? []));
			map.set(folded, current);
		}
	}
	return map;
})();

/** Codes a typed (folded) word stands for, or undefined when it is no known abbreviation. */
export function expandSynonym(foldedWord: string): Expansion | undefined {
	return EXPANSIONS.get(foldedWord);
}

/** The table as Meilisearch `synonyms` (each key → the official words, one-way). */
export function meilisearchSynonyms(): Record<string, string[]> {
	const out: Record<string, string[]> = {};
	for (const entry of SYNONYMS) {
		for (const key of entry.keys) out[key] = [...new Set([...(out[key] ?? []), ...entry.words])];
	}
	return out;
}
