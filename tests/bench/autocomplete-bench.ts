/**
 * Recipient autocomplete in the browser: Debian's Chromium types queries letter by letter into the
 * composer's « À » field; each sample is the time from the keystroke to the suggestion list
 * rendered for that prefix (debounce, request, directory search, render — everything the user
 * waits for). Run against a directory index given by `dataDir` (the national-size one of the
 * annuaire bench).
 */
import { readLabInfo, startLab } from '../lab/lab.ts';
import { launchBrowser } from '../e2e/browser.ts';
import { signIn } from '../e2e/support.ts';
import { startAppServer } from '../support/app-server.ts';
import { summarize, type Summary } from './stats.ts';

const QUERIES = [
	'martin',
	'dupont lyon',
	'nguyen',
	'ortho paris',
	'lefevre',
	'kine bordeaux',
	'bernard'
];

export async function runAutocompleteBench(options: {
	dataDir: string;
}): Promise<{ keystrokeToList: Summary }> {
	await startLab();
	const lab = readLabInfo();
	const server = await startAppServer({
		lab,
		stdio: 'ignore',
		env: { CONFRERE_DATA_DIR: options.dataDir }
	});
	const browser = await launchBrowser();
	const samples: number[] = [];
	try {
		const page = await (await browser.newContext()).newPage();
		const account = lab.accounts.find((a) => a.address.startsWith('jeanne.martin@'))!;
		await signIn(page, server.url, account);
		await page.goto(`${server.url}${new URL(page.url()).pathname.replace(/\/INBOX$/, '')}/ecrire`);
		const field = page.getByLabel('À', { exact: true });
		// Warm-up: the first search opens the index (facet arrays loaded once).
		await field.pressSequentially('ma');
		await page.locator('input[data-suggested="ma"]').waitFor({ timeout: 30_000 });
		// Timed inside the page (keydown → the list rendered for that prefix), so the numbers carry no
		// browser-automation overhead.
		await page.evaluate(() => {
			const w = window as unknown as { __keyAt: number; __samples: number[] };
			w.__samples = [];
			const input = document.querySelector<HTMLInputElement>('input[name="a"]')!;
			input.addEventListener('keydown', () => (w.__keyAt = performance.now()));
			new MutationObserver(() => w.__samples.push(performance.now() - w.__keyAt)).observe(input, {
				attributes: true,
				attributeFilter: ['data-suggested']
			});
		});
		for (const query of QUERIES) {
			await field.fill('');
			for (let i = 0; i < query.length; i++) {
				const prefix = query.slice(0, i + 1);
				await page.keyboard.type(query[i]!);
				if (prefix.trim().length < 2 || prefix.endsWith(' ')) continue;
				await page.locator(`input[data-suggested="${prefix.trim()}"]`).waitFor({ timeout: 10_000 });
			}
		}
		samples.push(
			...(await page.evaluate(() => (window as unknown as { __samples: number[] }).__samples))
		);
	} finally {
		await browser.close();
		await server.stop();
	}
	return { keystrokeToList: summarize(samples) };
}
