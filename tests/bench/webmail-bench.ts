/**
 * The webmail benchmark against the lab with a 100 000-message INBOX, through HTTP exactly as a
 * browser asks (full SSR pages, the message body frame, the event stream).
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { ImapFlow } from 'imapflow';
import { createTransport } from 'nodemailer';
import { startLab, type LabInfo } from '../lab/lab.ts';
import { seedBigMailbox } from '../lab/seed/big-mailbox.ts';
import { buildApp, startAppServer } from '../support/app-server.ts';
import { BenchClient } from './http-client.ts';
import { round, summarize, timed, type Summary } from './stats.ts';

export interface WebmailBenchReport {
	inboxMessages: number;
	firstPageAfterSignIn: Summary;
	signInThenFirstPage: Summary;
	changePageWarm: Summary;
	changeFolderWarm: Summary;
	openMessage100k: Summary;
	openMessage100kWithBody: Summary;
	newMailToEvent: Summary;
	subjectSearch: Summary;
	headerSearch: Summary;
	memoryPerIdleMailboxKb: number;
	mailViewJsGzipKb: number;
}

function benchAccount(lab: LabInfo) {
	const account = lab.accounts.find((a) => a.address.startsWith('bench@'));
	if (!account) throw new Error('the lab has no bench@ account');
	return account;
}

function imapFor(lab: LabInfo, user: string, pass: string): ImapFlow {
	return new ImapFlow({
		host: lab.imap.host,
		port: lab.imap.port,
		secure: false,
		doSTARTTLS: true,
		tls: { ca: [readFileSync(lab.caFile, 'utf8')] },
		auth: { user, pass },
		logger: false
	});
}

/** Fills the bench INBOX up to `target` messages (once; later runs reuse it). */
async function ensureBigInbox(
	lab: LabInfo,
	target: number,
	log: (line: string) => void
): Promise<number> {
	const account = benchAccount(lab);
	const client = imapFor(lab, account.address, account.password);
	await client.connect();
	const status = await client.status('INBOX', { messages: true });
	await client.logout();
	const existing = status ? (status.messages ?? 0) : 0;
	if (existing < target) {
		log(`Filling ${account.address} INBOX: ${existing} → ${target} messages…`);
		await seedBigMailbox({ info: lab, user: account.address, count: target - existing, log });
	}
	return Math.max(existing, target);
}

async function uidsOfLargeMessages(lab: LabInfo, count: number): Promise<number[]> {
	const account = benchAccount(lab);
	const client = imapFor(lab, account.address, account.password);
	await client.connect();
	const lock = await client.getMailboxLock('INBOX');
	try {
		const found = await client.search({ larger: 80_000, smaller: 160_000 }, { uid: true });
		return (found || []).slice(-count);
	} finally {
		lock.release();
		await client.logout();
	}
}

function rssKb(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	return Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
}

