/**
 * Table of the structures' ORG AUTH_CLI certificates (ECO.1.3.1): one per ORG/APP mailbox. The
 * private key is only stored sealed (AES-256-GCM, certs/secret-box.ts, key derived from the
 * server secret). Applied as one numbered migration of `confrere.sqlite`.
 */
export const STRUCTURE_CERT_SCHEMA = `
CREATE TABLE structure_certificate (
	mailbox TEXT PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('ORG', 'APP')),
	display_name TEXT NOT NULL,
	subject TEXT NOT NULL,
	issuer TEXT NOT NULL,
	organisation TEXT NOT NULL DEFAULT '',
	serial_number TEXT NOT NULL,
	fingerprint TEXT NOT NULL,
	not_before INTEGER NOT NULL,
	not_after INTEGER NOT NULL,
	cert_pem TEXT NOT NULL,
	chain_json TEXT NOT NULL,
	key_sealed TEXT NOT NULL,
	imported_at INTEGER NOT NULL,
	imported_by TEXT NOT NULL
) WITHOUT ROWID;
`;
