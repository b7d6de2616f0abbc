/**
 * Message labels as IMAP keywords (RFC 3501 §2.3.2): a French display name ↔ an IMAP atom.
 * A few labels are predefined (with the atoms other clients use where there is a convention);
 * a user-defined label is stored as a readable atom: ASCII letters, digits and `-` are kept, every
 * other character is written `_XX` (its UTF-8 bytes in hex), so "À rappeler" ↔ `_C3_80_20rappeler`
 * and the mapping is reversible. Shared by the server and the pages (no server import).
 */

export interface KeywordInfo {
	atom: string;
	label: string;
	/** A colour name of the chip (CSS class), `neutral` for user-defined labels. */
	tone: 'red' | 'orange' | 'blue' | 'green' | 'neutral';
}

export const PREDEFINED_KEYWORDS: readonly KeywordInfo[] = [
	{ atom: '$Urgent', label: 'Urgent', tone: 'red' },
	{ atom: '$ARappeler', label: 'À rappeler', tone: 'orange' },
	{ atom: '$label1', label: 'Important', tone: 'blue' },
	{ atom: '$ATraiter', label: 'À traiter', tone: 'green' }
];

/** Dovecot's default `mail_max_keyword_length` is 50. */
export const MAX_KEYWORD_ATOM_LENGTH = 50;
export const MAX_KEYWORD_LABEL_LENGTH = 30;

/** Keywords set by servers and clients for their own use, never shown as labels. */
const HIDDEN = new Set(['junk', 'nonjunk', 'notjunk']);

const byAtom = new Map(PREDEFINED_KEYWORDS.map((k) => [k.atom.toLowerCase(), k]));
const byLabel = new Map(PREDEFINED_KEYWORDS.map((k) => [normaliseLabel(k.label), k]));

function normaliseLabel(label: string): string {
	return label.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('fr');
}

export type KeywordResult =
	{ ok: true; atom: string; label: string } | { ok: false; error: string };

/** The atom for a display name typed by the user, or a French reason why it cannot be one. */
export function keywordFromLabel(input: string): KeywordResult {
	const label = input.normalize('NFC').trim().replace(/\s+/g, ' ');
	if (!label) return { ok: false, error: 'Donnez un nom à l’étiquette.' };
	if ([...label].length > MAX_KEYWORD_LABEL_LENGTH)
		return {
			ok: false,
			error: `Le nom d’une étiquette ne peut dépasser ${MAX_KEYWORD_LABEL_LENGTH} caractères.`
		};
	// eslint-disable-next-line no-control-regex
	if (/[\u0000-\u001f\u007f]/.test(input.trim()))
		return { ok: false, error: 'Le nom de l’étiquette contient un caractère invalide.' };
	const predefined = byLabel.get(normaliseLabel(label));
	if (predefined) return { ok: true, atom: predefined.atom, label: predefined.label };
	let atom = '';
	for (const char of label) {
		if (/^[A-Za-z0-9-]$/.test(char)) atom += char;
		else
			for (const byte of new TextEncoder().encode(char))
				atom += `_${byte.toString(16).toUpperCase().padStart(2, '0')}`;
	}
	if (atom.length > MAX_KEYWORD_ATOM_LENGTH)
		return { ok: false, error: 'Ce nom d’étiquette est trop long une fois enregistré.' };
	return { ok: true, atom, label };
}

/** The display of an atom found on a message, or null for keywords that are not labels. */
export function keywordInfo(atom: string): KeywordInfo | null {
	if (!atom || atom.startsWith('\\')) return null;
	const predefined = byAtom.get(atom.toLowerCase());
	if (predefined) return predefined;
	// Other `$` keywords are protocol state ($Forwarded, $MDNSent, $Junk…), not labels.
	if (atom.startsWith('$') || HIDDEN.has(atom.toLowerCase())) return null;
	return { atom, label: decodeAtom(atom), tone: 'neutral' };
}

/** The labels of a message's flags, predefined ones first, then alphabetically. */
export function messageKeywords(flags: Iterable<string>): KeywordInfo[] {
	const found: KeywordInfo[] = [];
	for (const flag of flags) {
		const info = keywordInfo(flag);
		if (info && !found.some((k) => k.atom === info.atom)) found.push(info);
	}
	const rank = (k: KeywordInfo) => {
		const i = PREDEFINED_KEYWORDS.findIndex((p) => p.atom === k.atom);
		return i < 0 ? PREDEFINED_KEYWORDS.length : i;
	};
	return found.sort((a, b) => rank(a) - rank(b) || a.label.localeCompare(b.label, 'fr'));
}

function decodeAtom(atom: string): string {
	if (!atom.includes('_')) return atom;
	const bytes: number[] = [];
	for (let i = 0; i < atom.length; i++) {
		const char = atom[i]!;
		const hex = char === '_' ? atom.slice(i + 1, i + 3) : '';
		if (char === '_' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
			bytes.push(parseInt(hex, 16));
			i += 2;
		} else bytes.push(...new TextEncoder().encode(char));
	}
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes));
	} catch {
		return atom;
	}
}
