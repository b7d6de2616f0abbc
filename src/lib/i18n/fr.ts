/** User-facing French text shared by several screens, and French date and size formats. */
import type { SpecialUse } from '../mail-types.ts';

export const FOLDER_LABELS: Record<SpecialUse, string> = {
	inbox: 'Boîte de réception',
	drafts: 'Brouillons',
	sent: 'Envoyés',
	trash: 'Corbeille',
	junk: 'Indésirables',
	archive: 'Archives',
	flagged: 'Suivis'
};

export function folderLabel(folder: { specialUse: SpecialUse | null; name: string }): string {
	return folder.specialUse ? FOLDER_LABELS[folder.specialUse] : folder.name;
}

const TIME_ZONE = 'Europe/Paris';
const timeFormat = new Intl.DateTimeFormat('fr-FR', {
	hour: '2-digit',
	minute: '2-digit',
	timeZone: TIME_ZONE
});
const dayFormat = new Intl.DateTimeFormat('fr-FR', {
	day: 'numeric',
	month: 'short',
	timeZone: TIME_ZONE
});
const dateFormat = new Intl.DateTimeFormat('fr-FR', {
	day: '2-digit',
	month: '2-digit',
	year: 'numeric',
	timeZone: TIME_ZONE
});
const fullFormat = new Intl.DateTimeFormat('fr-FR', {
	dateStyle: 'full',
	timeStyle: 'short',
	timeZone: TIME_ZONE
});
const ymd = new Intl.DateTimeFormat('en-CA', {
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	timeZone: TIME_ZONE
});

/** Compact list date: the time today, "12 mars" this year, 12/03/2024 before. */
export function listDate(iso: string | null, now = new Date()): string {
	if (!iso) return '';
	const date = new Date(iso);
	if (ymd.format(date) === ymd.format(now)) return timeFormat.format(date);
	if (ymd.format(date).slice(0, 4) === ymd.format(now).slice(0, 4)) return dayFormat.format(date);
	return dateFormat.format(date);
}

export function fullDate(iso: string | null): string {
	return iso ? fullFormat.format(new Date(iso)) : '';
}

export function fileSize(bytes: number): string {
	if (bytes < 1024) return `${bytes} o`;
	if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} Ko`;
	return `${(bytes / (1024 * 1024)).toFixed(1).replace('.', ',')} Mo`;
}

export function messageCount(n: number): string {
	return n <= 1 ? `${n} message` : `${n.toLocaleString('fr-FR')} messages`;
}
