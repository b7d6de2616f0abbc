import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeAppDbs, openAppDb } from '../db/app-db.ts';
import { parseMessage } from '../mail/mime/parse.ts';
import { composeMessage, type OutgoingMessage } from '../mail/smtp/compose.ts';
import { readXdmPackage } from '../mssante/index.ts';
import {
	AUTHOR_TEST,
	PATIENT_CORSE,
	PATIENT_PAT_TROIS,
	tinyPdf
} from '../mssante/testing/fixtures.ts';
import { emptyHealthValues, prepareHealthMessage, type HealthValues } from './health-message.ts';
import { PatientStore, type StoredPatient } from './store.ts';

const OWNER = 'jeanne.martin@lab.mssante.test';
let dir: string;
let store: PatientStore;
let qualified: StoredPatient;
let provisional: StoredPatient;

function saved(input: unknown): StoredPatient {
	const result = store.save(OWNER, input);
	if (!result.ok) throw new Error(JSON.stringify(result.problems));
	return result.value;
}

beforeEach(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'health-message-'));
	store = new PatientStore({ db: openAppDb(dir), secret: 'h'.repeat(40) });
	store.saveAuthor(OWNER, { ...AUTHOR_TEST, mailbox: OWNER });
	qualified = saved(PATIENT_PAT_TROIS);
	provisional = saved({
		...PATIENT_CORSE,
		identityStatus: 'provisoire',
		ins: undefined,
		insOid: undefined
	});
});
afterEach(() => {
	closeAppDbs();
	rmSync(dir, { recursive: true, force: true });
});

function message(over: Partial<OutgoingMessage> = {}): OutgoingMessage {
	return {
		from: { address: OWNER, displayName: 'Dr Jeanne MARTIN' },
		to: ['paul.durand@lab.mssante.test'],
		cc: [],
		bcc: [],
		subject: 'ignoré',
		text: 'Cher confrère, voici le compte rendu.',
		attachments: [],
		requestDeliveryReceipt: false,
		requestReadReceipt: false,
		mssNil: 'DEV-CONFRERE',
		...over
	};
}

function values(over: Partial<HealthValues>): HealthValues {
	return {
		...emptyHealthValues(),
		withDocument: true,
		type: '11488-4',
		title: 'Consultation de cardiologie',
		actDate: '2026-11-30',
		...over
	};
}

async function prepare(v: HealthValues, m = message(), pdf: Uint8Array | null = tinyPdf()) {
	return prepareHealthMessage({ store, owner: OWNER, values: v, pdf, message: m });
}

