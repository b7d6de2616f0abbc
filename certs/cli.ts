/**
 * `npm run mss -- probe <imap|imaps|smtp|smtps>://host:port [--anchors <dir>] [--data-dir <dir>]`
 * Exit status: 0 when the server passes every rule, 1 when it does not (reason printed in
 * French), 2 for a usage or configuration error. Framework-free, runs under plain Node 24.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isAppError } from '../src/lib/server/errors.ts';
import { loadAnchors } from './anchors.ts';
import { probe } from './probe.ts';
import { formatProbeReport } from './probe-report.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));

const USAGE = `Usage : npm run mss -- probe <imap|imaps|smtp|smtps>://hôte:port [options]

  --anchors <dossier>   autorités de confiance (PEM/DER) ; défaut : certs/anchors/
  --data-dir <dossier>  cache des LCR ; défaut : $CONFRERE_DATA_DIR ou var/data
  --timeout <ms>        délai d'attente de chaque réponse (défaut 15000)
`;

async function main(argv: string[]): Promise<number> {
	let parsed;
	try {
		parsed = parseArgs({
			args: argv,
			allowPositionals: true,
			options: {
				anchors: { type: 'string' },
				'data-dir': { type: 'string' },
				timeout: { type: 'string' },
				help: { type: 'boolean', short: 'h' }
			}
		});
	} catch (error) {
		process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
		return 2;
	}
	const { values, positionals } = parsed;
	const [command, url, ...extra] = positionals;
	if (values.help) {
		process.stdout.write(USAGE);
		return 0;
	}
	if (command !== 'probe' || !url || extra.length > 0) {
		process.stderr.write(USAGE);
		return 2;
	}
	const timeoutMs = values.timeout === undefined ? undefined : Number(values.timeout);
	if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0)) {
		process.stderr.write(
			`--timeout : nombre de millisecondes attendu, reçu « ${values.timeout} ».\n`
		);
		return 2;
	}
	const anchorsDir = values.anchors ?? `${REPO}certs/anchors`;
	const dataDir = values['data-dir'] ?? process.env.CONFRERE_DATA_DIR ?? `${REPO}var/data`;
	try {
		const anchors = await loadAnchors(anchorsDir);
		const report = await probe({
			target: url,
			anchors,
			dataDir,
			...(timeoutMs ? { timeoutMs } : {})
		});
		process.stdout.write(formatProbeReport(report));
		return report.isOk ? 0 : 1;
	} catch (error) {
		const text = isAppError(error)
			? `[${error.code}] ${error.message}`
			: `inattendue : ${error instanceof Error ? error.message : String(error)}`;
		process.stderr.write(`Erreur ${text}\n`);
		return 2;
	}
}

process.exitCode = await main(process.argv.slice(2));
