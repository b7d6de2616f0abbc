/**
 * A health message as the composer builds it (prepareHealthMessage + composeMessage), submitted
 * through the lab's real Postfix and read back from the recipient's INBOX over IMAP: the reader of
 * `npm run xdm -- read` finds the right patient and verified hashes, and the X-MSS headers and the
 * subject arrive as composed (ECO.2.1.1–2.1.6, 2.4.1, 2.4.2).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { closeAppDbs, openAppDb } from '../../src/lib/server/db/app-db.ts';
import { rootLogger } from '../../src/lib/server/log.ts';
import { MailboxConnection } from '../../src/lib/server/mail/imap/connection.ts';
import { parseMessage } from '../../src/lib/server/mail/mime/parse.ts';
import { composeMessage } from '../../src/lib/server/mail/smtp/compose.ts';
import { submitMessage } from '../../src/lib/server/mail/smtp/transport.ts';
import { readXdmPackage, toJsonSummary } from '../../src/lib/server/mssante/index.ts';
import {
	AUTHOR_TEST,
	PATIENT_PAT_TROIS,
	tinyPdf
} from '../../src/lib/server/mssante/testing/fixtures.ts';
import {
	emptyHealthValues,
	prepareHealthMessage
} from '../../src/lib/server/patients/health-message.ts';
import { PatientStore } from '../../src/lib/server/patients/store.ts';
import { readLabInfo, type LabAccount, type LabInfo } from '../lab/lab.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'confrere-health-'));
let lab: LabInfo;
let sender: LabAccount;
let recipient: LabAccount;
let inbox: MailboxConnection;

function account(prefix: string): LabAccount {
	const found = lab.accounts.find((a) => a.address.startsWith(prefix));
	if (!found) throw new Error(`missing lab account ${prefix}`);
	return found;
}

beforeAll(() => {
	lab = readLabInfo();
	sender = account('jeanne.martin@');
	recipient = account('paul.durand@');
	inbox = new MailboxConnection({
		endpoint: { host: lab.imap.host, port: lab.imap.port, security: 'starttls' },
		auth: { kind: 'password', user: recipient.address, password: recipient.password },
		anchors: [readFileSync(lab.caFile, 'utf8')],
		dataDir,
		logger: rootLogger
	});
});

afterAll(async () => {
	await inbox?.close();
	closeAppDbs();
	rmSync(dataDir, { recursive: true, force: true });
});

test('a health document sent through the lab reads back with its patient and hash OK', async () => {
	const store = new PatientStore({ db: openAppDb(dataDir), secret: 'i'.repeat(40) });
	store.saveAuthor(sender.address, { ...AUTHOR_TEST, mailbox: sender.address });
	const saved = store.save(sender.address, PATIENT_PAT_TROIS);
	if (!saved.ok) throw new Error('patient refused');
	const title = `Compte rendu intégration ${Date.now()}`;
	const prepared = await prepareHealthMessage({
		store,
		owner: sender.address,
		values: {
			...emptyHealthValues(),
			patientId: saved.value.id,
			withDocument: true,
			type: '11488-4',
			title,
			actDate: '2026-11-30'
		},
		pdf: tinyPdf('Compte rendu'),
		message: {
			from: { address: sender.address, displayName: 'Dr_Jeanne_MARTIN' },
			to: [recipient.address],
			cc: [],
			bcc: [],
			subject: '',
			text: 'Cher confrère,\r\nle compte rendu de votre patiente.',
			attachments: [],
			requestDeliveryReceipt: false,
			requestReadReceipt: false,
			mssNil: 'CONFRERE-TEST'
		}
	});
	if (prepared.errors) throw new Error(JSON.stringify(prepared.errors));
	const composed = await composeMessage(prepared.prepared.message);
	await submitMessage({
		endpoint: { host: lab.smtp.host, port: lab.smtp.port, security: 'starttls' },
		auth: { kind: 'password', user: sender.address, password: sender.password },
		anchors: [readFileSync(lab.caFile, 'utf8')],
		dataDir,
		raw: composed.raw,
		envelope: composed.envelope,
		dsn: null
	});
	let uid: number | undefined;
	for (let i = 0; i < 100 && uid === undefined; i++) {
		uid = await inbox.inFolder('INBOX', async (client) => {
			const found = await client.search(
				{ header: { 'message-id': composed.messageId } },
				{ uid: true }
			);
			return (found || [])[0];
		});
		if (uid === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
	}
	if (uid === undefined) throw new Error('not delivered');
	const source = await inbox.inFolder('INBOX', async (client) => {
		const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
		return message ? message.source : undefined;
	});
	if (!source) throw new Error('no source');
	const received = await parseMessage(source);
	expect(received.subject).toBe(`XDM/1.0/DDM+${title} PAT-TROIS DOMINIQUE 28/03/1979`);
	expect(received.headers.get('x-mss-codecda')).toBe('11488-4');
	expect(received.headers.get('x-mss-ins')).toBe('O');
	expect(received.headers.get('x-mss-nil')).toBe('CONFRERE-TEST');
	const zip = received.attachments.find((a) => a.filename === 'IHE_XDM.ZIP');
	const pdf = received.attachments.find((a) => a.filename.endsWith('.pdf'));
	expect(Buffer.from(pdf!.content).equals(Buffer.from(tinyPdf('Compte rendu')))).toBe(true);

	const summary = toJsonSummary(readXdmPackage(new Uint8Array(zip!.content)));
	expect(summary.warnings).toEqual([]);
	const document = summary.submissionSets[0]!.documents[0]!;
	expect(document.hashOk).toBe(true);
	expect(document.patient).toMatchObject({
		ins: '279035121518989',
		oid: '1.2.250.1.213.1.4.10',
		birthName: 'PAT-TROIS',
		firstName: 'DOMINIQUE',
		birthDate: '1979-03-28'
	});
});