describe('prepareHealthMessage', () => {
	it('composes the XDM subject, the X-MSS headers, the archive and the named PDF', async () => {
		const result = await prepare(values({ patientId: qualified.id }));
		expect(result.errors).toBeNull();
		if (result.errors) return;
		const composed = await composeMessage(result.prepared.message);
		const parsed = await parseMessage(composed.raw);
		expect(parsed.subject).toBe(
			'XDM/1.0/DDM+Consultation de cardiologie PAT-TROIS DOMINIQUE 28/03/1979'
		);
		expect(parsed.headers.get('x-mss-codecda')).toBe('11488-4');
		expect(parsed.headers.get('x-mss-ins')).toBe('O');
		expect(parsed.headers.get('x-mss-nil')).toBe('DEV-CONFRERE');
		expect(parsed.headers.has('x-mss-mes')).toBe(false);
		expect(composed.raw.toString('latin1')).toMatch(/^X-MSS-CODECDA: 11488-4\r$/m);
		expect(parsed.text?.trim()).toBe('Cher confrère, voici le compte rendu.');
		expect(parsed.attachments.map((a) => [a.filename, a.contentType])).toEqual([
			['IHE_XDM.ZIP', 'application/zip'],
			[
				'20261130_CR_ou_fiche_de_consultation_ou_de_visite_PAT-TROIS_DOMINIQUE.pdf',
				'application/pdf'
			]
		]);
		const read = readXdmPackage(new Uint8Array(parsed.attachments[0]!.content));
		const document = read.submissionSets[0]?.documents[0];
		expect(document?.patient.ins).toBe('279035121518989');
		expect(document?.hashOk).toBe(true);
		expect(result.prepared.sent?.document.version).toBe(1);
	});

	it('composes a document sent without any message text', async () => {
		const result = await prepare(values({ patientId: qualified.id }), message({ text: '' }));
		if (result.errors) throw new Error(JSON.stringify(result.errors));
		const parsed = await parseMessage((await composeMessage(result.prepared.message)).raw);
		expect(parsed.attachments).toHaveLength(2);
	});

	it('carries no INS for an identity that is not qualified (X-MSS-INS: N)', async () => {
		const result = await prepare(values({ patientId: provisional.id }));
		expect(result.errors).toBeNull();
		if (result.errors) return;
		expect(result.prepared.message.extraHeaders?.['X-MSS-INS']).toBe('N');
		expect(result.prepared.package?.cda).not.toContain('1.2.250.1.213.1.4.10');
	});

	it('writes to the patient only from a qualified INS, with X-MSS-MES: FIN on request', async () => {
		const ok = await prepare({
			...emptyHealthValues(),
			patientId: qualified.id,
			writeToPatient: true,
			patientCannotReply: true
		});
		expect(ok.errors).toBeNull();
		if (ok.errors) return;
		expect(ok.prepared.message.to).toEqual([
			'paul.durand@lab.mssante.test',
			'279035121518989@patient.mssante.fr'
		]);
		expect(ok.prepared.message.extraHeaders).toEqual({ 'X-MSS-MES': 'FIN' });
		expect(ok.prepared.message.subject).toBe('ignoré');

		const refused = await prepare({
			...emptyHealthValues(),
			patientId: provisional.id,
			writeToPatient: true
		});
		expect(refused.errors?.writeToPatient).toMatch(/pas qualifiée/);
	});

	it('refuses a document with another patient among the recipients (one patient per message)', async () => {
		const result = await prepare(
			values({ patientId: qualified.id }),
			message({ cc: ['188102b17295165@patient.mssante.fr'] })
		);
		expect(result.errors?.patientId).toMatch(/un seul patient/);
	});

	it('names the missing fields and the missing author profile', async () => {
		const result = await prepare(
			values({ patientId: qualified.id, type: '', title: '' }),
			message(),
			null
		);
		expect(Object.keys(result.errors ?? {}).sort()).toEqual(['pdf', 'title', 'type']);
		store = new PatientStore({ db: openAppDb(dir), secret: 'h'.repeat(40) });
		const other = await prepareHealthMessage({
			store,
			owner: 'paul.durand@lab.mssante.test',
			values: values({ patientId: qualified.id }),
			pdf: tinyPdf(),
			message: message()
		});
		expect(other.errors?.patientId).toMatch(/plus dans votre liste/);
	});

	it('replaces a sent document: same setId, version + 1, RPLC', async () => {
		const first = await prepare(values({ patientId: qualified.id }));
		if (first.errors || !first.prepared.sent) throw new Error('first failed');
		store.recordSent(OWNER, { ...first.prepared.sent, sentAt: Date.now() });
		const id = first.prepared.sent.document.documentId;
		const second = await prepare(values({ patientId: qualified.id, replaces: id }));
		if (second.errors) throw new Error(JSON.stringify(second.errors));
		const doc = second.prepared.sent!.document;
		expect(doc.setId).toBe(first.prepared.sent.document.setId);
		expect(doc.version).toBe(2);
		expect(second.prepared.package?.cda).toContain('typeCode="RPLC"');
		expect(second.prepared.package?.metadata).toContain('urn:ihe:iti:2007:AssociationType:RPLC');

		const wrongPatient = await prepare(values({ patientId: provisional.id, replaces: id }));
		expect(wrongPatient.errors?.patientId).toMatch(/même patient/);
	});

	it('keeps a message to a patient under 25 MB', async () => {
		const big = Buffer.alloc(20 * 1024 * 1024, 1);
		const result = await prepare(
			{ ...emptyHealthValues(), patientId: qualified.id, writeToPatient: true },
			message({
				attachments: [{ filename: 'a.bin', contentType: 'application/octet-stream', content: big }]
			})
		);
		expect(result.errors?.size).toMatch(/25 Mo/);
	});
});
