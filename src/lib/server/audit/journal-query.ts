/**
 * The journal page's filters, read from the URL and checked, then turned into an `AuditFilter`
 * limited to what the viewer may see. Shared by the page and its CSV export.
 */
import { AUDIT_ACTIONS, parisDayStart, type AuditAction, type AuditFilter } from './audit-log.ts';
import type { JournalScope } from './access.ts';

export interface JournalFilters {
	du: string;
	au: string;
	personne: string;
	bal: string;
	action: string;
	resultat: string;
}

export const ACTION_LABELS: Record<AuditAction, string> = {
	'sign-in': 'Connexion',
	'sign-out': 'Déconnexion',
	token: 'Jeton',
	read: 'Lecture',
	download: 'Téléchargement',
	send: 'Envoi',
	draft: 'Brouillon',
	move: 'Déplacement',
	copy: 'Copie',
	delete: 'Suppression',
	flag: 'Indicateur',
	folder: 'Dossier',
	assign: 'Attribution',
	note: 'Note',
	certificate: 'Certificat',
	trust: 'Confiance',
	settings: 'Réglages',
	member: 'Membres'
};

const DAY = 86_400_000;

export function readJournalFilters(params: URLSearchParams): JournalFilters {
	const get = (key: string): string => (params.get(key) ?? '').trim().slice(0, 200);
	return {
		du: get('du'),
		au: get('au'),
		personne: get('personne'),
		bal: get('bal').toLowerCase(),
		action: get('action'),
		resultat: get('resultat')
	};
}

/** The audit filter, or the French reason the filters are not valid. */
export function toAuditFilter(
	filters: JournalFilters,
	scope: JournalScope
): { filter: AuditFilter } | { problem: string } {
	const from = filters.du ? parisDayStart(filters.du) : undefined;
	if (from === null) return { problem: 'Date de début invalide (format AAAA-MM-JJ).' };
	const toStart = filters.au ? parisDayStart(filters.au) : undefined;
	if (toStart === null) return { problem: 'Date de fin invalide (format AAAA-MM-JJ).' };
	// "au" is inclusive: up to the start of the next day (DST days are 23 or 25 h long).
	const to =
		toStart === undefined ? undefined : (parisDayStart(nextDay(filters.au)) ?? toStart + DAY);
	if (from !== undefined && to !== undefined && from >= to) {
		return { problem: 'La date de fin doit suivre la date de début.' };
	}
	if (filters.action && !(AUDIT_ACTIONS as readonly string[]).includes(filters.action)) {
		return { problem: 'Action inconnue.' };
	}
	if (filters.resultat && filters.resultat !== 'ok' && filters.resultat !== 'failure') {
		return { problem: 'Résultat inconnu.' };
	}
	const filter: AuditFilter = {
		from,
		to,
		actor: filters.personne || undefined,
		action: (filters.action || undefined) as AuditAction | undefined,
		outcome: (filters.resultat || undefined) as AuditFilter['outcome']
	};
	if (scope.all) {
		if (filters.bal) filter.mailbox = filters.bal;
	} else {
		filter.mailboxes = filters.bal
			? scope.mailboxes.filter((m) => m === filters.bal)
			: scope.mailboxes;
	}
	return { filter };
}

function nextDay(day: string): string {
	const date = new Date(`${day}T12:00:00Z`);
	date.setUTCDate(date.getUTCDate() + 1);
	return date.toISOString().slice(0, 10);
}
