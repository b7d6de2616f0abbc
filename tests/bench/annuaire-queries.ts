/**
 * Query sets for the directory benchmark, built from generated targets: what users type to
 * find a correspondent (names, typos, prefixes while typing, profession abbreviations, cities),
 * 1 to 3 words, some with facets or a department filter.
 */
import { foldText } from '../../search/fold.ts';
import type { DirectoryQuery } from '../../search/types.ts';
import type { GeneratedTarget } from './annuaire-generate.ts';

const ABBREVIATIONS: Record<string, string> = {
	'Masseur-Kinésithérapeute': 'kiné',
	Orthophoniste: 'ortho',
	Infirmier: 'IDE',
	'Sage-Femme': 'sage-femme',
	Psychologue: 'psy',
	Médecin: 'médecin',
	Pharmacien: 'pharmacien',
	'Chirurgien-Dentiste': 'dentiste'
};

/** One deterministic typo: swap two middle letters (words of 5+ letters), else unchanged. */
export function withTypo(word: string): string {
	const w = foldText(word).replace(/ /g, '');
	if (w.length < 5) return w;
	const i = Math.floor(w.length / 2);
	return w.slice(0, i - 1) + w[i] + w[i - 1] + w.slice(i + 1);
}

const firstWord = (s: string) => foldText(s).split(' ')[0] ?? '';

export function latencyQueries(targets: GeneratedTarget[]): DirectoryQuery[] {
	const out: DirectoryQuery[] = [];
	targets.forEach((t, i) => {
		const last = firstWord(t.lastName);
		const abbr = ABBREVIATIONS[t.professionLabel] ?? firstWord(t.professionLabel);
		const city = firstWord(t.city);
		const facets = i % 2 === 0;
		out.push({ text: last, facets });
		out.push({ text: withTypo(last), facets: !facets });
		out.push({ text: last.slice(0, 4), facets });
		out.push({ text: `${last} ${city}`, facets });
		out.push({ text: `${withTypo(last)} ${firstWord(t.firstName)}`, facets: !facets });
		out.push({ text: `${abbr} ${last} ${city}`, facets });
		out.push({ text: `${abbr} ${city}`, facets: true });
		if (i % 4 === 0)
			out.push({
				text: last,
				departement: undefined,
				facets: true,
				profession: undefined,
				type: 'PER'
			});
	});
	return out;
}

export interface RelevanceCase {
	query: DirectoryQuery;
	expected: GeneratedTarget;
}

export function relevanceCases(targets: GeneratedTarget[]): RelevanceCase[] {
	return targets.flatMap((t) => {
		const last = foldText(t.lastName);
		const abbr = ABBREVIATIONS[t.professionLabel] ?? firstWord(t.professionLabel);
		// Each query names the person well enough to tell them apart (name, first name, and a
		// place or a profession), as a user looking for a given correspondent would type it.
		return [
			{ query: { text: `${t.lastName} ${t.firstName} ${t.city}` }, expected: t },
			{ query: { text: `${withTypo(last)} ${t.firstName} ${t.city}` }, expected: t },
			{ query: { text: `${abbr} ${last} ${t.firstName}` }, expected: t }
		];
	});
}
