/**
 * Seeds the demo mail through IMAP APPEND (keeps internal dates and flags, and exercises the
 * real server), then shares the secretariat INBOX with Dr Martin through the ACL plugin
 * (RFC 4314) so the shared namespace has something to show.
 */
import { readFileSync } from 'node:fs';
import { ImapFlow } from 'imapflow';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { LabInfo } from '../lab.ts';
import { CABINET_DOMAIN, LAB_DOMAIN, type LabPaths } from '../lab-settings.ts';
import { run } from '../process-utils.ts';
import { demoMessages, type SeedMessage } from './demo-messages.ts';

export interface SeedResult {
	messages: number;
	mailboxes: string[];
	seededAt: string;
}

/**
 * TLS client certificate and key of a certificate-only lab mailbox (ECO.1.3.1), from the test PKI;
 * undefined for a password mailbox.
 */
export function labClientCertificate(
	info: LabInfo,
	address: string
): { cert: string; key: string } | undefined {
	const account = info.accounts.find((a) => a.address === address);
	if (!account?.certificateOnly) return undefined;
	const files = info.pki.clients.find((c) => c.mailbox === account.address);
	if (!files) throw new Error(`no client certificate for ${address} in the test PKI`);
	return { cert: readFileSync(files.certFile, 'utf8'), key: readFileSync(files.keyFile, 'utf8') };
}

/**
 * An imapflow client for a lab account that trusts only the lab CA (as ECO.1.1.10 demands). A
 * certificate-only mailbox presents its ORG AUTH_CLI certificate, its address as login.
 */
export function labImapClient(info: LabInfo, address: string): ImapFlow {
	const account = info.accounts.find((a) => a.address === address);
	if (!account) throw new Error(`unknown lab account ${address}`);
	const certificate = labClientCertificate(info, address);
	return new ImapFlow({
		host: info.imap.host,
		port: info.imap.tlsPort,
		secure: true,
		auth: { user: account.address, pass: certificate ? account.address : account.password },
		tls: { ca: [readFileSync(info.caFile, 'utf8')], ...(certificate ?? {}) },
		logger: false
	});
}

async function appendAll(info: LabInfo, owner: string, messages: SeedMessage[]): Promise<void> {
	const client = labImapClient(info, owner);
	await client.connect();
	try {
		for (const message of messages) {
			const raw = await new MailComposer(message.mail).compile().build();
			await client.append(message.folder, raw, message.flags, message.date);
		}
	} finally {
		await client.logout();
	}
}

export async function seedLab(options: { info: LabInfo; paths: LabPaths }): Promise<SeedResult> {
	const { info, paths } = options;
	const byOwner = new Map<string, SeedMessage[]>();
	for (const message of demoMessages()) {
		const list = byOwner.get(message.owner) ?? [];
		list.push(message);
		byOwner.set(message.owner, list);
	}
	for (const [owner, messages] of byOwner) {
		// Oldest first, as they would have arrived.
		messages.sort((a, b) => a.date.getTime() - b.date.getTime());
		await appendAll(info, owner, messages);
	}
	await run('doveadm', [
		'-c',
		paths.dovecotConf,
		'acl',
		'set',
		'-u',
		`secretariat@${CABINET_DOMAIN}`,
		'INBOX',
		`user=jeanne.martin@${LAB_DOMAIN}`,
		'lookup',
		'read',
		'write',
		'write-seen',
		'write-deleted',
		'insert',
		'expunge'
	]);
	return {
		messages: demoMessages().length,
		mailboxes: [...byOwner.keys()],
		seededAt: new Date().toISOString()
	};
}
