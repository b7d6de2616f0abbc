/**
 * End-to-end setup: Chromium (Debian's package), the lab, a fresh production build of the webmail
 * started against the lab. The URL and the lab's accounts reach the tests through `inject`.
 */
import type { TestProject } from 'vitest/node';
import { ensureDemoDirectory } from '../../annuaire-import/demo-data.ts';
import { startLab } from '../lab/lab.ts';
import { ensureDebianPackages } from '../setup/system-deps.ts';
import { buildApp, APP_DATA_DIR, startAppServer, type AppServer } from '../support/app-server.ts';

let server: AppServer | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	ensureDebianPackages(['chromium']);
	const lab = await startLab();
	await ensureDemoDirectory(APP_DATA_DIR);
	if (process.env.CONFRERE_SKIP_BUILD !== '1') await buildApp();
	server = await startAppServer({
		lab,
		stdio: 'inherit',
		env: { UNDO_SEND_SECONDS: '2' }
	});
	project.provide('baseUrl', server.url);
	return async () => {
		await server?.stop();
	};
}

declare module 'vitest' {
	export interface ProvidedContext {
		baseUrl: string;
	}
}
