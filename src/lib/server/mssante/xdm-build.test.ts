import { describe, expect, it } from 'vitest';
import { buildXdmPackage, assertOnePatient } from './xdm-build.ts';
import { readCda } from './cda-read.ts';
import { readMetadata } from './metadata-read.ts';
import { sha1Hex } from './ids.ts';
import { AUTHOR_TEST, PATIENT_CORSE, PATIENT_PAT_TROIS, tinyPdf } from './testing/fixtures.ts';
import { bytes, entriesOf, text } from './testing/zip-tools.ts';

const base = {
	pdf: tinyPdf(),
	patient: PATIENT_PAT_TROIS,
	author: AUTHOR_TEST,
	type: '11488-4',
	title: 'Compte rendu de consultation',
	date: '20240115'
};

describe('buildXdmPackage', () => {
	it('writes the IHE_XDM tree, a consistent METADATA.XML and the mail headers', async () => {
		const pkg = await buildXdmPackage(base);
		const entries = entriesOf(pkg.zip);
		expect(Object.keys(entries).sort()).toEqual([
			'IHE_XDM/SUBSET01/DOC0001.XML',
			'IHE_XDM/SUBSET01/METADATA.XML',
			'INDEX.HTM',
			'README.TXT'
		]);
		const doc = entries['IHE_XDM/SUBSET01/DOC0001.XML']!;
		const meta = readMetadata(entries['IHE_XDM/SUBSET01/METADATA.XML']!, 'METADATA.XML');
		const entry = meta.documents[0]!;
		expect(entry.hash).toBe(sha1Hex(doc));
		expect(entry.size).toBe(doc.byteLength);
		expect(entry.uri).toBe('DOC0001.XML');
		expect(entry.typeCode).toBe('11488-4');
		expect(entry.classCode).toBe('10');
		expect(entry.formatCode).toBe('urn:ihe:iti:xds-sd:pdf:2008');
		expect(entry.patientId?.raw).toBe('279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH');
		expect(entry.uniqueId).toMatch(/^2\.25\.[0-9]+$/);
		expect(entry.uniqueId!.length).toBeLessThanOrEqual(64);
		expect(entry.sourcePatient).toMatchObject({
			birthName: 'PAT-TROIS',
			firstName: 'DOMINIQUE',
			birthDate: '1979-03-28',
			sex: 'F',
			birthPlace: '51215'
		});
		expect(meta.submissionSets[0]?.patientId?.raw).toBe(entry.patientId?.raw);
		expect(meta.associations).toEqual([
			{ type: 'HasMember', source: meta.submissionSets[0]!.entryUuid, target: entry.entryUuid }
		]);

		// ECO.2.1.5: the PDF copy is identical to the PDF inside the N1 CDA.
		const cda = readCda(doc, 'DOC0001.XML');
		expect(Buffer.from(cda.body.bytes!).equals(Buffer.from(pkg.pdf))).toBe(true);
		expect(cda.id).toBe(entry.uniqueId);
		expect(cda.version).toBe(1);
		expect(pkg.pdfName).toBe(
			'20240115_CR_ou_fiche_de_consultation_ou_de_visite_PAT-TROIS_DOMINIQUE.pdf'
		);
		expect(pkg.subject).toBe(
			'XDM/1.0/DDM+Compte rendu de consultation PAT-TROIS DOMINIQUE 28/03/1979'
		);
		expect(pkg.headers).toEqual({ 'X-MSS-CODECDA': '11488-4', 'X-MSS-INS': 'O' });
		expect(text(entries['README.TXT'])).toContain('Confrère');
		expect(text(entries['INDEX.HTM'])).toContain('href="IHE_XDM/SUBSET01/DOC0001.XML"');
	});

	it('replaces a document sent before (RPLC): same setId, next version, parentDocument and association', async () => {
		const first = await buildXdmPackage(base);
		const second = await buildXdmPackage({
			...base,
			title: 'Compte rendu corrigé',
			replaces: first.document
		});
		const entries = entriesOf(second.zip);
		const cda = readCda(entries['IHE_XDM/SUBSET01/DOC0001.XML']!, 'DOC0001.XML');
		expect(cda.setId).toBe(first.document.setId);
		expect(cda.version).toBe(2);
		expect(cda.replaces).toBe(first.document.documentId);
		expect(cda.id).not.toBe(first.document.documentId);
		const meta = readMetadata(entries['IHE_XDM/SUBSET01/METADATA.XML']!, 'METADATA.XML');
		expect(meta.associations).toContainEqual({
			type: 'RPLC',
			source: second.document.entryUuid,
			target: first.document.entryUuid
		});
	});

	it('carries no INS for a non-qualified identity (EXI SI 08) and says so in X-MSS-INS', async () => {
		const pkg = await buildXdmPackage({
			...base,
			patient: { ...PATIENT_PAT_TROIS, identityStatus: 'validee' }
		});
		expect(pkg.headers['X-MSS-INS']).toBe('N');
		expect(pkg.cda).not.toContain('279035121518989');
		expect(pkg.metadata).not.toContain('279035121518989');
		expect(pkg.document.patientId).toMatch(/\^PI$/);
	});

	it('keeps Corsica matricules and builds the patient address elsewhere from them', async () => {
		const pkg = await buildXdmPackage({ ...base, patient: PATIENT_CORSE });
		expect(pkg.document.patientId).toBe('188102B17295165^^^&1.2.250.1.213.1.4.10&ISO^NH');
	});

	it('refuses bad input naming the field, before writing anything', async () => {
		await expect(
			buildXdmPackage({ ...base, pdf: bytes('<html>not a pdf</html>') })
		).rejects.toMatchObject({ details: { field: 'pdf' } });
		await expect(buildXdmPackage({ ...base, type: '99999-9' })).rejects.toMatchObject({
			details: { field: 'type' }
		});
		await expect(buildXdmPackage({ ...base, date: '20240230' })).rejects.toMatchObject({
			details: { field: 'date' }
		});
		await expect(buildXdmPackage({ ...base, title: '  ' })).rejects.toMatchObject({
			details: { field: 'title' }
		});
		await expect(
			buildXdmPackage({ ...base, patient: { ...PATIENT_PAT_TROIS, ins: '279035121518988' } })
		).rejects.toMatchObject({
			code: 'PATIENT_INVALID'
		});
		await expect(
			buildXdmPackage({ ...base, author: { ...AUTHOR_TEST, rpps: 'x' } })
		).rejects.toMatchObject({ code: 'AUTHOR_INVALID' });
	});

	it('escapes what the user typed', async () => {
		const pkg = await buildXdmPackage({ ...base, title: 'A <b>&</b> "B" \u0001' });
		expect(pkg.cda).toContain('<title>A &lt;b&gt;&amp;&lt;/b&gt; "B" </title>');
	});

	it('enforces one patient per message (ECO.2.1.1)', async () => {
		const a = await buildXdmPackage(base);
		const b = await buildXdmPackage({ ...base, patient: PATIENT_CORSE });
		expect(() => assertOnePatient([a, a])).not.toThrow();
		expect(() => assertOnePatient([a, b])).toThrow(/un seul patient/);
	});
});
