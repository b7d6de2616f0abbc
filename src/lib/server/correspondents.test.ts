import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { closeAppDbs, openAppDb } from './db/app-db.ts';
import { recordCorrespondents, suggestCorrespondents } from './correspondents.ts';

const db = openAppDb(mkdtempSync(path.join(tmpdir(), 'confrere-appdb-')));
afterAll(() => closeAppDbs());

test('remembers recipients per mailbox, most used first, matching accents-insensitively', () => {
	recordCorrespondents(db, 'me@lab.test', [
		{ address: 'Claire.Nguyen@lab.test', name: 'Claire NGUYÊN' }
	]);
	recordCorrespondents(db, 'me@lab.test', [{ address: 'paul.durand@lab.test' }]);
	recordCorrespondents(db, 'me@lab.test', [
		{ address: 'paul.durand@lab.test' },
		{ address: 'autre@lab.test' }
	]);
	recordCorrespondents(db, 'someone-else@lab.test', [{ address: 'secret@lab.test' }]);

	expect(suggestCorrespondents(db, 'me@lab.test', 'nguyen', 5).map((c) => c.address)).toEqual([
		'claire.nguyen@lab.test'
	]);
	expect(suggestCorrespondents(db, 'me@lab.test', 'lab.test', 5).map((c) => c.address)[0]).toBe(
		'paul.durand@lab.test'
	);
	expect(suggestCorrespondents(db, 'me@lab.test', 'secret', 5)).toEqual([]);
});

test('never keeps a patient address (an INS is health data)', () => {
	recordCorrespondents(db, 'me@lab.test', [{ address: '279035121518989@patient.mssante.fr' }]);
	expect(suggestCorrespondents(db, 'me@lab.test', 'patient', 5)).toEqual([]);
});
