/**
 * Synthetic attachments for the demo mail, built in code (no binary blobs in the repo):
 * a one-page PDF, a small PNG and a minimal IHE XDM zip (IHE ITI TF-1 §16, "IHE_XDM.ZIP").
 * Content is invented; the patient uses a test INS (OID 1.2.250.1.213.1.4.10, test NIR).
 * The real XDM builder lives in src/lib/server/mssante/; this one only has to look plausible.
 */
import { deflateSync } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';

/** A valid single-page PDF 1.4 with one line of Helvetica text per entry of `lines`. */
export function buildPdf(lines: string[]): Buffer {
	const escape = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`);
	// PDF base fonts use WinAnsi: keep to Latin-1 by stripping what it cannot show.
	const latin1 = (s: string) => s.normalize('NFC').replace(/[^\x20-\xff]/g, '-');
	const text = lines
		.map((line, i) => `BT /F1 11 Tf 56 ${780 - i * 16} Td (${escape(latin1(line))}) Tj ET`)
		.join('\n');
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
		`<< /Length ${Buffer.byteLength(text, 'latin1')} >>\nstream\n${text}\nendstream`,
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>'
	];
	let body = '%PDF-1.4\n';
	const offsets: number[] = [];
	objects.forEach((object, i) => {
		offsets.push(Buffer.byteLength(body, 'latin1'));
		body += `${i + 1} 0 obj\n${object}\nendobj\n`;
	});
	const xref = Buffer.byteLength(body, 'latin1');
	body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	body += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
	body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(body, 'latin1');
}

function crc32(data: Buffer): number {
	let crc = ~0;
	for (const byte of data) {
		crc ^= byte;
		for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
	}
	return ~crc >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(typed));
	return Buffer.concat([length, typed, crc]);
}

/** An RGB PNG with a diagonal gradient (looks like a scanned image thumbnail). */
export function buildPng(width = 64, height = 48): Buffer {
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header.set([8, 2, 0, 0, 0], 8);
	const rows: number[] = [];
	for (let y = 0; y < height; y++) {
		rows.push(0);
		for (let x = 0; x < width; x++) rows.push((x * 4) & 255, (y * 5) & 255, ((x + y) * 2) & 255);
	}
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', header),
		pngChunk('IDAT', deflateSync(Buffer.from(rows))),
		pngChunk('IEND', Buffer.alloc(0))
	]);
}

const TEST_INS_OID = '1.2.250.1.213.1.4.10';
const TEST_NIR = '279035121518989';

function cdaDocument(title: string): string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3">
  <typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>
  <id root="1.2.250.1.999.1.1" extension="LAB-DOC-0001"/>
  <code code="11488-4" codeSystem="2.16.840.1.113883.6.1" displayName="Note de consultation"/>
  <title>${title}</title>
  <effectiveTime value="20261115103000+0100"/>
  <confidentialityCode code="N" codeSystem="2.16.840.1.113883.5.25"/>
  <recordTarget><patientRole>
    <id root="${TEST_INS_OID}" extension="${TEST_NIR}"/>
    <patient><name><given>PATIENTE</given><family>TEST-LAB</family></name>
      <administrativeGenderCode code="F" codeSystem="2.16.840.1.113883.5.1"/>
      <birthTime value="19790301"/></patient>
  </patientRole></recordTarget>
  <component><nonXMLBody><text mediaType="text/plain">Document de démonstration du lab Confrère (fictif).</text></nonXMLBody></component>
</ClinicalDocument>
`;
}

function metadata(): string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<lcm:SubmitObjectsRequest xmlns:lcm="urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0"
  xmlns:rim="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0">
  <rim:RegistryObjectList>
    <rim:ExtrinsicObject id="Document01" mimeType="text/xml"
      objectType="urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1">
      <rim:Slot name="URI"><rim:ValueList><rim:Value>DOC0001.XML</rim:Value></rim:ValueList></rim:Slot>
      <rim:Slot name="sourcePatientId"><rim:ValueList><rim:Value>${TEST_NIR}^^^&amp;${TEST_INS_OID}&amp;ISO</rim:Value></rim:ValueList></rim:Slot>
      <rim:Name><rim:LocalizedString value="Compte rendu de consultation (démo)"/></rim:Name>
    </rim:ExtrinsicObject>
    <rim:RegistryPackage id="SubmissionSet01">
      <rim:Name><rim:LocalizedString value="Envoi de démonstration"/></rim:Name>
    </rim:RegistryPackage>
  </rim:RegistryObjectList>
</lcm:SubmitObjectsRequest>
`;
}

/** IHE_XDM.ZIP: README.TXT, INDEX.HTM, IHE_XDM/SUBSET01/{METADATA.XML, DOC0001.XML}. */
export function buildXdmZip(title = 'Compte rendu de consultation'): Buffer {
	const files = {
		'README.TXT': strToU8('Lab Confrère - paquet IHE XDM de démonstration (contenu fictif).\r\n'),
		'INDEX.HTM': strToU8(
			'<html><body><h1>Paquet XDM</h1><a href="IHE_XDM/SUBSET01/DOC0001.XML">DOC0001.XML</a></body></html>\r\n'
		),
		'IHE_XDM/SUBSET01/METADATA.XML': strToU8(metadata()),
		'IHE_XDM/SUBSET01/DOC0001.XML': strToU8(cdaDocument(title))
	};
	return Buffer.from(zipSync(files, { level: 6, mtime: new Date('2026-11-15T10:30:00Z') }));
}
