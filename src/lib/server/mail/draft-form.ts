/**
 * Reading the composer's form into an `OutgoingMessage`, with French errors per field. The values
 * the user typed are returned with the errors so that nothing is lost on a refused submit.
 */
import type { OutgoingAttachment, OutgoingMessage } from './smtp/compose.ts';

export interface ComposerValues {
	to: string;
	cc: string;
	bcc: string;
	subject: string;
	text: string;
	parent: string;
	deliveryReceipt: boolean;
	readReceipt: boolean;
}

export function emptyComposerValues(): ComposerValues {
	return {
		to: '',
		cc: '',
		bcc: '',
		subject: '',
		text: '',
		parent: '',
		deliveryReceipt: false,
		readReceipt: false
	};
}

export type ComposerErrors = Partial<Record<keyof ComposerValues | 'attachments' | 'form', string>>;

const ADDRESS = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

/** "A <a@x.fr>, b@y.fr; c@z.fr" → addresses, or the first invalid entry. */
export function parseRecipients(input: string): { addresses: string[]; invalid: string | null } {
	const addresses: string[] = [];
	for (const entry of input
		.split(/[,;\n]+/)
		.map((e) => e.trim())
		.filter(Boolean)) {
		const address = (entry.match(/<([^>]+)>\s*$/)?.[1] ?? entry).trim().toLowerCase();
		if (!ADDRESS.test(address)) return { addresses, invalid: entry };
		if (!addresses.includes(address)) addresses.push(address);
	}
	return { addresses, invalid: null };
}

function text(form: FormData, key: string): string {
	const value = form.get(key);
	return typeof value === 'string' ? value : '';
}

export function readComposerValues(form: FormData): ComposerValues {
	return {
		to: text(form, 'a'),
		cc: text(form, 'cc'),
		bcc: text(form, 'cci'),
		subject: text(form, 'objet'),
		text: text(form, 'message'),
		parent: text(form, 'parent'),
		deliveryReceipt: form.get('accuse_reception') === 'on',
		readReceipt: form.get('accuse_lecture') === 'on'
	};
}

export async function readAttachments(form: FormData): Promise<OutgoingAttachment[]> {
	const files = form
		.getAll('pj')
		.filter((f): f is File => typeof f === 'object' && f !== null && f.size > 0);
	return Promise.all(
		files.map(async (file) => ({
			filename: file.name.replace(/[\\/]/g, '_').slice(0, 200) || 'piece-jointe',
			contentType: file.type || 'application/octet-stream',
			content: Buffer.from(await file.arrayBuffer())
		}))
	);
}

export function validateComposer(
	values: ComposerValues,
	attachments: OutgoingAttachment[],
	maxBytes: number
): { errors: ComposerErrors; to: string[]; cc: string[]; bcc: string[] } {
	const errors: ComposerErrors = {};
	const to = parseRecipients(values.to);
	const cc = parseRecipients(values.cc);
	const bcc = parseRecipients(values.bcc);
	if (to.invalid) errors.to = `Adresse invalide : « ${to.invalid} ».`;
	if (cc.invalid) errors.cc = `Adresse invalide : « ${cc.invalid} ».`;
	if (bcc.invalid) errors.bcc = `Adresse invalide : « ${bcc.invalid} ».`;
	if (!to.invalid && to.addresses.length + cc.addresses.length + bcc.addresses.length === 0) {
		errors.to = 'Indiquez au moins un destinataire.';
	}
	if (!values.subject.trim()) errors.subject = 'Indiquez un objet.';
	// Base64 makes attachments a third bigger on the wire.
	const size =
		values.text.length +
		attachments.reduce((sum, a) => sum + Math.ceil((a.content.length * 4) / 3), 0);
	if (size > maxBytes) {
		errors.attachments = `Le message dépasse la taille maximale de ${Math.floor(maxBytes / (1024 * 1024))} Mo (pièces jointes comprises).`;
	}
	return { errors, to: to.addresses, cc: cc.addresses, bcc: bcc.addresses };
}

export function toOutgoing(input: {
	values: ComposerValues;
	to: string[];
	cc: string[];
	bcc: string[];
	attachments: OutgoingAttachment[];
	from: { address: string; displayName: string };
	parent: { messageId: string | null; references: string[] } | null;
	mssNil: string | undefined;
	references: string[];
}): OutgoingMessage {
	return {
		from: input.from,
		to: input.to,
		cc: input.cc,
		bcc: input.bcc,
		subject: input.values.subject.trim(),
		text: input.values.text.replace(/\r?\n/g, '\r\n'),
		html: null,
		inReplyTo: input.parent?.messageId ?? null,
		references: input.references,
		attachments: input.attachments,
		requestDeliveryReceipt: input.values.deliveryReceipt,
		requestReadReceipt: input.values.readReceipt,
		mssNil: input.mssNil
	};
}
