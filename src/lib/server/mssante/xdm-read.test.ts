import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildXdmPackage } from './xdm-build.ts';
import { readXdmPackage } from './xdm-read.ts';
import { toJsonSummary } from './xdm-summary.ts';
import { readCda } from './cda-read.ts';
import { AUTHOR_TEST, PATIENT_PAT_TROIS, tinyPdf } from './testing/fixtures.ts';
import { bytes, entriesOf, text, withDocument, zipOf, type Entries } from './testing/zip-tools.ts';

// Reference material beside the checkout (CI has ../shared next to the repository).
const REF = resolve(process.cwd(), '../shared/xdm-reference');
const NHIND = `${REF}/DirectProject-nhin-d/java`;
const ANS = `${REF}/ansforge-TestContenuCDA-3-0/ExemplesCDA`;

async function ourPackage(): Promise<Entries> {
	const pkg = await buildXdmPackage({
		pdf: tinyPdf(),
		patient: PATIENT_PAT_TROIS,
		author: AUTHOR_TEST,
		type: '11488-4',
		title: 'Compte rendu de consultation',
		date: '20240115'
	});
	return entriesOf(pkg.zip);
}

const rename = (e: Entries, f: (name: string) => string): Entries =>
	Object.fromEntries(Object.entries(e).map(([k, v]) => [f(k), v]));

