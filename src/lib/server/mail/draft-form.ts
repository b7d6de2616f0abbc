/**
 * Reading the composer's form into an `OutgoingMessage`, with French errors per field. The values
 * the user typed are returned with the errors so that nothing is lost on a refused submit.
 */
import { estimateMessageBytes, sizeLimitMessage } from '../../message-size.ts';
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
	/** UID of this message's current draft in Drafts ('' before the first save). */
	draft: string;
	/** Forward as attachment: the `folder:uid` of the message to attach as message/rfc822. */
	forward: string;
	/** Indexes of the current draft's attachments to keep. */
	keep: number[];
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
		readReceipt: false,
		draft: '',
		forward: '',
		keep: []
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
		readReceipt: form.get('accuse_lecture') === 'on',
		draft: /^\d{1,10}$/.test(text(form, 'brouillon')) ? text(form, 'brouillon') : '',
		forward: text(form, 'transfert'),
		keep: form
			.getAll('garder')
			.filter((v): v is string => typeof v === 'string' && /^\d{1,4}$/.test(v))
			.map(Number)
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

/** The French refusal when the message would be over the size limit, or null. */
export function sizeProblem(
	values: Pick<ComposerValues, 'text'>,
	attachments: OutgoingAttachment[],
	maxBytes: number
): string | null {
	const size = estimateMessageBytes({
		textBytes: Buffer.byteLength(values.text),
		attachmentBytes: attachments.map((a) => a.content.length)
	});
	return size > maxBytes ? sizeLimitMessage(size, maxBytes) : null;
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
	const tooBig = sizeProblem(values, attachments, maxBytes);
	if (tooBig) errors.attachments = tooBig;
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
