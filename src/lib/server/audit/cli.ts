/**
 * `npm run audit -- verify | export`: check the audit trail's hash chain, or export it as CSV.
 *   verify [--data-dir <dir>]
 *   export [--data-dir <dir>] [--from AAAA-MM-JJ] [--to AAAA-MM-JJ] [--actor <id>] [--mailbox <adresse>]
 * Needs the server secret (`SESSION_SECRET`, as for the app): the chain is keyed from it.
 * Exit codes: 0 chain intact / export written, 1 chain broken or failure, 2 bad usage.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openAppDb } from '../db/app-db.ts';
import { isAppError } from '../errors.ts';
import { AuditLog, auditCsvHeader, auditCsvRow, auditKey, parisDayStart } from './audit-log.ts';

const USAGE = `Usage :
  npm run audit -- verify [--data-dir <dossier>]
  npm run audit -- export [--data-dir <dossier>] [--from AAAA-MM-JJ] [--to AAAA-MM-JJ] [--actor <id>] [--mailbox <adresse>]`;

function day(value: string | undefined, name: string): number | undefined {
	if (value === undefined) return undefined;
	const at = parisDayStart(value);
	if (at === null) {
		throw new UsageError(`--${name} : date attendue au format AAAA-MM-JJ (reçu « ${value} »).`);
	}
	return at;
}

class UsageError extends Error {}

function main(argv: string[]): number {
	const [command, ...rest] = argv;
	const { values } = parseArgs({
		args: rest,
		options: {
			'data-dir': { type: 'string' },
			from: { type: 'string' },
			to: { type: 'string' },
			actor: { type: 'string' },
			mailbox: { type: 'string' }
		}
	});
	const secret = process.env.SESSION_SECRET;
	if (!secret) throw new UsageError('SESSION_SECRET est nécessaire : la chaîne d’audit en dépend.');
	const dataDir = path.resolve(values['data-dir'] ?? process.env.CONFRERE_DATA_DIR ?? 'var/data');
	const log = new AuditLog({ db: openAppDb(dataDir), key: auditKey(secret) });
	if (command === 'verify') {
		const report = log.verify();
		if (report.ok) {
			process.stdout.write(`Journal d’audit intact : ${report.entries} entrées vérifiées.\n`);
			return 0;
		}
		process.stderr.write(
			`Journal d’audit altéré : ${report.reason ?? 'incohérence'} à l’entrée n° ${report.brokenAt} (${report.entries} entrées valides avant).\n`
		);
		return 1;
	}
	if (command === 'export') {
		const filter = {
			from: day(values.from, 'from'),
			to: day(values.to, 'to'),
			actor: values.actor,
			mailbox: values.mailbox
		};
		process.stdout.write(auditCsvHeader());
		for (const entry of log.iterate(filter)) process.stdout.write(auditCsvRow(entry));
		return 0;
	}
	throw new UsageError(USAGE);
}

try {
	process.exitCode = main(process.argv.slice(2));
} catch (error) {
	if (error instanceof UsageError) {
		process.stderr.write(`${error.message}\n`);
		process.exitCode = 2;
	} else {
		process.stderr.write(`${isAppError(error) ? error.message : String(error)}\n`);
		process.exitCode = 1;
	}
}
