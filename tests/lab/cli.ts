/**
 * npm run lab -- start | stop | status | reset | seed-big [--user <address>] [--count <n>]
 * Exit code 0 on success, 1 with a clear message on failure (e.g. which port is busy).
 */
import { isAppError } from '../../src/lib/server/errors.ts';
import { labStatus, readLabInfo, resetLab, startLab, stopLab, type LabInfo } from './lab.ts';
import { seedBigMailbox } from './seed/big-mailbox.ts';

const USAGE = `Usage: npm run lab -- <command>
  start      démarre le lab (Dovecot, Postfix, serveur CRL) / start the lab
  stop       arrête tout / stop everything
  status     état et ports / what runs, on which ports
  reset      efface le courrier et ré-ensemence / wipe mail and re-seed
  seed-big [--user <address>] [--count 100000]
             remplit une BAL pour les benchmarks / fill a mailbox for benchmarks`;

function printInfo(info: LabInfo): void {
	console.log(`IMAP   ${info.imap.host}:${info.imap.port} (STARTTLS), ${info.imap.tlsPort} (TLS)`);
	console.log(`SMTP   ${info.smtp.host}:${info.smtp.port} (STARTTLS), ${info.smtp.tlsPort} (TLS)`);
	console.log(`LMTP   127.0.0.1:${info.lmtpPort}   CRL ${info.crlUrl}`);
	console.log(`CA     ${info.caFile}`);
	console.log('Comptes / accounts (mot de passe / password in var/lab/lab.json):');
	for (const account of info.accounts) {
		console.log(`  ${account.kind}  ${account.address.padEnd(46)} ${account.displayName}`);
	}
}

async function printStatus(): Promise<boolean> {
	const status = await labStatus();
	for (const component of status.components) {
		const state = component.running
			? `en marche / running (pid ${component.pid ?? '?'})`
			: 'arrêté / stopped';
		console.log(`${component.name.padEnd(11)} ${state}`);
		for (const port of component.ports) {
			console.log(
				`  ${String(port.port).padEnd(6)} ${port.name.padEnd(24)} ${port.listening ? 'écoute / listening' : '-'}`
			);
		}
	}
	return status.running;
}

function option(args: string[], name: string): string | undefined {
	const index = args.indexOf(name);
	if (index < 0) return undefined;
	const value = args[index + 1];
	if (value === undefined || value.startsWith('--'))
		throw new Error(`${name} demande une valeur / needs a value`);
	return value;
}

async function main(args: string[]): Promise<number> {
	const log = (line: string) => console.log(line);
	switch (args[0]) {
		case 'start': {
			const info = await startLab({ log });
			printInfo(info);
			await printStatus();
			return 0;
		}
		case 'stop':
			await stopLab();
			console.log('Lab arrêté / lab stopped.');
			return 0;
		case 'status':
			return (await printStatus()) ? 0 : 3;
		case 'reset':
			printInfo(await resetLab({ log }));
			return 0;
		case 'seed-big': {
			const countText = option(args, '--count') ?? '100000';
			const count = Number(countText);
			if (!Number.isInteger(count) || count < 1)
				throw new Error(`--count: entier attendu (reçu "${countText}")`);
			const user = option(args, '--user');
			const result = await seedBigMailbox({
				info: readLabInfo(),
				count,
				...(user ? { user } : {}),
				log
			});
			console.log(
				`${result.count} messages dans ${result.user}/${result.folder} : écriture ${result.writeMs} ms, indexation ${result.indexMs} ms, ${(result.bytes / 1e6).toFixed(0)} Mo`
			);
			return 0;
		}
		default:
			console.log(USAGE);
			return args[0] === undefined || args[0] === 'help' || args[0] === '--help' ? 0 : 2;
	}
}

main(process.argv.slice(2)).then(
	(code) => process.exit(code),
	(error: unknown) => {
		const message = isAppError(error) || error instanceof Error ? error.message : String(error);
		console.error(`Erreur lab / lab error: ${message}`);
		process.exit(1);
	}
);
