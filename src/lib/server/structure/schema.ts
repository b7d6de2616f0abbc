/**
 * Tables of the structure mailboxes (issue 7): who belongs to which ORG/APP mailbox with which
 * role, the local accounts of staff without e-CPS, and the shared state of messages (assignment,
 * "traité", internal notes). Applied as one numbered migration of `confrere.sqlite`.
 * Message state is keyed by Message-ID (stable across folders and UIDVALIDITY changes); the same
 * state is mirrored as IMAP keywords so every client of the mailbox sees it.
 */
export const STRUCTURE_SCHEMA = `
CREATE TABLE structure_mailbox (
	address TEXT PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('ORG', 'APP')),
	display_name TEXT NOT NULL,
	access_mode TEXT NOT NULL CHECK (access_mode IN ('psc', 'certificate')),
	created_at INTEGER NOT NULL,
	created_by TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE structure_member (
	mailbox TEXT NOT NULL REFERENCES structure_mailbox (address) ON DELETE CASCADE,
	member TEXT NOT NULL,
	display_name TEXT NOT NULL,
	role TEXT NOT NULL CHECK (role IN ('responsable', 'secretaire', 'lecture')),
	added_at INTEGER NOT NULL,
	added_by TEXT NOT NULL,
	PRIMARY KEY (mailbox, member)
) WITHOUT ROWID;
CREATE TABLE local_account (
	login TEXT PRIMARY KEY,
	display_name TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	totp_secret TEXT NOT NULL,
	totp_last_step INTEGER NOT NULL DEFAULT 0,
	totp_confirmed INTEGER NOT NULL DEFAULT 0,
	disabled INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE message_state (
	mailbox TEXT NOT NULL,
	message_key TEXT NOT NULL,
	assignee TEXT,
	assigned_by TEXT,
	assigned_at INTEGER,
	handled_by TEXT,
	handled_at INTEGER,
	version INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (mailbox, message_key)
) WITHOUT ROWID;
CREATE INDEX message_state_assignee ON message_state (mailbox, assignee);
CREATE TABLE message_note (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	mailbox TEXT NOT NULL,
	message_key TEXT NOT NULL,
	author TEXT NOT NULL,
	at INTEGER NOT NULL,
	body TEXT NOT NULL
);
CREATE INDEX message_note_message ON message_note (mailbox, message_key, at);
`;
