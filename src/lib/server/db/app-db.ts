/**
 * Confrère's own small database (`<data dir>/confrere.sqlite`, Node's built-in SQLite): what the
 * app must remember across restarts. Never message content, never credentials or tokens.
 * Migrations are numbered and applied once, in order.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { AUDIT_SCHEMA } from '../audit/audit-log.ts';
import { PATIENTS_SCHEMA } from '../patients/schema.ts';
import { STRUCTURE_SCHEMA } from '../structure/schema.ts';
import { PROFILE_SCHEMA } from '../profile/profile.ts';
import { STRUCTURE_CERT_SCHEMA } from '../structure-certs/schema.ts';

const MIGRATIONS: string[] = [
	// 1: the user's recent correspondents, merged into the recipient suggestions.
	`CREATE TABLE recent_correspondent (
		owner TEXT NOT NULL,
		address TEXT NOT NULL,
		name TEXT NOT NULL DEFAULT '',
		uses INTEGER NOT NULL DEFAULT 0,
		last_used INTEGER NOT NULL,
		PRIMARY KEY (owner, address)
	) WITHOUT ROWID`,
	// 2: the append-only, hash-chained audit trail (ECO.4.1.1). Never edit: add a migration.
	AUDIT_SCHEMA,
	// 3: structure mailboxes, members and roles, local accounts, shared message state (issue 7).
	STRUCTURE_SCHEMA,
	// 4: patient list, author profile and health documents sent, identities sealed (issue 6).
	PATIENTS_SCHEMA,
	// 5: the sender profile of each mailbox, for the From display name (ECO.2.2.7).
	PROFILE_SCHEMA,
	// 6: the structures' ORG AUTH_CLI certificates, private keys sealed (ECO.1.3.1).
	STRUCTURE_CERT_SCHEMA
];

const opened = new Map<string, DatabaseSync>();

export function openAppDb(dataDir: string): DatabaseSync {
	const file = path.join(dataDir, 'confrere.sqlite');
	let db = opened.get(file);
	if (db) return db;
	mkdirSync(dataDir, { recursive: true });
	db = new DatabaseSync(file);
	db.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 2000;');
	const version = (db.prepare('PRAGMA user_version').get() as { user_version: number })
		.user_version;
	for (let i = version; i < MIGRATIONS.length; i++) {
		db.exec('BEGIN');
		db.exec(MIGRATIONS[i]!);
		db.exec(`PRAGMA user_version = ${i + 1}`);
		db.exec('COMMIT');
	}
	opened.set(file, db);
	return db;
}

export function closeAppDbs(): void {
	for (const db of opened.values()) db.close();
	opened.clear();
}
