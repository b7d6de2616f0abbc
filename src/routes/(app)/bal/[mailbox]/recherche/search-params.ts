/**
 * The search form's GET parameters (`?q=&de=&a=&objet=&depuis=&avant=&nonlus=1&pj=1&dossier=&corps=1`)
 * → the form's values, a validated query, and French error messages. Framework-free and pure.
 */

/** `dossier` value meaning "every folder". */
export const ALL_FOLDERS = '*';

export interface SearchFormValues {
	q: string;
	de: string;
	a: string;
	objet: string;
	depuis: string;
	avant: string;
	nonlus: boolean;
	pj: boolean;
	corps: boolean;
	dossier: string;
}

export interface ParsedSearchQuery {
	text?: string;
	from?: string;
	to?: string;
	subject?: string;
	since?: Date;
	before?: Date;
	isUnread?: boolean;
	hasAttachment?: boolean;
}

export interface ParsedSearch {
	values: SearchFormValues;
	query: ParsedSearchQuery;
	folder: string;
	bodySearch: boolean;
	errors: string[];
	/** At least one criterion was given (an empty form is not a search). */
	isSearch: boolean;
}

const MAX_TEXT = 200;

/** `AAAA-MM-JJ` (what `<input type="date">` sends) or `JJ/MM/AAAA` (typed by hand) → UTC day. */
export function parseDay(value: string): Date | null {
	const iso = value.match(/^(\d{4})-(\d{2})-(\d{2})$/);
	const fr = value.match(/^(\d{1,2})\/(\d{1,2})\/(\d{4})$/);
	const parts = iso
		? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
		: fr
			? [Number(fr[3]), Number(fr[2]), Number(fr[1])]
			: null;
	if (!parts) return null;
	const [year = 0, month = 0, day = 0] = parts;
	if (year < 1970 || year > 9999) return null;
	const date = new Date(Date.UTC(year, month - 1, day));
	if (
		date.getUTCFullYear() !== year ||
		date.getUTCMonth() !== month - 1 ||
		date.getUTCDate() !== day
	)
		return null;
	return date;
}

function text(params: URLSearchParams, name: string): string {
	return (params.get(name) ?? '').trim().slice(0, MAX_TEXT);
}

export function parseSearchParams(params: URLSearchParams, defaultFolder = 'INBOX'): ParsedSearch {
	const values: SearchFormValues = {
		q: text(params, 'q'),
		de: text(params, 'de'),
		a: text(params, 'a'),
		objet: text(params, 'objet'),
		depuis: text(params, 'depuis'),
		avant: text(params, 'avant'),
		nonlus: params.get('nonlus') === '1',
		pj: params.get('pj') === '1',
		corps: params.get('corps') === '1',
		dossier: (params.get('dossier') ?? '').trim() || defaultFolder
	};
	const errors: string[] = [];
	const query: ParsedSearchQuery = {};
	if (values.q) query.text = values.q;
	if (values.de) query.from = values.de;
	if (values.a) query.to = values.a;
	if (values.objet) query.subject = values.objet;
	if (values.depuis) {
		const since = parseDay(values.depuis);
		if (since) query.since = since;
		else errors.push('La date « Reçu depuis le » n’est pas valide (format attendu : JJ/MM/AAAA).');
	}
	if (values.avant) {
		const before = parseDay(values.avant);
		if (before) query.before = before;
		else errors.push('La date « Reçu avant le » n’est pas valide (format attendu : JJ/MM/AAAA).');
	}
	if (query.since && query.before && query.since >= query.before)
		errors.push('La date « Reçu depuis le » doit précéder la date « Reçu avant le ».');
	if (values.nonlus) query.isUnread = true;
	if (values.pj) query.hasAttachment = true;
	const isSearch = Object.keys(query).length > 0 || errors.length > 0;
	return {
		values,
		query,
		folder: values.dossier,
		bodySearch: values.corps && Boolean(query.text),
		errors,
		isSearch
	};
}
