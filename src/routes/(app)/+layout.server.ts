import {
	adminOf,
	EXPIRY_WARNING_DAYS,
	structureCertificates
} from '#lib/server/structure-certs/index.ts';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => {
	const session = locals.session;
	const isAdmin = adminOf(session) !== undefined;
	// Administrators see the imported structure mailboxes (one click to open) and expiry warnings.
	const certificates = isAdmin ? structureCertificates() : [];
	const opened = new Set(session?.mailboxes.map((m) => m.address));
	// hooks.server.ts guarantees a session for the (app) group.
	return {
		userLabel: session?.userLabel ?? '',
		isPsc: Boolean(session?.psc),
		mailboxes: (session?.mailboxes ?? []).map((m) => ({
			id: m.id,
			address: m.address,
			displayName: m.displayName,
			kind: m.kind
		})),
		isAdmin,
		structureMailboxes: certificates
			.filter((c) => !opened.has(c.mailbox) && c.daysLeft >= 0)
			.map((c) => ({ address: c.mailbox, kind: c.kind })),
		certificateWarnings: certificates
			.filter((c) => c.daysLeft <= EXPIRY_WARNING_DAYS)
			.map((c) => ({
				mailbox: c.mailbox,
				daysLeft: c.daysLeft,
				notAfter: c.notAfter.toISOString()
			}))
	};
};
