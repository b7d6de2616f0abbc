/**
 * Mail types shared by the server and the pages. They are our own shapes: no library object
 * (imapflow, mailparser) ever reaches a page or a component.
 */
import type { KeywordInfo } from './keywords.ts';

export type SpecialUse = 'inbox' | 'drafts' | 'sent' | 'trash' | 'junk' | 'archive' | 'flagged';

export interface FolderInfo {
	path: string;
	name: string;
	delimiter: string;
	specialUse: SpecialUse | null;
	depth: number;
	messages: number;
	unseen: number;
	selectable: boolean;
}

export interface Address {
	name: string;
	address: string;
}

export interface MessageSummary {
	uid: number;
	seq: number;
	subject: string;
	from: Address | null;
	to: Address[];
	date: string | null;
	size: number;
	isSeen: boolean;
	isFlagged: boolean;
	isAnswered: boolean;
	hasAttachments: boolean;
	isHealthDocument: boolean;
	isFromPatient: boolean;
	/** Labels (IMAP keywords), see keywords.ts. */
	keywords: KeywordInfo[];
}

export interface MessagePage {
	folder: string;
	total: number;
	page: number;
	pageSize: number;
	messages: MessageSummary[];
}

export interface AttachmentInfo {
	partId: string;
	filename: string;
	contentType: string;
	size: number;
	isInline: boolean;
}

export interface MessageView {
	uid: number;
	folder: string;
	subject: string;
	from: Address | null;
	to: Address[];
	cc: Address[];
	replyTo: Address[];
	date: string | null;
	messageId: string | null;
	isFlagged: boolean;
	text: string | null;
	hasHtml: boolean;
	blockedRemoteResources: number;
	attachments: AttachmentInfo[];
	readReceiptTo: string | null;
	/** A read receipt asked for and not yet answered (ECO.3.1.6), or null. */
	readReceipt: ReadReceiptOffer | null;
	warnings: string[];
	/** Labels (IMAP keywords), see keywords.ts. */
	keywords: KeywordInfo[];
}

export interface ReadReceiptOffer {
	/** The Disposition-Notification-To address. */
	to: string;
	returnPath: string | null;
	/** RFC 8098 §2.1: the address differs from Return-Path — the user confirms first. */
	needsConfirmation: boolean;
}

/** MSSanté: documents sent as IHE_XDM carry this subject prefix, hidden in lists (SC.MSS/UX.28). */
export const XDM_SUBJECT_PREFIX = 'XDM/1.0/DDM+';

export function displaySubject(subject: string): string {
	return subject.startsWith(XDM_SUBJECT_PREFIX)
		? subject.slice(XDM_SUBJECT_PREFIX.length)
		: subject;
}

/** Mail from Mon Espace Santé patients comes from this domain (ECO.3.1.1). */
export const PATIENT_DOMAIN = 'patient.mssante.fr';
