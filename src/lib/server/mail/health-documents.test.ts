import { Readable } from 'node:stream';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AttachmentInfo } from '../../mail-types.ts';
import { buildXdmPackage } from '../mssante/xdm-build.ts';
import { AUTHOR_TEST, PATIENT_PAT_TROIS, tinyPdf } from '../mssante/testing/fixtures.ts';
import { bytes, entriesOf, text, withDocument, zipOf } from '../mssante/testing/zip-tools.ts';
import type { Session } from '../session/store.ts';

const streamPart = vi.fn<(...args: unknown[]) => Promise<{ content: Readable }>>();
vi.mock('./imap/message.ts', () => ({ streamPart: (...args: unknown[]) => streamPart(...args) }));
vi.mock('./mailbox-access.ts', () => ({ mailboxConnection: () => ({}) }));

const {
	MAX_XDM_BYTES,
	documentAt,
	loadHealthDocuments,
	patientSender,
	readArchive,
	readCapped,
	TooLargeError
} = await import('./health-documents.ts');

const DOC = 'IHE_XDM/SUBSET01/DOC0001.XML';
const attachment = { partId: '2', filename: 'IHE_XDM.ZIP' };

async function validZip(): Promise<Uint8Array> {
	const pkg = await buildXdmPackage({
		pdf: tinyPdf(),
		patient: PATIENT_PAT_TROIS,
		author: AUTHOR_TEST,
		type: '11488-4',
		title: 'Compte rendu de consultation',
		date: '20240115'
	});
	return pkg.zip;
}

async function withCda(change: (cda: string) => string): Promise<Uint8Array> {
	const e = entriesOf(await validZip());
	return zipOf(withDocument(e, change(text(e[DOC]))));
}

