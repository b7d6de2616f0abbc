/** An attachment of the current draft, already on the server (kept by index). */
export interface KeptAttachment {
	index: number;
	filename: string;
	contentType: string;
	size: number;
}

/** What the browser keeps in sessionStorage to restore the composer after a crash or reload. */
export interface StoredComposer {
	draft: string;
	parent: string;
	forward: string;
	fields: Record<string, string>;
	at: number;
}

export const AUTOSAVE_INTERVAL_MS = 5_000;

export function storageKey(mailboxId: string): string {
	return `confrere:ecrire:${mailboxId}`;
}

export function savedAtLabel(at: number): string {
	return `Enregistré à ${new Date(at).toLocaleTimeString('fr-FR', {
		hour: '2-digit',
		minute: '2-digit',
		timeZone: 'Europe/Paris'
	})}`;
}
