/**
 * Health documents of a received message (ECO.2.1.2, ECO.3.1.x): the IHE_XDM.ZIP attachments are
 * downloaded (with a size cap, never more than the cap held in memory), read by the mssante
 * library and summarised for the page. A hostile or broken archive becomes a French warning: the
 * rest of the message still shows. The reading page and the document route share one download
 * through a short cache of their own.
 */
import type { Readable } from 'node:stream';
import type {
	HealthArchiveSummary,
	HealthDocumentSummary,
	HealthDocumentsView,
	HealthPatientBanner,
	PatientSender
} from '../../health-document-types.ts';
import type { Address, AttachmentInfo } from '../../mail-types.ts';
import { isAppError } from '../errors.ts';
import {
	isPatientAddress,
	isPdf,
	isXdmAttachmentName,
	readXdmPackage,
	type XdmDocument,
	type XdmReadResult
} from '../mssante/index.ts';
import type { Session } from '../session/store.ts';
import { streamPart, type RawMessage } from './imap/message.ts';
import { mailboxConnection } from './mailbox-access.ts';
import { messageCacheKey } from './message-cache.ts';
import type { MessageRef } from './reading.ts';

/** Largest IHE_XDM.ZIP we download (decoded bytes). */
export const MAX_XDM_BYTES = 30 * 1024 * 1024;

const TTL_MS = 60_000;
const MAX_ENTRIES = 8;

export function xdmAttachments(attachments: AttachmentInfo[]): AttachmentInfo[] {
	return attachments.filter((a) => isXdmAttachmentName(a.filename));
}

export class TooLargeError extends Error {}

/** Reads a stream into one buffer, stopping (and destroying the stream) past `cap` bytes. */
export async function readCapped(stream: Readable, cap: number): Promise<Uint8Array> {
	const chunks: Buffer[] = [];
	let total = 0;
	for await (const chunk of stream) {
		const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
		total += buffer.byteLength;
		if (total > cap) {
			stream.destroy();
			throw new TooLargeError('too large');
		}
		chunks.push(buffer);
	}
	return new Uint8Array(Buffer.concat(chunks, total));
}

/** One archive as read: the library's result (with bytes) and its page-safe summary. */
export interface HealthArchive {
	summary: HealthArchiveSummary;
	/** Documents in message order (same index as the summary's). */
	documents: XdmDocument[];
}

export interface HealthDocuments {
	view: HealthDocumentsView;
	archives: HealthArchive[];
}

const TOO_LARGE = (cap: number) =>
	`L’archive IHE_XDM dépasse ${Math.round(cap / (1024 * 1024))} Mo : elle n’est pas ouverte ici. Vous pouvez la télécharger.`;

function hl7Date(value: string | undefined): string | undefined {
	const m = /^([0-9]{4})([0-9]{2})([0-9]{2})/.exec(value ?? '');
	return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}

/** Warnings about who the patient is go to the banner; the rest stay with their document. */
const IDENTITY_WARNING = /INS|Traits du patient|plusieurs patients|identité du patient/i;

function documentSummary(doc: XdmDocument, index: number): HealthDocumentSummary {
	const author = doc.cda?.author;
	const authorText = [author?.name, author?.organization].filter(Boolean).join(', ');
	let view: HealthDocumentSummary['view'] = null;
	if (doc.content?.isPdf && isPdf(doc.content.bytes)) view = 'pdf';
	else if (doc.narrativeHtml) view = 'html';
	return {
		index,
		title: doc.title,
		typeCode: doc.typeCode,
		typeLabel: doc.typeLabel,
		date: hl7Date(doc.cda?.effectiveTime),
		author: authorText || undefined,
		mimeType: doc.mimeType,
		hashOk: doc.hashOk,
		sizeOk: doc.sizeOk,
		view,
		hasFile: doc.file !== undefined,
		warnings: doc.warnings.filter((w) => !IDENTITY_WARNING.test(w))
	};
}

function banner(result: XdmReadResult, documents: XdmDocument[]): HealthPatientBanner | null {
	const withName = documents.find((d) => d.patient.birthName || d.patient.ins);
	const setPatient = result.submissionSets.find((s) => s.patient?.ins)?.patient;
	const p = withName?.patient ?? setPatient;
	if (!p) return null;
	const warnings = [
		...result.warnings.filter((w) => IDENTITY_WARNING.test(w)),
		...documents.flatMap((d) => d.warnings.filter((w) => IDENTITY_WARNING.test(w)))
	];
	return {
		birthName: p.birthName,
		firstName: p.firstName,
		birthDate: p.birthDate,
		sex: p.sex,
		ins: p.ins ?? setPatient?.ins,
		oid: p.oid ?? setPatient?.oid,
		oidLabel: p.oidLabel ?? setPatient?.oidLabel,
		warnings: [...new Set(warnings)]
	};
}

/**
 * Reads one downloaded archive (or the reason it was not downloaded). `firstIndex` numbers its
 * documents after those of the previous archives. Never throws.
 */
