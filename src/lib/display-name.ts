/**
 * The sender's display name (ECO.2.2.7): `Titre_Prénom_NOM_Entité` for a personal mailbox (PER),
 * with `_` as separator and the name in upper case, only first name and name being required; the
 * functional entity alone for an organisational or applicative mailbox (ORG/APP).
 */

export interface SenderProfile {
	/** Civilité d'exercice or title: "Dr", "Pr", "M.", "Mme"… */
	title: string;
	firstName: string;
	lastName: string;
	profession: string;
	/** The functional entity: practice, service, structure. */
	structure: string;
}

export type MailboxKindName = 'PER' | 'ORG' | 'APP';

export const MAX_DISPLAY_NAME = 120;

export function emptyProfile(): SenderProfile {
	return { title: '', firstName: '', lastName: '', profession: '', structure: '' };
}

/** One field: no control characters, no `_` (the separator), no `<>"` that would confuse readers. */
export function cleanField(value: string): string {
	return (
		value
			// eslint-disable-next-line no-control-regex
			.replace(/[\u0000-\u001f\u007f<>"_]+/g, ' ')
			.replace(/\s+/g, ' ')
			.trim()
			.slice(0, 60)
	);
}

/** The display name, or null when the profile lacks what ECO.2.2.7 requires for this kind. */
export function buildDisplayName(profile: SenderProfile, kind: MailboxKindName): string | null {
	const title = cleanField(profile.title);
	const first = cleanField(profile.firstName);
	const last = cleanField(profile.lastName).toLocaleUpperCase('fr-FR');
	// The entity is the structure; a practitioner without one is identified by the profession.
	const entity = cleanField(profile.structure) || cleanField(profile.profession);
	if (kind !== 'PER') return entity ? entity.slice(0, MAX_DISPLAY_NAME) : null;
	if (!first || !last) return null;
	return [title, first, last, entity].filter(Boolean).join('_').slice(0, MAX_DISPLAY_NAME);
}

/** What is missing for a valid display name, in French, or null. */
export function profileProblem(profile: SenderProfile, kind: MailboxKindName): string | null {
	if (kind !== 'PER') {
		return cleanField(profile.structure) ? null : 'Indiquez le nom de la structure (entité).';
	}
	if (!cleanField(profile.firstName)) return 'Indiquez votre prénom.';
	if (!cleanField(profile.lastName)) return 'Indiquez votre nom.';
	return null;
}
