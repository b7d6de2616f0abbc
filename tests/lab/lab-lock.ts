/**
 * One lab operation at a time: the integration and e2e global setups, the demo and a developer's
 * `npm run lab` may all call startLab() at once, and two starts would rewrite the same configs.
 * A lock file holding the owner's pid; a lock whose owner died is taken over.
 */
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppError, ERROR_CODES } from '../../src/lib/server/errors.ts';
import { isAlive, sleep } from './process-utils.ts';

export async function withLabLock<T>(lockFile: string, action: () => Promise<T>): Promise<T> {
	await mkdir(dirname(lockFile), { recursive: true });
	const deadline = Date.now() + 180_000;
	for (;;) {
		try {
			const handle = await open(lockFile, 'wx');
			await handle.writeFile(`${process.pid}\n`);
			await handle.close();
			break;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			const owner = Number((await readFile(lockFile, 'utf8').catch(() => '')).trim());
			if (!owner || !isAlive(owner)) {
				await rm(lockFile, { force: true });
				continue;
			}
			if (Date.now() > deadline) {
				throw new AppError(ERROR_CODES.LAB_FAILED, `lab busy: ${lockFile} held by pid ${owner}`);
			}
			await sleep(200);
		}
	}
	try {
		return await action();
	} finally {
		await rm(lockFile, { force: true });
	}
}
