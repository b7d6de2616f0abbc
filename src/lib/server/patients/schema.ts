/**
 * Tables of the patient list, the author profile and the health documents sent (issue 6). Every
 * identity is sealed at rest (AES-256-GCM, certs/secret-box.ts): the columns in clear are only
 * the owner (the signed-in user), random ids and times. Applied as one numbered migration.
 */
export const PATIENTS_SCHEMA = `
CREATE TABLE patient (
	id TEXT PRIMARY KEY,
	owner TEXT NOT NULL,
	sealed TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX patient_owner ON patient (owner);
CREATE TABLE author_profile (
	owner TEXT PRIMARY KEY,
	sealed TEXT NOT NULL,
	updated_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE health_document_sent (
	document_id TEXT PRIMARY KEY,
	owner TEXT NOT NULL,
	patient_id TEXT NOT NULL,
	sealed TEXT NOT NULL,
	sent_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX health_document_sent_owner ON health_document_sent (owner, patient_id);
`;