describe('readXdmPackage', () => {
	it('reads back what we build, hash and traits checked', async () => {
		const r = readXdmPackage(zipOf(await ourPackage()));
		expect(r.warnings).toEqual([]);
		const doc = r.submissionSets[0]!.documents[0]!;
		expect(doc).toMatchObject({
			typeCode: '11488-4',
			mimeType: 'text/xml',
			hashOk: true,
			sizeOk: true
		});
		expect(doc.patient).toEqual({
			ins: '279035121518989',
			oid: '1.2.250.1.213.1.4.10',
			oidLabel: 'INS-NIR de test',
			birthName: 'PAT-TROIS',
			firstName: 'DOMINIQUE',
			sex: 'F',
			birthDate: '1979-03-28',
			birthPlace: '51215'
		});
		expect(doc.content?.isPdf).toBe(true);
		expect(doc.warnings).toEqual([]);
	});

	it.each([
		['lower-case names', (n: string) => n.toLowerCase()],
		['an extra top folder', (n: string) => `envoi/${n}`],
		['backslash separators', (n: string) => n.replace(/\//g, '\\')],
		['no IHE_XDM level', (n: string) => n.replace('IHE_XDM/', '')]
	])('tolerates %s', async (_label, f) => {
		const r = readXdmPackage(zipOf(rename(await ourPackage(), f)));
		expect(r.submissionSets).toHaveLength(1);
		expect(r.submissionSets[0]!.documents[0]!.hashOk).toBe(true);
	});

	it('reads the DirectProject sample with an extra top folder and mixed case', () => {
		const r = readXdmPackage(readFileSync(`${NHIND}/xd-common/src/test/resources/samplexdm.zip`));
		const doc = r.submissionSets[0]!.documents[0]!;
		expect(doc).toMatchObject({ typeCode: '34133-9', title: 'Physical', hashOk: true });
		expect(doc.patient).toMatchObject({
			birthName: 'Doe',
			firstName: 'John',
			sex: 'M',
			birthDate: '1956-05-27'
		});
	});

	it('reads the legacy DirectProject sample: backslashes, no IHE_XDM, short HasMember, no URI/size', () => {
		const r = readXdmPackage(readFileSync(`${NHIND}/xdmail/src/test/resources/samplexdm.zip`));
		const doc = r.submissionSets[0]!.documents[0]!;
		expect(doc.path).toBe('SUBSET01/DOCUMENT.xml');
		expect(doc.hashOk).toBe(false);
		expect(doc.warnings.join(' ')).toMatch(/hash/);
		expect(doc.patient.birthName).toBe('Doe');
	});

	it('flags a wrong hash and a wrong size', async () => {
		const e = await ourPackage();
		const doc = e['IHE_XDM/SUBSET01/DOC0001.XML']!;
		const tampered = bytes(
			text(doc).replace('Compte rendu de consultation', 'Compte rendu de consultatiom')
		);
		const r = readXdmPackage(zipOf({ ...e, 'IHE_XDM/SUBSET01/DOC0001.XML': tampered }));
		const d = r.submissionSets[0]!.documents[0]!;
		expect(d.hashOk).toBe(false);
		expect(d.warnings.join(' ')).toMatch(/empreinte/i);
		const longer = bytes(`${text(doc)} `);
		const d2 = readXdmPackage(zipOf({ ...e, 'IHE_XDM/SUBSET01/DOC0001.XML': longer }))
			.submissionSets[0]!.documents[0]!;
		expect(d2.sizeOk).toBe(false);
	});

	it('warns when the traits disagree between the CDA and the metadata, or the INS key is wrong', async () => {
		const e = await ourPackage();
		const cda = text(e['IHE_XDM/SUBSET01/DOC0001.XML']);
		const r = readXdmPackage(
			zipOf(
				withDocument(
					e,
					cda.replace('<birthTime value="19790328"/>', '<birthTime value="19790329"/>')
				)
			)
		);
		expect(toJsonSummary(r).warnings.join(' ')).toMatch(/date de naissance/);
		const wrongKey = readXdmPackage(
			zipOf(withDocument(e, cda.replace('279035121518989', '279035121518988')))
		);
		const warnings = toJsonSummary(wrongKey).warnings.join(' ');
		expect(warnings).toMatch(/clé du matricule INS/);
		expect(warnings).toMatch(/INS du document diffère/);
	});

	it('refuses broken base64 and a non-PDF posing as a PDF, with a warning', async () => {
		const e = await ourPackage();
		const cda = text(e['IHE_XDM/SUBSET01/DOC0001.XML']);
		const broken = cda.replace(/(representation="B64">)[A-Za-z0-9+/]{8}/, '$1!!!*@@@');
		const d1 = readXdmPackage(zipOf(withDocument(e, broken))).submissionSets[0]!.documents[0]!;
		expect(d1.content).toBeUndefined();
		expect(d1.warnings.join(' ')).toMatch(/base64/);
		const html = Buffer.from('<html><script>alert(1)</script></html>').toString('base64');
		const fake = cda.replace(/(representation="B64">)[^<]+/, `$1${html}`);
		const d2 = readXdmPackage(zipOf(withDocument(e, fake))).submissionSets[0]!.documents[0]!;
		expect(d2.content).toBeUndefined();
		expect(d2.warnings.join(' ')).toMatch(/n'en est pas un/);
	});

	it('renders a structured (N3) body as inert HTML', async () => {
		const e = await ourPackage();
		const cda = text(e['IHE_XDM/SUBSET01/DOC0001.XML']).replace(
			/<component>\s*<nonXMLBody>[\s\S]*<\/nonXMLBody>\s*<\/component>/,
			'<component><structuredBody><component><section><title>Conclusion</title><text><paragraph>RAS</paragraph></text></section></component></structuredBody></component>'
		);
		const d = readXdmPackage(zipOf(withDocument(e, cda))).submissionSets[0]!.documents[0]!;
		expect(d.narrativeHtml).toBe('<section><h2>Conclusion</h2><div><p>RAS</p></div></section>');
		expect(d.content).toBeUndefined();
	});

	it('never resolves a DTD: external entity and billion laughs are refused before parsing', async () => {
		const e = await ourPackage();
		const cda = text(e['IHE_XDM/SUBSET01/DOC0001.XML']);
		const xxe = cda
			.replace(
				'<?xml version="1.0" encoding="UTF-8"?>',
				'<?xml version="1.0"?><!DOCTYPE ClinicalDocument [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
			)
			.replace('<title>', '<title>&x;');
		const d1 = readXdmPackage(zipOf(withDocument(e, xxe))).submissionSets[0]!.documents[0]!;
		expect(d1.warnings.join(' ')).toMatch(/DOCTYPE/);
		expect(JSON.stringify(d1.cda ?? {})).not.toContain('root:');
		const lol = Array.from(
			{ length: 9 },
			(_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`
		).join('');
		const bomb = `<?xml version="1.0"?><!DOCTYPE m [<!ENTITY l0 "lol">${lol}]><m>&l9;</m>`;
		const r = readXdmPackage(zipOf({ ...e, 'IHE_XDM/SUBSET01/METADATA.XML': bytes(bomb) }));
		expect(r.submissionSets).toEqual([]);
		expect(r.warnings.join(' ')).toMatch(/DOCTYPE/);
	});

	it('refuses zip bombs by size and by ratio', async () => {
		const zeros = new Uint8Array(3 * 1024 * 1024);
		const bomb = zipOf({ ...(await ourPackage()), 'IHE_XDM/SUBSET01/BIG.XML': zeros }, 9);
		expect(() => readXdmPackage(bomb)).toThrow(/compression|taille/);
		const limits = {
			maxArchiveBytes: 1e9,
			maxEntries: 10,
			maxEntryBytes: 1024 * 1024,
			maxTotalBytes: 1e9,
			maxRatio: 1e9
		};
		expect(() => readXdmPackage(bomb, { limits })).toThrow(
			expect.objectContaining({ code: 'XDM_UNSAFE' })
		);
		const many: Entries = {};
		for (let i = 0; i < 20; i++) many[`f${i}.txt`] = bytes('x');
		expect(() => readXdmPackage(zipOf(many), { limits })).toThrow(/trop d'entrées/);
	});

	it('ignores traversal and absolute entry names with a warning, and never writes', async () => {
		const e = await ourPackage();
		const r = readXdmPackage(
			zipOf({
				...e,
				'../../evil.XML': bytes('<x/>'),
				'/etc/METADATA.XML': bytes('<x/>'),
				'C:/x.txt': bytes('x')
			})
		);
		expect(r.submissionSets).toHaveLength(1);
		expect(r.warnings.filter((w) => /refusée/.test(w))).toHaveLength(3);
	});

	it('refuses what is not a ZIP or has no METADATA.XML, without crashing', () => {
		expect(() => readXdmPackage(bytes('PK not really a zip'))).toThrow(
			expect.objectContaining({ code: 'XDM_INVALID' })
		);
		expect(() => readXdmPackage(zipOf({ 'README.TXT': bytes('x') }))).toThrow(/METADATA/);
	});
});

describe('readCda on the ANS examples', () => {
	it('shows PAT-TROIS DOMINIQUE and the embedded PDF of the reference N1 document', () => {
		const cda = readCda(readFileSync(`${ANS}/DOC_NON_STRUCTURE_CDA-R2-N1.xml`), 'DOC.xml');
		expect(cda.patient).toMatchObject({
			ins: '279035121518989',
			oidLabel: 'INS-NIR de test',
			isInsKeyValid: true,
			birthName: 'PAT-TROIS',
			firstName: 'DOMINIQUE',
			firstNames: 'DOMINIQUE MARIE-LOUISE',
			birthPlace: '51215'
		});
		expect(cda.body.isPdf).toBe(true);
		expect(cda.warnings).toEqual([]);
	});

	it('warns on a wrong INS key such as those published for the DECOURCY infants', () => {
		const source = readFileSync(`${ANS}/DOC_NON_STRUCTURE_CDA-R2-N1.xml`, 'utf8').replace(
			/279035121518989/g,
			'221042545611404'
		);
		const cda = readCda(bytes(source), 'DOC.xml');
		expect(cda.patient.isInsKeyValid).toBe(false);
		expect(cda.warnings.join(' ')).toMatch(/clé/);
	});
});
