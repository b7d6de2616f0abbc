/**
 * Who may read which part of the audit trail (SC.MSS/UX.37): an administrator reads all of it;
 * anyone else reads the entries of the mailboxes open in their session and of the structure
 * mailboxes where they are « responsable ». Read again on every request: a role withdrawn takes
 * effect at once.
 */
import { getConfig } from '../config.ts';
import { openAppDb } from '../db/app-db.ts';
import type { Session } from '../session/store.ts';
import { StructureDirectory } from '../structure/members.ts';

export interface JournalScope {
	/** Every entry (administrator). */
	all: boolean;
	/** Otherwise only these mailboxes, sorted. */
	mailboxes: string[];
}

export function isAdministrator(session: Session): boolean {
	const admins = getConfig().adminAddresses;
	const identities = [
		session.userLabel,
		session.memberId,
		...session.mailboxes.map((m) => m.address)
	];
	return identities.some((id) => id !== undefined && admins.includes(id.toLowerCase()));
}

export function journalScope(session: Session): JournalScope {
	if (isAdministrator(session)) return { all: true, mailboxes: [] };
	const mailboxes = new Set(session.mailboxes.map((m) => m.address.toLowerCase()));
	if (session.memberId) {
		const directory = new StructureDirectory(openAppDb(getConfig().dataDir));
		for (const { structure, role } of directory.structuresOf(session.memberId)) {
			if (role === 'responsable') mailboxes.add(structure.address);
		}
	}
	return { all: false, mailboxes: [...mailboxes].sort() };
}
