/** URLs of the mail pages, built in one place. Folder paths may contain '/', hence the encoding. */

export function folderHref(mailboxId: string, folder: string, page = 0): string {
	const base = `/bal/${encodeURIComponent(mailboxId)}/${encodeURIComponent(folder)}`;
	return page > 0 ? `${base}?page=${page + 1}` : base;
}

export function messageHref(mailboxId: string, folder: string, uid: number, search = ''): string {
	return `${folderHref(mailboxId, folder)}/${uid}${search}`;
}

/** The composer, empty or answering / forwarding a message. */
export function composeHref(
	mailboxId: string,
	source?: {
		mode: 'repondre' | 'repondre-a-tous' | 'transferer' | 'transferer-pj';
		folder: string;
		uid: number;
	}
): string {
	const base = `/bal/${encodeURIComponent(mailboxId)}/ecrire`;
	if (!source) return base;
	const ref = `${encodeURIComponent(source.folder)}:${source.uid}`;
	return `${base}?mode=${source.mode}&message=${encodeURIComponent(ref)}`;
}

export function messageBodyHref(
	mailboxId: string,
	folder: string,
	uid: number,
	allowRemote = false
): string {
	return `${messageHref(mailboxId, folder, uid)}/contenu${allowRemote ? '?images=1' : ''}`;
}

export function attachmentHref(
	mailboxId: string,
	folder: string,
	uid: number,
	partId: string,
	inline = false
): string {
	return `${messageHref(mailboxId, folder, uid)}/pj/${encodeURIComponent(partId)}${inline ? '?apercu=1' : ''}`;
}

/** The composer reopening a draft of the Drafts folder. */
export function draftHref(mailboxId: string, uid: number): string {
	return `/bal/${encodeURIComponent(mailboxId)}/ecrire?brouillon=${uid}`;
}
