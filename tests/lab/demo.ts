/**
 * `npm run demo`: the lab, then the webmail built and started against it, with the demo accounts
 * printed. Ctrl-C stops the webmail; `npm run lab -- stop` stops the lab.
 */
import { ensureDemoDirectory } from '../../annuaire-import/demo-data.ts';
import { startLab } from './lab.ts';
import { buildApp, isBuilt, APP_DATA_DIR, startAppServer } from '../support/app-server.ts';

const log = (line: string) => console.log(line);
const lab = await startLab({ log });
// A small fictional Annuaire Santé (with the lab's practitioners) so the directory has something to find.
await ensureDemoDirectory(APP_DATA_DIR);
// Always rebuild (a few seconds) so the demo never serves stale code; --no-build skips it.
if (!isBuilt() || !process.argv.includes('--no-build')) await buildApp(log);
const port = Number(process.env.PORT ?? 5173);
const server = await startAppServer({
	lab,
	port,
	host: process.env.HOST ?? '127.0.0.1',
	stdio: 'inherit',
	env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' }
});

console.log(`
Confrère est prêt : ${server.url}

Comptes de démonstration (mot de passe : ${lab.accounts[0]?.password ?? ''}, ou Pro Santé Connect) :
${lab.accounts
	.filter((a) => a.kind === 'PER')
	.map((a) => `  ${a.address.padEnd(44)} ${a.displayName}`)
	.join('\n')}

Boîtes de structure (certificat seulement) : jeanne.martin@ est administratrice ; importez
var/lab/pki/clients/cabinet-martin-secretariat.p12 (mot de passe Confrere-Test-P12) sur
/admin/certificats, puis ouvrez la boîte depuis le sélecteur de boîtes.

Ctrl-C arrête le webmail ; « npm run lab -- stop » arrête le laboratoire (Dovecot, Postfix).
`);

const shutdown = () => {
	void server.stop().finally(() => process.exit(0));
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
