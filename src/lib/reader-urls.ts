/** URLs of the reader's extra pages (print, .eml, source, preview, receipts), built in one place. */
import { messageHref } from './mail-urls.ts';

export const printHref = (mailboxId: string, folder: string, uid: number, auto = false) =>
	`${messageHref(mailboxId, folder, uid)}/imprimer${auto ? '?auto=1' : ''}`;

export const emlHref = (mailboxId: string, folder: string, uid: number) =>
	`${messageHref(mailboxId, folder, uid)}/eml`;

export const sourceHref = (mailboxId: string, folder: string, uid: number) =>
	`${messageHref(mailboxId, folder, uid)}/source`;

export const previewPageHref = (mailboxId: string, folder: string, uid: number, partId: string) =>
	`${messageHref(mailboxId, folder, uid)}/apercu/${encodeURIComponent(partId)}`;

export const previewFileHref = (mailboxId: string, folder: string, uid: number, partId: string) =>
	`${previewPageHref(mailboxId, folder, uid, partId)}/fichier`;

export const receiptHref = (mailboxId: string, folder: string, uid: number) =>
	`${messageHref(mailboxId, folder, uid)}/accuse-lecture`;

export const refusalHref = (mailboxId: string, folder: string, uid: number) =>
	`${messageHref(mailboxId, folder, uid)}/refus`;
