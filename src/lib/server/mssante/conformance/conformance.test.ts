/**
 * Every generated CDA validates against the CDA XSD and raises no failed assert of the ANS
 * Structuration minimale Schematron; every METADATA.XML validates against ebRS 3.0 lcm.xsd
 * (issue 6, "Conformance"). Skipped, with the reason, only when a tool is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildXdmPackage, type XdmPackage } from '../xdm-build.ts';
import { AUTHOR_TEST, PATIENT_CORSE, PATIENT_PAT_TROIS, tinyPdf } from '../testing/fixtures.ts';
import {
	CDA_XSD,
	LCM_XSD,
	compileStrucMin,
	runSchematron,
	saxonMissing,
	xmllintMissing,
	xsdValidate,
	type FailedAssert
} from './validators.ts';

const base = {
	pdf: tinyPdf(),
	patient: PATIENT_PAT_TROIS,
	author: AUTHOR_TEST,
	type: '11488-4',
	title: 'Compte rendu de consultation',
	date: '20240115'
};

const { birthPlace: _b, ins: _i, insOid: _o, ...traits } = PATIENT_PAT_TROIS;

/** Variants that exercise each branch of the writers. */
async function variants(): Promise<Record<string, XdmPackage>> {
	const first = await buildXdmPackage(base);
	return {
		qualified: first,
		corsica_siret: await buildXdmPackage({
			...base,
			patient: PATIENT_CORSE,
			author: { ...AUTHOR_TEST, organization: { name: 'SELARL de test', siret: '12345678901234' } },
			type: '18748-4',
			title: 'Échographie abdominopelvienne'
		}),
		replacement_restricted: await buildXdmPackage({
			...base,
			replaces: first.document,
			confidentiality: 'R',
			masking: ['MASQUE_PS', 'INVISIBLE_PATIENT'],
			intendedRecipients: ['279035121518989@patient.mssante.fr', 'dr.x@hopital.mssante.fr']
		}),
		provisional_nurse: await buildXdmPackage({
			...base,
			patient: { ...traits, sex: 'U', identityStatus: 'provisoire' },
			author: {
				...AUTHOR_TEST,
				professionCode: '60',
				specialtyCode: undefined,
				organization: { name: 'Cabinet infirmier', siret: '12345678901234' }
			},
			type: 'CERT_DECL',
			title: 'Certificat'
		})
	};
}

let dir = '';
let packages: Record<string, XdmPackage> = {};

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'confrere-conformance-'));
	packages = await variants();
	for (const sub of ['cda', 'meta', 'svrl']) mkdirSync(join(dir, sub));
	for (const [name, p] of Object.entries(packages)) {
		writeFileSync(join(dir, 'cda', `${name}.xml`), p.cda);
		writeFileSync(join(dir, 'meta', `${name}.xml`), p.metadata);
	}
	// Negative control: the test must see a failed assert when the header breaks a rule.
	writeFileSync(
		join(dir, 'cda', 'control_no_setid.xml'),
		packages.qualified!.cda.replace(/<setId [^>]*\/>/, '')
	);
});

afterAll(() => {
	if (dir) rmSync(dir, { recursive: true, force: true });
});

const xmllintReason = xmllintMissing();
const saxonReason = saxonMissing();
if (xmllintReason) console.warn(`Conformité XSD non vérifiée : ${xmllintReason}`);
if (saxonReason) console.warn(`Conformité Schematron non vérifiée : ${saxonReason}`);

describe.skipIf(xmllintReason !== undefined)('XSD (xmllint, offline)', () => {
	it('every generated CDA validates against CDA_extended.xsd', () => {
		const files = Object.keys(packages).map((n) => join(dir, 'cda', `${n}.xml`));
		const r = xsdValidate(CDA_XSD, files);
		expect(r.output).not.toMatch(/fails to validate|error/i);
		expect(r.ok).toBe(true);
	});

	it('every METADATA.XML validates against ebRS 3.0 lcm.xsd', () => {
		const files = Object.keys(packages).map((n) => join(dir, 'meta', `${n}.xml`));
		const r = xsdValidate(LCM_XSD, files);
		expect(r.output).not.toMatch(/fails to validate|error/i);
		expect(r.ok).toBe(true);
	});

	it('catches an invalid document (control)', () => {
		const bad = join(dir, 'bad.xml');
		writeFileSync(
			bad,
			packages.qualified!.metadata.replace(
				'<rim:RegistryObjectList>',
				'<rim:RegistryObjectList><rim:Nope/>'
			)
		);
		expect(xsdValidate(LCM_XSD, [bad]).ok).toBe(false);
	});
});

describe.skipIf(saxonReason !== undefined)(
	'ANS Structuration minimale Schematron (Saxon-HE)',
	() => {
		let results = new Map<string, FailedAssert[]>();

		beforeAll(() => {
			const xsl = compileStrucMin(dir);
			results = runSchematron(xsl, join(dir, 'cda'), join(dir, 'svrl'));
		}, 240_000);

		it.each(['qualified', 'corsica_siret', 'replacement_restricted', 'provisional_nurse'])(
			'%s raises no failed assert',
			(name) => {
				expect(results.get(`${name}.xml`)).toEqual([]);
			}
		);

		it('reports a failed assert when setId is missing (control)', () => {
			const failed = results.get('control_no_setid.xml') ?? [];
			expect(failed.map((f) => f.message).join('\n')).toMatch(/setId/);
		});
	}
);
