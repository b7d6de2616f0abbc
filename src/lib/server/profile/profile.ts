/**
 * The sender profile of each mailbox (civilité, prénom, NOM, profession, structure), kept in the
 * app DB and used to build the From display name of every message sent (ECO.2.2.7).
 */
import type { DatabaseSync } from 'node:sqlite';
import {
	buildDisplayName,
	cleanField,
	emptyProfile,
	type MailboxKindName,
	type SenderProfile
} from '../../display-name.ts';

/** App DB migration: one row per mailbox address. Never edit: add a migration. */
export const PROFILE_SCHEMA = `CREATE TABLE sender_profile (
	address TEXT PRIMARY KEY,
	title TEXT NOT NULL DEFAULT '',
	first_name TEXT NOT NULL DEFAULT '',
	last_name TEXT NOT NULL DEFAULT '',
	profession TEXT NOT NULL DEFAULT '',
	structure TEXT NOT NULL DEFAULT '',
	updated_at INTEGER NOT NULL
) WITHOUT ROWID`;

interface Row {
	title: string;
	first_name: string;
	last_name: string;
	profession: string;
	structure: string;
}

export function readProfile(db: DatabaseSync, address: string): SenderProfile | null {
	const row = db
		.prepare(
			'SELECT title, first_name, last_name, profession, structure FROM sender_profile WHERE address = ?'
		)
		.get(address.toLowerCase()) as Row | undefined;
	if (!row) return null;
	return {
		title: row.title,
		firstName: row.first_name,
		lastName: row.last_name,
		profession: row.profession,
		structure: row.structure
	};
}

export function saveProfile(db: DatabaseSync, address: string, profile: SenderProfile): void {
	const clean = {
		title: cleanField(profile.title),
		firstName: cleanField(profile.firstName),
		lastName: cleanField(profile.lastName),
		profession: cleanField(profile.profession),
		structure: cleanField(profile.structure)
	};
	db.prepare(
		`INSERT INTO sender_profile (address, title, first_name, last_name, profession, structure, updated_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?)
		 ON CONFLICT (address) DO UPDATE SET title = excluded.title, first_name = excluded.first_name,
		   last_name = excluded.last_name, profession = excluded.profession,
		   structure = excluded.structure, updated_at = excluded.updated_at`
	).run(
		address.toLowerCase(),
		clean.title,
		clean.firstName,
		clean.lastName,
		clean.profession,
		clean.structure,
		Date.now()
	);
}

/**
 * The From display name for a mailbox: from its profile when complete, otherwise the name the
 * session already knows for the mailbox (so a message is never sent without a display name).
 */
export function senderDisplayName(
	db: DatabaseSync,
	mailbox: { address: string; displayName: string; kind: MailboxKindName }
): string {
	const profile = readProfile(db, mailbox.address);
	return (profile && buildDisplayName(profile, mailbox.kind)) || mailbox.displayName;
}

export function profileOrEmpty(db: DatabaseSync, address: string): SenderProfile {
	return readProfile(db, address) ?? emptyProfile();
}