async function jsGzipKb(client: BenchClient, html: string): Promise<number> {
	const urls = new Set<string>();
	// SvelteKit writes relative paths (../../_app/…): modulepreload links and the start imports.
	for (const match of html.matchAll(/(?:href="|import\(")(?:\.\.?\/)*(_app\/[^"]+\.js)"/g)) {
		urls.add(`/${match[1]!}`);
	}
	let bytes = 0;
	for (const url of urls) bytes += gzipSync(await client.get(url)).length;
	return round(bytes / 1024);
}

export async function runWebmailBench(options: {
	messages?: number;
	iterations?: number;
	build?: boolean;
	log?: (line: string) => void;
}): Promise<WebmailBenchReport> {
	const log = options.log ?? console.log;
	const iterations = options.iterations ?? 30;
	const lab = await startLab({ log });
	const inboxMessages = await ensureBigInbox(lab, options.messages ?? 100_000, log);
	if (options.build !== false) await buildApp(log);
	const server = await startAppServer({
		lab,
		stdio: 'ignore',
		env: { LOG_LEVEL: 'warn', UNDO_SEND_SECONDS: '0' }
	});
	const account = benchAccount(lab);
	try {
		// Warm-up: Dovecot's index and caches for the bench INBOX, the app's code paths.
		const warm = new BenchClient(server.url);
		const inbox = await warm.signIn(account.address, account.password);
		for (let i = 0; i < 3; i++) await warm.get(inbox);

		log('first page after sign-in…');
		const firstPage: number[] = [];
		const signInAndFirst: number[] = [];
		for (let i = 0; i < iterations; i++) {
			const client = new BenchClient(server.url);
			const signIn = await timed(() => client.signIn(account.address, account.password));
			const page = await timed(() => client.get(signIn.value));
			firstPage.push(page.ms);
			signInAndFirst.push(signIn.ms + page.ms);
			// Dovecot limits connections per user and IP (the lab allows 50, like a real operator).
			await client.signOut();
		}

		log('warm page and folder changes…');
		const changePage: number[] = [];
		for (let i = 0; i < iterations; i++) {
			const page = 2 + Math.floor(Math.random() * Math.floor(inboxMessages / 50 - 2));
			changePage.push((await timed(() => warm.get(`${inbox}?page=${page}`))).ms);
		}
		const changeFolder: number[] = [];
		for (let i = 0; i < iterations; i++) {
			const target = i % 2 === 0 ? inbox.replace(/INBOX$/, 'Sent') : inbox;
			changeFolder.push((await timed(() => warm.get(target))).ms);
		}

		log('opening 100 KB messages…');
		const open: number[] = [];
		const openWithBody: number[] = [];
		for (const uid of await uidsOfLargeMessages(lab, iterations)) {
			const page = await timed(() => warm.get(`${inbox}/${uid}`));
			const body = await timed(() => warm.get(`${inbox}/${uid}/contenu`));
			open.push(page.ms);
			openWithBody.push(page.ms + body.ms);
		}

		log('searching the 100 000 messages…');
		const mailbox = inbox.replace(/\/INBOX$/, '');
		const subjectSearch: number[] = [];
		const headerSearch: number[] = [];
		for (let i = 0; i < 10; i++) {
			const dossier = 1000 + Math.floor(Math.random() * 9000);
			subjectSearch.push(
				(await timed(() => warm.get(`${mailbox}/recherche?objet=dossier+${dossier}&dossier=INBOX`)))
					.ms
			);
			headerSearch.push(
				(await timed(() => warm.get(`${mailbox}/recherche?q=dossier+${dossier}&dossier=INBOX`))).ms
			);
		}

		log('new mail to the page…');
		const transport = createTransport({
			host: lab.smtp.host,
			port: lab.smtp.port,
			requireTLS: true,
			tls: { ca: [readFileSync(lab.caFile, 'utf8')] },
			auth: { user: account.address, pass: account.password }
		});
		const push: number[] = [];
		for (let i = 0; i < 5; i++) {
			push.push(
				await warm.firstEvent(`/api${inbox.replace(/\/INBOX$/, '')}/evenements`, async () => {
					await transport.sendMail({
						from: account.address,
						to: account.address,
						subject: `Mesure push ${i}`,
						text: 'Message de mesure.'
					});
				})
			);
		}
		transport.close();

		log('memory per idle signed-in mailbox…');
		const pid = server.process.pid!;
		const before = rssKb(pid);
		const sessions = 40;
		for (let i = 0; i < sessions; i++) {
			const client = new BenchClient(server.url);
			await client.get(await client.signIn(account.address, account.password));
		}
		await new Promise((resolve) => setTimeout(resolve, 2_000));
		const memoryPerIdleMailboxKb = round((rssKb(pid) - before) / sessions);

		const mailViewJsGzipKb = await jsGzipKb(warm, await warm.get(inbox));

		return {
			inboxMessages,
			firstPageAfterSignIn: summarize(firstPage),
			signInThenFirstPage: summarize(signInAndFirst),
			changePageWarm: summarize(changePage),
			changeFolderWarm: summarize(changeFolder),
			openMessage100k: summarize(open),
			openMessage100kWithBody: summarize(openWithBody),
			newMailToEvent: summarize(push),
			subjectSearch: summarize(subjectSearch),
			headerSearch: summarize(headerSearch),
			memoryPerIdleMailboxKb,
			mailViewJsGzipKb
		};
	} finally {
		await server.stop();
	}
}
