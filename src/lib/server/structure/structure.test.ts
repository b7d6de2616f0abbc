import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeAppDbs, openAppDb } from '../db/app-db.ts';
import { Collaboration } from './collaboration.ts';
import { LocalAccounts, passwordProblem } from './local-accounts.ts';
import { StructureDirectory } from './members.ts';
import { Presence } from './presence.ts';
import { totp } from './totp.ts';

const SECRET = 'k'.repeat(40);
const ORG = 'secretariat@cabinet-martin.lab.mssante.test';
const RESP = 'psc:19900000001';
const SEC = 'local:a.secretaire';

let dir: string;
let db: DatabaseSync;

beforeEach(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'structure-'));
	db = openAppDb(dir);
});
afterEach(() => {
	closeAppDbs();
	rmSync(dir, { recursive: true, force: true });
});

function declared(): StructureDirectory {
	const structures = new StructureDirectory(db);
	structures.declare(
		{
			address: ORG.toUpperCase(),
			kind: 'ORG',
			displayName: 'Secrétariat — Cabinet médical Martin',
			accessMode: 'certificate'
		},
		RESP,
		{ member: RESP, displayName: 'Dr Jeanne MARTIN' }
	);
	return structures;
}

describe('structure mailboxes and roles', () => {
	it('declares a mailbox with its first responsable, and refuses a second declaration', () => {
		const structures = declared();
		expect(structures.get(ORG)).toMatchObject({ kind: 'ORG', accessMode: 'certificate' });
		expect(structures.roleOf(ORG, RESP)).toBe('responsable');
		expect(() => declared()).toThrow(/déjà déclarée/);
	});

	it('lets only a responsable manage members, and checks the role on every call', () => {
		const structures = declared();
		structures.addMember(
			{
				mailbox: ORG,
				member: SEC,
				displayName: 'Anne SECRÉTAIRE',
				role: 'secretaire',
				addedBy: RESP
			},
			RESP
		);
		expect(structures.require(ORG, SEC, 'write')).toBe('secretaire');
		expect(() =>
			structures.addMember(
				{
					mailbox: ORG,
					member: 'local:intrus',
					displayName: 'X',
					role: 'responsable',
					addedBy: SEC
				},
				SEC
			)
		).toThrow(/ne permet pas/);
		structures.changeRole(ORG, SEC, 'lecture', RESP);
		expect(() => structures.require(ORG, SEC, 'write')).toThrow(/Lecture seule/);
		structures.removeMember(ORG, SEC, RESP);
		expect(() => structures.require(ORG, SEC, 'read')).toThrow(/pas membre/);
		expect(structures.structuresOf(RESP).map((s) => s.role)).toEqual(['responsable']);
	});

	it('keeps at least one responsable and rejects bad member ids', () => {
		const structures = declared();
		expect(() => structures.removeMember(ORG, RESP, RESP)).toThrow(/au moins un responsable/);
		expect(() => structures.changeRole(ORG, RESP, 'secretaire', RESP)).toThrow(
			/au moins un responsable/
		);
		expect(() =>
			structures.addMember(
				{ mailbox: ORG, member: 'root', displayName: 'x', role: 'lecture', addedBy: RESP },
				RESP
			)
		).toThrow(/Identifiant de membre invalide/);
	});
});

describe('local accounts with TOTP', { timeout: 30_000 }, () => {
	it('refuses weak passwords with the reason', () => {
		expect(passwordProblem('court', 'anne')).toMatch(/12 caractères/);
		expect(passwordProblem('anne-Secret-2026', 'anne')).toMatch(/identifiant/);
		expect(passwordProblem('toutenminuscules', 'x.y')).toBeUndefined();
		expect(passwordProblem('minusculesseules', 'x.y')).toBeUndefined();
		expect(passwordProblem('abcdefghijkl', 'x.y')).toMatch(/trois types/);
	});

	it('signs in with password and a fresh code, once per code, one message for every failure', () => {
		const accounts = new LocalAccounts({ db, serverSecret: SECRET });
		const account = accounts.create({
			login: 'A.Secretaire',
			displayName: 'Anne SECRÉTAIRE',
			password: 'Cabinet-Martin-2026'
		});
		expect(account.login).toBe('a.secretaire');
		const stored = db.prepare('SELECT totp_secret, password_hash FROM local_account').get() as {
			totp_secret: string;
			password_hash: string;
		};
		expect(stored.totp_secret).not.toContain(account.totpSecret);
		expect(stored.password_hash).toMatch(/^scrypt\$/);

		const now = Date.now();
		const code = totp(account.totpSecret, now);
		expect(
			accounts.authenticate({ login: 'a.secretaire', password: 'Cabinet-Martin-2026', code, now })
		).toEqual({ member: SEC, displayName: 'Anne SECRÉTAIRE' });
		const failures = [
			{ login: 'a.secretaire', password: 'Cabinet-Martin-2026', code },
			{ login: 'a.secretaire', password: 'mauvais', code: totp(account.totpSecret, now + 30_000) },
			{ login: 'inconnu', password: 'Cabinet-Martin-2026', code }
		];
		for (const attempt of failures) {
			expect(() => accounts.authenticate({ ...attempt, now })).toThrow(
				'Identifiant, mot de passe ou code incorrect.'
			);
		}
		accounts.setDisabled('a.secretaire', true);
		expect(() =>
			accounts.authenticate({
				login: 'a.secretaire',
				password: 'Cabinet-Martin-2026',
				code: totp(account.totpSecret, now + 30_000),
				now: now + 30_000
			})
		).toThrow(/incorrect/);
		expect(() =>
			accounts.create({ login: 'a.secretaire', displayName: 'B', password: 'Cabinet-Martin-2027' })
		).toThrow(/déjà pris/);
	});
});