export function readArchive(
	attachment: Pick<AttachmentInfo, 'partId' | 'filename'>,
	bytes: Uint8Array | { problem: string },
	firstIndex = 0
): HealthArchive {
	const summary: HealthArchiveSummary = {
		partId: attachment.partId,
		filename: attachment.filename,
		patient: null,
		submissionSets: [],
		warnings: []
	};
	if (!(bytes instanceof Uint8Array)) {
		summary.warnings.push(bytes.problem);
		return { summary, documents: [] };
	}
	let result: XdmReadResult;
	try {
		result = readXdmPackage(bytes);
	} catch (err) {
		summary.warnings.push(
			isAppError(err)
				? `L’archive IHE_XDM n’a pas pu être lue : ${err.message}`
				: 'L’archive IHE_XDM n’a pas pu être lue : elle est endommagée ou n’est pas une archive XDM.'
		);
		return { summary, documents: [] };
	}
	const documents: XdmDocument[] = [];
	for (const set of result.submissionSets) {
		summary.submissionSets.push({
			title: set.title,
			documents: set.documents.map((doc) => {
				documents.push(doc);
				return documentSummary(doc, firstIndex + documents.length - 1);
			})
		});
	}
	summary.patient = banner(result, documents);
	summary.warnings.push(...result.warnings.filter((w) => !IDENTITY_WARNING.test(w)));
	if (documents.length === 0) summary.warnings.push('Aucun document trouvé dans l’archive.');
	return { summary, documents };
}

interface Entry {
	value: Promise<HealthDocuments>;
	expiresAt: number;
}
const cache = new Map<string, Entry>();

const DOWNLOAD_FAILED =
	'L’archive IHE_XDM n’a pas pu être téléchargée pour le moment : rouvrez le message pour réessayer.';

async function download(
	session: Session,
	ref: MessageRef,
	attachment: AttachmentInfo
): Promise<Uint8Array | { problem: string; failed?: true }> {
	if (attachment.size > MAX_XDM_BYTES) return { problem: TOO_LARGE(MAX_XDM_BYTES) };
	try {
		const part = await streamPart(mailboxConnection(session, ref.mailboxId), {
			folder: ref.folder,
			uid: ref.uid,
			partId: attachment.partId
		});
		return await readCapped(part.content, MAX_XDM_BYTES);
	} catch (err) {
		if (err instanceof TooLargeError) return { problem: TOO_LARGE(MAX_XDM_BYTES) };
		// The message itself still shows; the archive is tried again next time.
		return { problem: DOWNLOAD_FAILED, failed: true };
	}
}

async function readAll(
	session: Session,
	ref: MessageRef,
	attachments: AttachmentInfo[]
): Promise<{ documents: HealthDocuments; failed: boolean }> {
	const archives: HealthArchive[] = [];
	let next = 0;
	let failed = false;
	for (const attachment of attachments) {
		const bytes = await download(session, ref, attachment);
		if (!(bytes instanceof Uint8Array) && bytes.failed) failed = true;
		const archive = readArchive(attachment, bytes, next);
		next += archive.documents.length;
		archives.push(archive);
	}
	return { documents: { view: { archives: archives.map((a) => a.summary) }, archives }, failed };
}

/**
 * The health documents of a message, or null when it carries no IHE_XDM.ZIP. Never rejects for
 * an archive's sake: too large, unreadable, hostile or not downloadable are French warnings.
 */
export async function loadHealthDocuments(
	session: Session,
	ref: MessageRef,
	message: Pick<RawMessage, 'attachments'>
): Promise<HealthDocuments | null> {
	const attachments = xdmAttachments(message.attachments);
	if (attachments.length === 0) return null;
	const key = messageCacheKey({ sessionKey: session.key, ...ref });
	const hit = cache.get(key);
	if (hit && hit.expiresAt >= Date.now()) return hit.value;
	const value = readAll(session, ref, attachments).then(({ documents, failed }) => {
		// A failed download (IMAP dropped…) is not kept: the next request tries again.
		if (failed && cache.get(key)?.value === value) cache.delete(key);
		return documents;
	});
	cache.delete(key);
	cache.set(key, { value, expiresAt: Date.now() + TTL_MS });
	while (cache.size > MAX_ENTRIES) {
		const oldest = cache.keys().next().value;
		if (oldest === undefined) break;
		cache.delete(oldest);
	}
	return value;
}

/** One document of the message by its index, with its bytes. */
export function documentAt(documents: HealthDocuments, index: number): XdmDocument | undefined {
	return documents.archives.flatMap((a) => a.documents)[index];
}

/**
 * Mail from a patient (ECO.3.1.1, ECO.3.1.2): the matricule comes from the address; the name only
 * when an XDM of this message names the same INS, otherwise the identity is to be checked.
 */
export function patientSender(
	from: Address | null,
	view: HealthDocumentsView | null
): PatientSender | null {
	if (!from || !isPatientAddress(from.address)) return null;
	const matricule = from.address.trim().split('@')[0]!.toUpperCase();
	const patient = view?.archives
		.map((a) => a.patient)
		.find((p) => p?.ins?.toUpperCase() === matricule && p.birthName);
	return patient
		? { matricule, birthName: patient.birthName, firstName: patient.firstName }
		: { matricule };
}
