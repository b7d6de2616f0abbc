/**
 * Which attachments the reader offers to preview inline: what the sender *claims* (declared type
 * or file name). The server decides for real from the file's first bytes (`server/mail/preview.ts`).
 */
export type PreviewKind = 'pdf' | 'png' | 'jpeg' | 'gif' | 'webp';

/** What the sender claims, from the declared type or the file name's extension. */
export function declaredPreviewKind(contentType: string, filename: string): PreviewKind | null {
	const type = contentType.toLowerCase().split(';')[0]!.trim();
	const ext = /\.([a-z0-9]{1,5})$/i.exec(filename)?.[1]?.toLowerCase();
	if (type === 'application/pdf' || ext === 'pdf') return 'pdf';
	if (type === 'image/png' || ext === 'png') return 'png';
	if (type === 'image/jpeg' || type === 'image/jpg' || ext === 'jpg' || ext === 'jpeg')
		return 'jpeg';
	if (type === 'image/gif' || ext === 'gif') return 'gif';
	if (type === 'image/webp' || ext === 'webp') return 'webp';
	return null;
}
