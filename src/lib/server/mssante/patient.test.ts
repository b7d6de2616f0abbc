import { describe, expect, it } from 'vitest';
import {
	checkPatient,
	isPatientAddress,
	isQualified,
	parsePatient,
	patientMailbox
} from './patient.ts';
import { parseAuthor } from './author.ts';
import { AUTHOR_TEST, PATIENT_PAT_TROIS } from './testing/fixtures.ts';
import { XdmError } from '../errors.ts';

const fieldsOf = (input: unknown) => checkPatient(input).problems.map((p) => p.field);

describe('patient', () => {
	it('accepts a qualified identity with its strict traits', () => {
		const p = parsePatient(PATIENT_PAT_TROIS);
		expect(isQualified(p)).toBe(true);
		expect(p.ins).toBe('279035121518989');
		expect(p.firstName).toBe('DOMINIQUE');
	});

	it('names each wrong field', () => {
		expect(fieldsOf({ ...PATIENT_PAT_TROIS, birthDate: '1979-02-30' })).toEqual(['birthDate']);
		expect(fieldsOf({ ...PATIENT_PAT_TROIS, birthDate: '28/03/1979' })).toEqual(['birthDate']);
		expect(fieldsOf({ ...PATIENT_PAT_TROIS, ins: '279035121518988' })).toEqual(['ins']);
		expect(fieldsOf({ ...PATIENT_PAT_TROIS, ins: '2790351215189' })).toEqual(['ins']);
		expect(fieldsOf({ ...PATIENT_PAT_TROIS, insOid: '1.2.250.1.213.1.4.2' })).toEqual(['insOid']);
		expect(fieldsOf({ ...PATIENT_PAT_TROIS, sex: 'X' })).toEqual(['sex']);
		expect(fieldsOf({ ...PATIENT_PAT_TROIS, birthPlace: '7511' })).toEqual(['birthPlace']);
		expect(fieldsOf({ ...PATIENT_PAT_TROIS, firstName: 'MARIE' })).toEqual(['firstName']);
		expect(fieldsOf({ ...PATIENT_PAT_TROIS, identityStatus: 'qualified' })).toContain(
			'identityStatus'
		);
		expect(fieldsOf({ ...PATIENT_PAT_TROIS, birthName: 'PAT<script>' })).toEqual(['birthName']);
		expect(fieldsOf('not an object')).toEqual(['patient']);
	});

	it('requires the INS and the birth place of a qualified identity only', () => {
		const { ins: _i, insOid: _o, birthPlace: _b, ...traits } = PATIENT_PAT_TROIS;
		expect(fieldsOf({ ...traits, identityStatus: 'qualifiee' }).sort()).toEqual([
			'birthPlace',
			'ins',
			'insOid'
		]);
		const provisional = parsePatient({ ...traits, identityStatus: 'provisoire' });
		expect(isQualified(provisional)).toBe(false);
	});

	it('keeps the INS of a non-qualified identity out of the qualified checks', () => {
		const p = parsePatient({ ...PATIENT_PAT_TROIS, identityStatus: 'recuperee' });
		expect(isQualified(p)).toBe(false);
	});

	it('the error message names the fields', () => {
		expect(() => parsePatient({ ...PATIENT_PAT_TROIS, birthDate: 'x', sex: 'Z' })).toThrow(
			/champs sex, birthDate/
		);
	});
});

describe('Mon Espace Santé address (ECO.2.2.6)', () => {
	it('is built from a qualified INS only', () => {
		expect(patientMailbox(parsePatient(PATIENT_PAT_TROIS))).toBe(
			'279035121518989@patient.mssante.fr'
		);
		const validated = parsePatient({ ...PATIENT_PAT_TROIS, identityStatus: 'validee' });
		expect(() => patientMailbox(validated)).toThrow(XdmError);
	});

	it('recognises patient addresses', () => {
		expect(isPatientAddress('146026322000196@patient.mssante.fr')).toBe(true);
		expect(isPatientAddress('188102B17295165@PATIENT.MSSANTE.FR')).toBe(true);
		expect(isPatientAddress('dr.x@hopital.mssante.fr')).toBe(false);
	});
});

describe('author', () => {
	it('accepts the fixture and builds the JDV_J01 specialty', () => {
		expect(parseAuthor(AUTHOR_TEST).lastName).toBe('EXEMPLE');
	});

	it('names the wrong fields', () => {
		expect(() => parseAuthor({ ...AUTHOR_TEST, rpps: '123' })).toThrow(/rpps/);
		expect(() => parseAuthor({ ...AUTHOR_TEST, specialtyCode: 'SM99' })).toThrow(/specialtyCode/);
		expect(() =>
			parseAuthor({ ...AUTHOR_TEST, organization: { name: 'X', finess: '12' } })
		).toThrow(/organization\.finess/);
		expect(() => parseAuthor({ ...AUTHOR_TEST, mailbox: 'nope' })).toThrow(/mailbox/);
		expect(() =>
			parseAuthor({ ...AUTHOR_TEST, organization: { name: 'Sans identifiant' } })
		).toThrow(/organization\.finess/);
		expect(() => parseAuthor(null)).toThrow(/Auteur invalide/);
	});
});
