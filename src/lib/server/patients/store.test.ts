import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeAppDbs, openAppDb } from '../db/app-db.ts';
import { AUTHOR_TEST, PATIENT_PAT_TROIS } from '../mssante/testing/fixtures.ts';
import { PatientStore } from './store.ts';

const SECRET = 's'.repeat(40);
const OWNER = 'jeanne.martin@lab.mssante.test';

let dir: string;
let db: DatabaseSync;
let store: PatientStore;

beforeEach(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'patients-'));
	db = openAppDb(dir);
	store = new PatientStore({ db, secret: SECRET });
});
afterEach(() => {
	closeAppDbs();
	rmSync(dir, { recursive: true, force: true });
});

function dbBytes(): string {
	const file = path.join(dir, 'confrere.sqlite');
	return [file, `${file}-wal`]
		.filter((f) => existsSync(f))
		.map((f) => readFileSync(f).toString('latin1'))
		.join('');
}

describe('PatientStore', () => {
	it('creates, finds, edits and searches patients of one owner only', () => {
		const saved = store.save(OWNER, PATIENT_PAT_TROIS);
		expect(saved.ok).toBe(true);
		if (!saved.ok) return;
		expect(store.get(OWNER, saved.value.id)?.ins).toBe('279035121518989');
		expect(store.get('paul.durand@lab.mssante.test', saved.value.id)).toBeNull();
		expect(store.list('paul.durand@lab.mssante.test')).toEqual([]);
		expect(store.search(OWNER, 'dominique pat').map((p) => p.id)).toEqual([saved.value.id]);
		expect(store.search(OWNER, 'durand')).toEqual([]);

		const edited = store.save(
			OWNER,
			{ ...PATIENT_PAT_TROIS, identityStatus: 'provisoire', ins: undefined, insOid: undefined },
			saved.value.id
		);
		expect(edited.ok).toBe(true);
		const again = store.get(OWNER, saved.value.id);
		expect(again?.identityStatus).toBe('provisoire');
		expect(again?.ins).toBeUndefined();
		expect(store.list(OWNER)).toHaveLength(1);
	});

	it('refuses a bad INS with a message naming the field, and stores nothing', () => {
		const result = store.save(OWNER, { ...PATIENT_PAT_TROIS, ins: '279035121518900' });
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.problems.map((p) => p.field)).toContain('ins');
		expect(store.list(OWNER)).toEqual([]);
	});

	it('never writes a name, a birth date or an INS in clear to the database file', () => {
		const saved = store.save(OWNER, PATIENT_PAT_TROIS);
		expect(saved.ok).toBe(true);
		store.saveAuthor(OWNER, AUTHOR_TEST);
		if (saved.ok) {
			store.recordSent(OWNER, {
				patientId: saved.value.id,
				document: { documentId: '1.2.3.4', setId: '1.2.3.5', version: 1, entryUuid: 'urn:uuid:x' },
				type: '11488-4',
				title: 'Consultation de DOMINIQUE',
				actDate: '2026-12-01',
				confidentiality: 'N',
				recipients: ['paul.durand@lab.mssante.test'],
				sentAt: Date.now()
			});
		}
		db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
		const bytes = dbBytes();
		expect(bytes.length).toBeGreaterThan(0);
		for (const clear of [
			'PAT-TROIS',
			'DOMINIQUE',
			'279035121518989',
			'1979-03-28',
			AUTHOR_TEST.rpps,
			'Consultation'
		]) {
			expect(bytes).not.toContain(clear);
		}
		// …and a store with another server secret cannot open them: skipped, and said so.
		const unreadable: string[] = [];
		const other = new PatientStore({
			db,
			secret: 'o'.repeat(40),
			onUnreadable: (table) => unreadable.push(table)
		});
		expect(other.list(OWNER)).toEqual([]);
		expect(other.author(OWNER)).toBeNull();
		expect(unreadable).toEqual(['patient', 'author_profile']);
	});

	it('keeps the author profile and the documents sent, for a replacement', () => {
		const bad = store.saveAuthor(OWNER, { ...AUTHOR_TEST, rpps: '12' });
		expect(bad.ok).toBe(false);
		if (!bad.ok) expect(bad.problems.map((p) => p.field)).toContain('rpps');
		expect(store.author(OWNER)).toBeNull();
		expect(store.saveAuthor(OWNER, AUTHOR_TEST).ok).toBe(true);
		expect(store.author(OWNER)?.rpps).toBe(AUTHOR_TEST.rpps);

		const document = { documentId: '1.2.9', setId: '1.2.8', version: 2, entryUuid: 'urn:uuid:y' };
		store.recordSent(OWNER, {
			patientId: 'p1',
			document,
			type: '11488-4',
			title: 'CR',
			actDate: '2026-12-01',
			confidentiality: 'R',
			recipients: [],
			sentAt: 1
		});
		expect(store.sentDocument(OWNER, '1.2.9')?.document).toEqual(document);
		expect(store.sentDocument('paul.durand@lab.mssante.test', '1.2.9')).toBeNull();
		expect(store.sentDocuments(OWNER, 'p1')).toHaveLength(1);
	});
});
