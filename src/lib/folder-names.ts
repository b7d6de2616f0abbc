/**
 * Folder names typed by the user: checked the same way by the page (before posting) and by the
 * server (always). IMAP folder names are Unicode (imapflow encodes them in modified UTF-7); the
 * hierarchy delimiter, wildcards and control characters are refused with a French reason.
 */

export const MAX_FOLDER_NAME_LENGTH = 80;

/** Folders whose role makes them fixed: they cannot be renamed, moved or deleted. */
export const PROTECTED_ROLES = ['inbox', 'drafts', 'sent', 'trash', 'junk', 'archive', 'flagged'];

export type FolderNameResult = { ok: true; name: string } | { ok: false; error: string };

export function validateFolderName(input: string, delimiter: string): FolderNameResult {
	const name = input.normalize('NFC').trim().replace(/\s+/g, ' ');
	if (!name) return { ok: false, error: 'Donnez un nom au dossier.' };
	if ([...name].length > MAX_FOLDER_NAME_LENGTH)
		return {
			ok: false,
			error: `Le nom d’un dossier ne peut dépasser ${MAX_FOLDER_NAME_LENGTH} caractères.`
		};
	if (delimiter && name.includes(delimiter))
		return {
			ok: false,
			error: `Le nom d’un dossier ne peut pas contenir « ${delimiter} » : choisissez plutôt un dossier parent.`
		};
	// eslint-disable-next-line no-control-regex
	if (/[\u0000-\u001f\u007f*%]/.test(input.trim()))
		return {
			ok: false,
			error: 'Le nom du dossier contient un caractère interdit (*, % ou caractère de contrôle).'
		};
	if (name.startsWith('.') || name === '~')
		return { ok: false, error: 'Le nom d’un dossier ne peut pas commencer par un point.' };
	if (name.toUpperCase() === 'INBOX')
		return { ok: false, error: 'Ce nom est réservé à la boîte de réception.' };
	return { ok: true, name };
}

/** The full path of `name` under `parent` (null: top level). */
export function childPath(parent: string | null, name: string, delimiter: string): string {
	return parent ? `${parent}${delimiter}${name}` : name;
}

/** True when `path` is `ancestor` itself or one of its sub-folders. */
export function isSelfOrDescendant(path: string, ancestor: string, delimiter: string): boolean {
	return path === ancestor || path.startsWith(ancestor + delimiter);
}