describe('readArchive', () => {
	it('summarises a valid package: banner, document, PDF view, CDA', async () => {
		const archive = readArchive(attachment, await validZip());
		const s = archive.summary;
		expect(s.warnings).toEqual([]);
		expect(s.patient).toEqual({
			birthName: 'PAT-TROIS',
			firstName: 'DOMINIQUE',
			birthDate: '1979-03-28',
			sex: 'F',
			ins: '279035121518989',
			oid: '1.2.250.1.213.1.4.10',
			oidLabel: 'INS-NIR de test',
			warnings: []
		});
		const doc = s.submissionSets[0]!.documents[0]!;
		expect(doc).toMatchObject({
			index: 0,
			typeCode: '11488-4',
			mimeType: 'text/xml',
			hashOk: true,
			sizeOk: true,
			view: 'pdf',
			hasFile: true,
			warnings: []
		});
		expect(doc.title).toBeTruthy();
		expect(doc.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		expect(doc.author).toContain('EXEMPLE');
		// The summary carries no bytes; the document itself does.
		expect(JSON.stringify(s)).not.toContain('%PDF');
		expect(archive.documents[0]!.content?.isPdf).toBe(true);
	});

	it('numbers documents after those of earlier archives', async () => {
		const archive = readArchive(attachment, await validZip(), 3);
		expect(archive.summary.submissionSets[0]!.documents[0]!.index).toBe(3);
		expect(documentAt({ view: { archives: [] }, archives: [archive] }, 0)).toBe(
			archive.documents[0]
		);
	});

	it('puts a wrong INS key in the banner', async () => {
		const zip = await withCda((cda) => cda.replace('279035121518989', '279035121518988'));
		const s = readArchive(attachment, zip).summary;
		const warnings = s.patient!.warnings.join(' ');
		expect(warnings).toMatch(/clé du matricule INS/);
		expect(warnings).toMatch(/INS du document diffère/);
		expect(s.submissionSets[0]!.documents[0]!.warnings).toEqual([]);
	});

	it('puts traits disagreeing between the CDA and the metadata in the banner', async () => {
		const zip = await withCda((cda) =>
			cda.replace('<birthTime value="19790328"/>', '<birthTime value="19790329"/>')
		);
		const s = readArchive(attachment, zip).summary;
		expect(s.patient!.warnings.join(' ')).toMatch(/Traits du patient.*date de naissance/);
	});

	it('shows a structured body as HTML', async () => {
		const zip = await withCda((cda) =>
			cda.replace(
				/<component>\s*<nonXMLBody>[\s\S]*<\/nonXMLBody>\s*<\/component>/,
				'<component><structuredBody><component><section><title>Conclusion</title><text><paragraph>RAS</paragraph></text></section></component></structuredBody></component>'
			)
		);
		const a = readArchive(attachment, zip);
		expect(a.summary.submissionSets[0]!.documents[0]!.view).toBe('html');
		expect(a.documents[0]!.narrativeHtml).toContain('RAS');
	});

	it('flags a document altered after the metadata were written', async () => {
		const e = entriesOf(await validZip());
		const altered = zipOf({ ...e, [DOC]: bytes(text(e[DOC]).replace('</title>', ' </title>')) });
		const doc = readArchive(attachment, altered).summary.submissionSets[0]!.documents[0]!;
		expect(doc.hashOk).toBe(false);
		expect(doc.warnings.join(' ')).toMatch(/empreinte/);
	});

	it.each([
		['not a ZIP', () => Promise.resolve(bytes('ceci n’est pas une archive'))],
		['a ZIP without METADATA.XML', () => Promise.resolve(zipOf({ 'A.TXT': bytes('a') }))],
		[
			'a zip bomb',
			async () =>
				zipOf({ ...entriesOf(await validZip()), 'IHE_XDM/BIG.XML': new Uint8Array(3 << 20) }, 9)
		],
		[
			'an XML bomb in the metadata',
			async () => {
				const lol = Array.from(
					{ length: 9 },
					(_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`
				).join('');
				const bomb = `<?xml version="1.0"?><!DOCTYPE m [<!ENTITY l0 "lol">${lol}]><m>&l9;</m>`;
				return zipOf({
					...entriesOf(await validZip()),
					'IHE_XDM/SUBSET01/METADATA.XML': bytes(bomb)
				});
			}
		]
	])('turns %s into a French warning, never a crash', async (_label, make) => {
		const s = readArchive(attachment, await make()).summary;
		expect(s.warnings.length).toBeGreaterThan(0);
		expect(s.warnings.join(' ')).toMatch(/archive|METADATA|XML|document/i);
	});

	it('ignores a traversal entry name with a warning', async () => {
		const zip = zipOf({ ...entriesOf(await validZip()), '../../evil.XML': bytes('<x/>') });
		const s = readArchive(attachment, zip).summary;
		expect(s.submissionSets[0]!.documents[0]!.hashOk).toBe(true);
		expect(s.warnings.length).toBeGreaterThan(0);
	});

	it('reports an archive that was not downloaded', () => {
		const s = readArchive(attachment, { problem: 'Trop gros.' }).summary;
		expect(s.warnings).toEqual(['Trop gros.']);
		expect(s.submissionSets).toEqual([]);
	});
});

describe('readCapped', () => {
	it('reads up to the cap', async () => {
		const out = await readCapped(Readable.from([Buffer.from('abc'), Buffer.from('de')]), 5);
		expect(Buffer.from(out).toString()).toBe('abcde');
	});

	it('stops past the cap and destroys the stream', async () => {
		const stream = Readable.from([Buffer.alloc(4), Buffer.alloc(4), Buffer.alloc(4)]);
		await expect(readCapped(stream, 6)).rejects.toBeInstanceOf(TooLargeError);
		expect(stream.destroyed).toBe(true);
	});
});

describe('loadHealthDocuments', () => {
	const session = { key: `s-${Math.random()}` } as Session;
	const xdm = (size: number, partId = '2'): AttachmentInfo => ({
		partId,
		filename: 'ihe_xdm.zip',
		contentType: 'application/zip',
		size,
		isInline: false
	});

	beforeEach(() => streamPart.mockReset());

	it('is null without an IHE_XDM attachment and downloads nothing', async () => {
		const ref = { mailboxId: 'b1', folder: 'INBOX', uid: 1 };
		const other = { ...xdm(10), filename: 'compte-rendu.pdf' };
		await expect(loadHealthDocuments(session, ref, { attachments: [other] })).resolves.toBeNull();
		expect(streamPart).not.toHaveBeenCalled();
	});

	it('downloads once per message (page and document route share it)', async () => {
		const zip = await validZip();
		streamPart.mockImplementation(() =>
			Promise.resolve({ content: Readable.from([Buffer.from(zip)]) })
		);
		const ref = { mailboxId: 'b1', folder: 'INBOX', uid: 2 };
		const message = { attachments: [xdm(zip.byteLength)] };
		const first = await loadHealthDocuments(session, ref, message);
		const second = await loadHealthDocuments(session, ref, message);
		expect(second).toBe(first);
		expect(streamPart).toHaveBeenCalledTimes(1);
		expect(first!.view.archives[0]!.patient!.birthName).toBe('PAT-TROIS');
	});

	it('does not download an archive announced above the cap, and stops one that grows past it', async () => {
		const big = await loadHealthDocuments(
			session,
			{ mailboxId: 'b1', folder: 'INBOX', uid: 3 },
			{ attachments: [xdm(MAX_XDM_BYTES + 1)] }
		);
		expect(streamPart).not.toHaveBeenCalled();
		expect(big!.view.archives[0]!.warnings[0]).toMatch(/dépasse 30 Mo/);

		streamPart.mockImplementation(() =>
			Promise.resolve({
				content: Readable.from(
					(function* () {
						for (let i = 0; i < 40; i++) yield Buffer.alloc(1 << 20);
					})()
				)
			})
		);
		const lying = await loadHealthDocuments(
			session,
			{ mailboxId: 'b1', folder: 'INBOX', uid: 4 },
			{ attachments: [xdm(1000)] }
		);
		expect(lying!.view.archives[0]!.warnings[0]).toMatch(/dépasse 30 Mo/);
	});

	it('turns a failed download into a warning, and does not keep it', async () => {
		streamPart.mockRejectedValueOnce(new Error('connexion perdue'));
		const ref = { mailboxId: 'b1', folder: 'INBOX', uid: 5 };
		const message = { attachments: [xdm(100)] };
		const failed = await loadHealthDocuments(session, ref, message);
		expect(failed!.view.archives[0]!.warnings[0]).toMatch(/n’a pas pu être téléchargée/);
		const zip = await validZip();
		streamPart.mockImplementation(() =>
			Promise.resolve({ content: Readable.from([Buffer.from(zip)]) })
		);
		const again = await loadHealthDocuments(session, ref, message);
		expect(again!.archives[0]!.documents).toHaveLength(1);
	});
});

describe('patientSender', () => {
	const view = (ins: string) => ({
		archives: [
			{
				partId: '2',
				filename: 'IHE_XDM.ZIP',
				patient: { ins, birthName: 'PAT-TROIS', firstName: 'DOMINIQUE', warnings: [] },
				submissionSets: [],
				warnings: []
			}
		]
	});
	const from = { name: '', address: '279035121518989@patient.mssante.fr' };

	it('names the patient only from an XDM with the same INS', () => {
		expect(patientSender(from, view('279035121518989'))).toEqual({
			matricule: '279035121518989',
			birthName: 'PAT-TROIS',
			firstName: 'DOMINIQUE'
		});
		expect(patientSender(from, view('188102B17295165'))).toEqual({
			matricule: '279035121518989'
		});
		expect(patientSender(from, null)).toEqual({ matricule: '279035121518989' });
	});

	it('is null for a professional address', () => {
		expect(patientSender({ name: '', address: 'paul.durand@lab.mssante.test' }, null)).toBeNull();
		expect(patientSender(null, null)).toBeNull();
	});
});
