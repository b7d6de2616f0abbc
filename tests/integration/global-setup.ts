/** Integration tests run against the real lab: start it (idempotent) before the first file. */
import { startLab } from '../lab/lab.ts';

export default async function setup(): Promise<void> {
	await startLab();
}
