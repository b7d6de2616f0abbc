/**
 * Synthetic fixtures for tests and the CLI demo: test identities under the INS-NIR de test OID
 * (.10) from the ANS examples (xdm-cda-ins.md §2.6), an invented author, and a tiny valid PDF.
 * No real patient, no real professional.
 */
import { INS_OIDS } from '../ins.ts';

/** PAT-TROIS DOMINIQUE, the ANS reference test identity (INS-NIR de test). */
export const PATIENT_PAT_TROIS = {
	ins: '279035121518989',
	insOid: INS_OIDS.NIR_TEST,
	birthName: 'PAT-TROIS',
	firstNames: 'DOMINIQUE MARIE-LOUISE',
	firstName: 'DOMINIQUE',
	usedName: 'PAT-TROIS',
	sex: 'F',
	birthDate: '1979-03-28',
	birthPlace: '51215',
	identityStatus: 'qualifiee'
} as const;

/** CORSE FIGATELLIX: Corsica 2B in the matricule (ANS DMP test list, ID 2). */
export const PATIENT_CORSE = {
	ins: '188102B17295165',
	insOid: INS_OIDS.NIR_TEST,
	birthName: 'CORSE',
	firstNames: 'FIGATELLIX',
	firstName: 'FIGATELLIX',
	sex: 'M',
	birthDate: '1988-10-12',
	birthPlace: '2B172',
	identityStatus: 'qualifiee'
} as const;

export const AUTHOR_TEST = {
	rpps: '10001234567',
	lastName: 'Exemple',
	firstName: 'Camille',
	professionCode: '10',
	specialtyCode: 'SM26',
	organization: { name: 'Cabinet médical de test', finess: '750000001' },
	mailbox: 'camille.exemple@test.mssante.fr'
} as const;

/** A minimal, well-formed one-page PDF (text "Document de test"). */
export function tinyPdf(label = 'Document de test'): Uint8Array {
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
		null,
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'
	];
	const stream = `BT /F1 18 Tf 72 760 Td (${label.replace(/[()\\]/g, '')}) Tj ET`;
	objects[3] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
	let out = '%PDF-1.4\n';
	const offsets: number[] = [];
	objects.forEach((body, i) => {
		offsets.push(out.length);
		out += `${i + 1} 0 obj\n${body}\nendobj\n`;
	});
	const xref = out.length;
	out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
	out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return new TextEncoder().encode(out);
}
