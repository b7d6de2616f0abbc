import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAppDbs, openAppDb } from '../db/app-db.ts';
import {
	AUDIT_SCHEMA,
	AuditLog,
	auditCsvHeader,
	auditCsvRow,
	auditKey,
	type AuditEvent
} from './audit-log.ts';

const SECRET = 's'.repeat(40);
const DAY = 86_400_000;

function freshLog(now: () => number = Date.now): { db: DatabaseSync; log: AuditLog } {
	const db = new DatabaseSync(':memory:');
	db.exec(AUDIT_SCHEMA);
	return { db, log: new AuditLog({ db, key: auditKey(SECRET), now }) };
}

const READ: AuditEvent = {
	actor: 'psc:19900000001',
	mailbox: 'Jeanne.Martin@lab.mssante.test',
	action: 'read',
	request: 'UID FETCH 42 (INBOX)',
	outcome: 'ok',
	answer: 'OK'
};

describe('audit trail', () => {
	it('appends one chained entry per event and verifies the whole chain', () => {
		const { log } = freshLog();
		const first = log.record(READ);
		const second = log.record({ ...READ, action: 'send', request: 'SMTP 1 destinataire' });
		expect(first.seq).toBe(1);
		expect(second.seq).toBe(2);
		expect(second.hash).not.toBe(first.hash);
		expect(first.mailbox).toBe('jeanne.martin@lab.mssante.test');
		expect(log.query().total).toBe(2);
		expect(log.query({ action: 'send' }).entries.map((e) => e.seq)).toEqual([2]);
		expect(log.verify()).toEqual({ ok: true, entries: 2 });
	});

	it('refuses to update a row, or to delete one younger than the retention', () => {
		const { db, log } = freshLog();
		log.record(READ);
		expect(() => db.exec(`UPDATE audit_entry SET actor = 'someone else'`)).toThrow(/append-only/);
		expect(() => db.exec('DELETE FROM audit_entry')).toThrow(/retention/);
		expect(log.verify().ok).toBe(true);
	});

	it('detects a changed, a removed and an inserted entry even past the triggers', () => {
		const { db, log } = freshLog();
		for (let i = 0; i < 4; i++) log.record({ ...READ, request: `UID FETCH ${i}` });
		db.exec('DROP TRIGGER audit_entry_no_update; DROP TRIGGER audit_entry_no_early_delete;');

		db.exec(`UPDATE audit_entry SET request = 'UID FETCH 99' WHERE seq = 2`);
		expect(log.verify()).toMatchObject({ ok: false, brokenAt: 2, reason: 'entrée modifiée' });
		db.exec(`UPDATE audit_entry SET request = 'UID FETCH 1' WHERE seq = 2`);
		expect(log.verify().ok).toBe(true);

		db.exec('DELETE FROM audit_entry WHERE seq = 3');
		expect(log.verify()).toMatchObject({ ok: false, brokenAt: 3, reason: 'entrée manquante' });
	});

	it('cannot be re-sealed without the server secret', () => {
		const { db, log } = freshLog();
		log.record(READ);
		const forger = new AuditLog({ db, key: auditKey('f'.repeat(40)) });
		expect(forger.verify()).toMatchObject({ ok: false, brokenAt: 1 });
	});

	it('prunes past the retention and still verifies what is kept', () => {
		let now = Date.parse('2026-01-01T10:00:00Z');
		const { log } = freshLog(() => now);
		log.setRetention(30 * DAY);
		log.record(READ);
		log.record(READ);
		now += 40 * DAY;
		log.record({ ...READ, action: 'delete', request: 'UID MOVE 7 → Corbeille' });
		// The triggers compare with the real clock: prune runs on old fixed dates only here.
		expect(log.prune()).toBe(2);
		expect(log.query().entries.map((e) => e.seq)).toEqual([3]);
		expect(log.verify()).toEqual({ ok: true, entries: 1 });
		const next = log.record(READ);
		expect(next.seq).toBe(4);
		expect(log.verify()).toEqual({ ok: true, entries: 2 });
	});

	it('keeps fields to one bounded line and refuses unknown actions', () => {
		const { log } = freshLog();
		const entry = log.record({ ...READ, request: `a\r\nb${'x'.repeat(2000)}` });
		expect(entry.request.startsWith('a b')).toBe(true);
		expect(entry.request.length).toBe(500);
		expect(() => log.record({ ...READ, action: 'format-disk' as never })).toThrow(/inconnue/);
		expect(() => log.setRetention(1000)).toThrow(/au moins un jour/);
	});

	it('exports CSV in local time without formula injection', () => {
		const { log } = freshLog(() => Date.parse('2026-07-01T08:30:00Z'));
		const entry = log.record({ ...READ, actor: '=HYPERLINK("x")', answer: 'NO; refusé' });
		const row = auditCsvRow(entry);
		expect(auditCsvHeader()).toBe('seq;date;actor;mailbox;action;request;outcome;answer\r\n');
		expect(row).toContain('2026-07-01 10:30:00');
		expect(row).toContain(`"'=HYPERLINK(""x"")"`);
		expect(row).toContain('"NO; refusé"');
	});
});

describe('npm run audit', { timeout: 60_000 }, () => {
	const dirs: string[] = [];
	afterEach(() => {
		closeAppDbs();
		for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
	});

	function cli(args: string[], env: Record<string, string> = { SESSION_SECRET: SECRET }) {
		return spawnSync(process.execPath, [path.join(import.meta.dirname, 'cli.ts'), ...args], {
			env: { PATH: process.env.PATH ?? '', ...env },
			encoding: 'utf8'
		});
	}

	it('verifies the app database, exports it, and exits 1 once it is altered', () => {
		const dataDir = mkdtempSync(path.join(tmpdir(), 'audit-'));
		dirs.push(dataDir);
		const db = openAppDb(dataDir);
		const log = new AuditLog({ db, key: auditKey(SECRET) });
		log.record(READ);
		log.record({ ...READ, action: 'flag', request: 'UID STORE 42 +FLAGS (\\Flagged)' });

		const ok = cli(['verify', '--data-dir', dataDir]);
		expect(ok.status).toBe(0);
		expect(ok.stdout).toContain('2 entrées vérifiées');

		const csv = cli(['export', '--data-dir', dataDir]);
		expect(csv.status).toBe(0);
		expect(csv.stdout.trim().split('\r\n')).toHaveLength(3);

		expect(cli(['verify', '--data-dir', dataDir], {}).status).toBe(2);
		expect(cli(['export', '--data-dir', dataDir, '--from', '22/11/2026']).status).toBe(2);

		db.exec('DROP TRIGGER audit_entry_no_update');
		db.exec(`UPDATE audit_entry SET outcome = 'failure' WHERE seq = 1`);
		const broken = cli(['verify', '--data-dir', dataDir]);
		expect(broken.status).toBe(1);
		expect(broken.stderr).toContain('entrée n° 1');
	});
});
