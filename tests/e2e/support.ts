/** Shared steps of the end-to-end tests. */
import type { Page } from 'playwright-core';
import { readLabInfo, type LabAccount } from '../lab/lab.ts';

export function labAccount(prefix: string): LabAccount {
	const account = readLabInfo().accounts.find((a) => a.address.startsWith(prefix));
	if (!account) throw new Error(`lab account ${prefix} missing`);
	return account;
}

export async function signIn(
	page: Page,
	baseUrl: string,
	account: { address: string; password: string }
): Promise<void> {
	await page.goto(`${baseUrl}/connexion`);
	await page.getByLabel('Adresse MSSanté').fill(account.address);
	await page.getByLabel('Mot de passe').fill(account.password);
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await page.waitForURL(/\/bal\/[^/]+\/INBOX$/, { waitUntil: 'domcontentloaded' });
}
