/**
 * Prefilling the composer to answer or forward a message: recipients, "Re:"/"Tr:" subject, quoted
 * text, and the parent reference (ECO.2.2.2: In-Reply-To and References are derived from it).
 */
import { displaySubject, type Address } from '../../mail-types.ts';
import type { RawMessage } from './imap/message.ts';
import { emptyComposerValues, type ComposerValues } from './draft-form.ts';

export type ReplyMode = 'repondre' | 'repondre-a-tous' | 'transferer' | 'transferer-pj';

const dateFormat = new Intl.DateTimeFormat('fr-FR', {
	dateStyle: 'long',
	timeStyle: 'short',
	timeZone: 'Europe/Paris'
});

function formatAddress(a: Address): string {
	return a.name ? `${a.name} <${a.address}>` : a.address;
}

function prefixed(prefix: 'Re' | 'Tr', subject: string): string {
	const clean = displaySubject(subject).trim();
	return new RegExp(`^${prefix}\\s?:`, 'i').test(clean) ? clean : `${prefix} : ${clean}`;
}

/** Keeps the "XDM/1.0/DDM+" subject of a health document reply intact (ECO.2.1.3). */
function replySubject(prefix: 'Re' | 'Tr', subject: string): string {
	return prefixed(prefix, subject);
}

function quote(text: string): string {
	return text
		.split(/\r?\n/)
		.map((line) => (line.startsWith('>') ? `>${line}` : `> ${line}`))
		.join('\n');
}

export function parentRef(folder: string, uid: number): string {
	return `${encodeURIComponent(folder)}:${uid}`;
}

export function parseParentRef(value: string): { folder: string; uid: number } | null {
	const match = value.match(/^([^:]+):(\d+)$/);
	if (!match) return null;
	try {
		return { folder: decodeURIComponent(match[1]!), uid: Number(match[2]) };
	} catch {
		return null;
	}
}

export function prefillFromMessage(
	message: RawMessage,
	mode: ReplyMode,
	self: string
): ComposerValues {
	const body = message.text ?? '';
	const when = message.date ? dateFormat.format(new Date(message.date)) : '';
	const sender = message.from ? formatAddress(message.from) : '';
	const values = emptyComposerValues();
	if (mode === 'transferer-pj') {
		// Forward as attachment: a new message (own Message-ID, no In-Reply-To: ECO.2.2.2 is for
		// replies) carrying the original, untouched, as message/rfc822.
		const clean = displaySubject(message.subject).trim();
		values.subject = /^(fwd|tr)\s?:/i.test(clean) ? clean : `Fwd: ${clean}`;
		values.forward = parentRef(message.folder, message.uid);
		return values;
	}
	if (mode === 'transferer') {
		values.subject = replySubject('Tr', message.subject);
		values.text = [
			'',
			'',
			'-------- Message transféré --------',
			`De : ${sender}`,
			`Date : ${when}`,
			`Objet : ${message.subject}`,
			`À : ${message.to.map(formatAddress).join(', ')}`,
			'',
			body
		].join('\n');
		return values;
	}
	const replyTargets = message.replyTo.length
		? message.replyTo
		: message.from
			? [message.from]
			: [];
	values.to = replyTargets.map((a) => a.address).join(', ');
	if (mode === 'repondre-a-tous') {
		const already = new Set([
			self.toLowerCase(),
			...replyTargets.map((a) => a.address.toLowerCase())
		]);
		values.cc = [...message.to, ...message.cc]
			.map((a) => a.address.toLowerCase())
			.filter((a) => a && !already.has(a) && (already.add(a), true))
			.join(', ');
	}
	values.subject = replySubject('Re', message.subject);
	values.text = `\n\nLe ${when}, ${sender} a écrit :\n${quote(body)}`;
	values.parent = parentRef(message.folder, message.uid);
	return values;
}

/** The parent's References header, split into ids. */
export function parentReferences(message: RawMessage): string[] {
	return (message.headers.get('references') ?? '').match(/<[^>]+>/g) ?? [];
}
