/**
 * The patients a user writes about, the user's author profile (for the CDA) and the health
 * documents the user sent (for "annule et remplace"). Everything that identifies a person is
 * sealed at rest with the server secret (certs/secret-box.ts, AES-256-GCM): the database file
 * never holds a name, a birth date or an INS in clear. Lists are small (one user's patients), so
 * search opens them and matches in memory with the library's rules (mssante/patient-search.ts).
 */
import { randomUUID } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { open, seal } from '../../../../certs/secret-box.ts';
import { isAppError } from '../errors.ts';
import {
	checkPatient,
	parseAuthor,
	searchPatients,
	type Author,
	type Confidentiality,
	type FieldProblem,
	type Patient,
	type ReplacedDocument
} from '../mssante/index.ts';

export interface StoredPatient extends Patient {
	id: string;
	updatedAt: number;
}

/** A health document as sent: what a replacement (RPLC) needs, and what the list shows. */
export interface SentDocument {
	patientId: string;
	document: ReplacedDocument;
	type: string;
	title: string;
	/** Date of the act, YYYY-MM-DD. */
	actDate: string;
	confidentiality: Confidentiality;
	recipients: string[];
	sentAt: number;
}

export type SaveResult<T> = { ok: true; value: T } | { ok: false; problems: FieldProblem[] };

export class PatientStore {
	readonly #db: DatabaseSync;
	readonly #secret: string;
	readonly #onUnreadable: (table: string) => void;

	/**
	 * `onUnreadable` is told (table name only) when a row was sealed with another server secret:
	 * such rows are skipped, so a changed SESSION_SECRET loses them but never breaks the pages.
	 */
	constructor(options: {
		db: DatabaseSync;
		secret: string;
		onUnreadable?: (table: string) => void;
	}) {
		this.#db = options.db;
		this.#secret = options.secret;
		this.#onUnreadable = options.onUnreadable ?? (() => undefined);
	}

	#seal(value: unknown): string {
		return seal(JSON.stringify(value), this.#secret);
	}

	#open<T>(sealed: string, table: string): T | null {
		try {
			return JSON.parse(open(sealed, this.#secret).toString('utf8')) as T;
		} catch (error) {
			if (!isAppError(error) || error.code !== 'SECRET_INVALID') throw error;
			this.#onUnreadable(table);
			return null;
		}
	}

	list(owner: string): StoredPatient[] {
		const rows = this.#db
			.prepare('SELECT id, sealed, updated_at FROM patient WHERE owner = ?')
			.all(owner) as { id: string; sealed: string; updated_at: number }[];
		const patients = rows.flatMap((r) => {
			const patient = this.#open<Patient>(r.sealed, 'patient');
			return patient ? [{ ...patient, id: r.id, updatedAt: r.updated_at }] : [];
		});
		return searchPatients(patients, '');
	}

	search(owner: string, query: string): StoredPatient[] {
		return searchPatients(this.list(owner), query);
	}

	get(owner: string, id: string): StoredPatient | null {
		const row = this.#db
			.prepare('SELECT sealed, updated_at FROM patient WHERE owner = ? AND id = ?')
			.get(owner, id) as { sealed: string; updated_at: number } | undefined;
		const patient = row ? this.#open<Patient>(row.sealed, 'patient') : null;
		return patient && row ? { ...patient, id, updatedAt: row.updated_at } : null;
	}

	/** Creates (no id) or replaces (id) a patient after the INS checks; problems name the field. */
	save(owner: string, input: unknown, id?: string): SaveResult<StoredPatient> {
		const checked = checkPatient(input);
		if (!checked.patient) return { ok: false, problems: checked.problems };
		const now = Date.now();
		if (id) {
			const changed = this.#db
				.prepare('UPDATE patient SET sealed = ?, updated_at = ? WHERE owner = ? AND id = ?')
				.run(this.#seal(checked.patient), now, owner, id);
			if (changed.changes === 0) {
				return {
					ok: false,
					problems: [{ field: 'patient', message: 'Ce patient n’existe plus.' }]
				};
			}
			return { ok: true, value: { ...checked.patient, id, updatedAt: now } };
		}
		const newId = randomUUID();
		this.#db
			.prepare(
				'INSERT INTO patient (id, owner, sealed, created_at, updated_at) VALUES (?, ?, ?, ?, ?)'
			)
			.run(newId, owner, this.#seal(checked.patient), now, now);
		return { ok: true, value: { ...checked.patient, id: newId, updatedAt: now } };
	}

	author(owner: string): Author | null {
		const row = this.#db.prepare('SELECT sealed FROM author_profile WHERE owner = ?').get(owner) as
			{ sealed: string } | undefined;
		return row ? this.#open<Author>(row.sealed, 'author_profile') : null;
	}

	saveAuthor(owner: string, input: unknown): SaveResult<Author> {
		let author: Author;
		try {
			author = parseAuthor(input);
		} catch (error) {
			if (!isAppError(error)) throw error;
			const fields = (error.details.fields as string[] | undefined) ?? ['author'];
			return { ok: false, problems: fields.map((field) => ({ field, message: error.message })) };
		}
		this.#db
			.prepare(
				`INSERT INTO author_profile (owner, sealed, updated_at) VALUES (?, ?, ?)
				 ON CONFLICT (owner) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at`
			)
			.run(owner, this.#seal(author), Date.now());
		return { ok: true, value: author };
	}

	recordSent(owner: string, sent: SentDocument): void {
		this.#db
			.prepare(
				`INSERT INTO health_document_sent (document_id, owner, patient_id, sealed, sent_at)
				 VALUES (?, ?, ?, ?, ?)`
			)
			.run(sent.document.documentId, owner, sent.patientId, this.#seal(sent), sent.sentAt);
	}

	sentDocument(owner: string, documentId: string): SentDocument | null {
		const row = this.#db
			.prepare('SELECT sealed FROM health_document_sent WHERE owner = ? AND document_id = ?')
			.get(owner, documentId) as { sealed: string } | undefined;
		return row ? this.#open<SentDocument>(row.sealed, 'health_document_sent') : null;
	}

	/** The documents sent about one patient, newest first. */
	sentDocuments(owner: string, patientId: string): SentDocument[] {
		const rows = this.#db
			.prepare(
				'SELECT sealed FROM health_document_sent WHERE owner = ? AND patient_id = ? ORDER BY sent_at DESC'
			)
			.all(owner, patientId) as { sealed: string }[];
		return rows.flatMap((r) => this.#open<SentDocument>(r.sealed, 'health_document_sent') ?? []);
	}
}
