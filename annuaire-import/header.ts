/**
 * Column mapping by normalised header name, never by position: the ANS has renamed and appended
 * columns over the years (52 → 56 columns in Personne_activite, "coord. Structure" casing…), see
 * research note §2.2. Unknown extra columns are ignored; a missing required column refuses the
 * file with a message naming it.
 */
import { ImportError, ERROR_CODES } from '../src/lib/server/errors.ts';

/** "Code postal (coord. structure)" → "codepostalcoordstructure". */
export function normaliseHeaderName(name: string): string {
	return name
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]/g, '');
}

export interface ColumnSpec {
	/** Header as the ANS writes it (used in messages). */
	header: string;
	/** Other known spellings across extract versions. */
	aliases?: readonly string[];
	required?: boolean;
}

export type FileSpec<K extends string> = Readonly<Record<K, ColumnSpec>>;

export interface HeaderMap<K extends string> {
	/** Field index of each known column, -1 when absent. */
	index: Record<K, number>;
	/** Number of named columns in the header. */
	width: number;
}

/** Splits one line on `|`; a trailing `|` (the ANS writes one on every line) adds no field. */
export function splitFields(line: string): string[] {
	const fields = line.split('|');
	if (fields.length > 1 && fields[fields.length - 1] === '') fields.pop();
	return fields;
}

export function mapHeader<K extends string>(
	spec: FileSpec<K>,
	headerLine: string,
	file: string
): HeaderMap<K> {
	const names = splitFields(headerLine).map(normaliseHeaderName);
	const position = new Map<string, number>();
	names.forEach((n, i) => {
		if (n !== '' && !position.has(n)) position.set(n, i);
	});
	const index = {} as Record<K, number>;
	const missing: string[] = [];
	for (const key of Object.keys(spec) as K[]) {
		const col = spec[key];
		const candidates = [col.header, ...(col.aliases ?? [])].map(normaliseHeaderName);
		const found = candidates.map((c) => position.get(c)).find((i) => i !== undefined);
		index[key] = found ?? -1;
		if (found === undefined && col.required) missing.push(`« ${col.header} »`);
	}
	if (missing.length > 0) {
		throw new ImportError(
			ERROR_CODES.IMPORT_MISSING_COLUMN,
			`${file}:1: colonne${missing.length > 1 ? 's' : ''} obligatoire${missing.length > 1 ? 's' : ''} absente${missing.length > 1 ? 's' : ''} de l’en-tête : ${missing.join(', ')} (mauvais fichier ou format modifié).`,
			{ file, line: 1, details: { missing: missing.length } }
		);
	}
	return { index, width: names.length };
}

/** Field of a mapped column, trimmed; empty string when the column is absent. */
export function field<K extends string>(
	fields: readonly string[],
	map: HeaderMap<K>,
	key: K
): string {
	const i = map.index[key];
	return i < 0 ? '' : (fields[i] ?? '').trim();
}