describe('collaboration on one message', () => {
	it('assigns and marks handled with who and when; a concurrent change is refused and explained', () => {
		let now = 1_000;
		const collab = new Collaboration({
			db,
			serverSecret: SECRET,
			now: () => now,
			displayName: (m) => (m === SEC ? 'Anne SECRÉTAIRE' : m)
		});
		const key = '<abc@lab.mssante.test>';
		const seen = collab.state(ORG, key);
		expect(seen.version).toBe(0);

		const first = collab.assign({
			mailbox: ORG,
			key,
			assignee: SEC,
			by: RESP,
			expectedVersion: seen.version
		});
		expect(first).toMatchObject({
			ok: true,
			state: { assignee: SEC, assignedBy: RESP, assignedAt: 1_000, version: 1 }
		});
		now = 2_000;
		// A second member acting on the stale state is told, and nothing is overwritten.
		const second = collab.assign({
			mailbox: ORG,
			key,
			assignee: RESP,
			by: RESP,
			expectedVersion: seen.version
		});
		expect(second).toMatchObject({
			ok: false,
			message: 'Entre-temps, ce message a été attribué à Anne SECRÉTAIRE.',
			current: { assignee: SEC }
		});

		const handled = collab.setHandled({
			mailbox: ORG,
			key,
			handled: true,
			by: SEC,
			expectedVersion: 1
		});
		expect(handled).toMatchObject({
			ok: true,
			state: { handledBy: SEC, handledAt: 2_000, version: 2 }
		});
		expect(collab.assignedTo(ORG, SEC)).toEqual([]);
		expect(collab.states(ORG, [key, '<other@x>']).get(key)?.version).toBe(2);
	});

	it('keeps notes sealed at rest and returns them in order', () => {
		const collab = new Collaboration({ db, serverSecret: SECRET });
		collab.addNote({ mailbox: ORG, key: '<n@x>', author: SEC, text: 'Rappeler le cabinet demain' });
		collab.addNote({ mailbox: ORG, key: '<n@x>', author: RESP, text: 'Fait.' });
		expect(collab.notes(ORG, '<n@x>').map((n) => n.text)).toEqual([
			'Rappeler le cabinet demain',
			'Fait.'
		]);
		const raw = db.prepare('SELECT body FROM message_note').all() as { body: string }[];
		expect(raw.every((r) => r.body.startsWith('sb1.') && !r.body.includes('Rappeler'))).toBe(true);
		expect(() => collab.addNote({ mailbox: ORG, key: '<n@x>', author: SEC, text: '   ' })).toThrow(
			/vide/
		);
	});
});

describe('presence', () => {
	it('shows the others on the same message and forgets the silent ones', () => {
		let now = 0;
		const presence = new Presence({ ttlMs: 45_000, now: () => now });
		presence.touch({ mailbox: ORG, key: 'k', member: RESP, displayName: 'Dr MARTIN' });
		now = 10_000;
		expect(
			presence
				.touch({ mailbox: ORG, key: 'k', member: SEC, displayName: 'Anne' })
				.map((v) => v.displayName)
		).toEqual(['Dr MARTIN']);
		now = 50_000;
		expect(presence.touch({ mailbox: ORG, key: 'k', member: SEC, displayName: 'Anne' })).toEqual(
			[]
		);
		presence.leave({ mailbox: ORG, key: 'k', member: SEC });
		expect(presence.viewers(ORG, 'k')).toEqual([]);
	});
});
