import { describe, expect, it } from 'vitest';
import { isSamePatient, searchPatients } from './patient-search.ts';
import { parsePatient } from './patient.ts';
import { PATIENT_CORSE, PATIENT_PAT_TROIS } from './testing/fixtures.ts';

const nessi = parsePatient({
	birthName: 'NESSI',
	firstNames: 'RUTH ISABELLE',
	usedName: 'DE VINCI',
	sex: 'F',
	birthDate: '1977-07-14',
	identityStatus: 'provisoire'
});
const list = [parsePatient(PATIENT_CORSE), nessi, parsePatient(PATIENT_PAT_TROIS)];

describe('patient list search', () => {
	it('matches name starts, accents and case ignored', () => {
		expect(searchPatients(list, 'pat dom').map((p) => p.birthName)).toEqual(['PAT-TROIS']);
		expect(searchPatients(list, 'trois').map((p) => p.birthName)).toEqual(['PAT-TROIS']);
		expect(searchPatients(list, 'vinci ruth').map((p) => p.birthName)).toEqual(['NESSI']);
		expect(searchPatients(list, 'isabélle').map((p) => p.birthName)).toEqual(['NESSI']);
	});

	it('matches the matricule INS and the birth date', () => {
		expect(searchPatients(list, '188102B17295165').map((p) => p.birthName)).toEqual(['CORSE']);
		expect(searchPatients(list, '14/07/1977').map((p) => p.birthName)).toEqual(['NESSI']);
	});

	it('puts qualified identities first', () => {
		expect(searchPatients(list, '').map((p) => p.birthName)).toEqual([
			'CORSE',
			'PAT-TROIS',
			'NESSI'
		]);
	});

	it('recognises the same person', () => {
		expect(isSamePatient(list[2]!, parsePatient({ ...PATIENT_PAT_TROIS, usedName: 'AUTRE' }))).toBe(
			true
		);
		expect(isSamePatient(list[0]!, list[2]!)).toBe(false);
		expect(isSamePatient(nessi, { ...nessi })).toBe(true);
	});
});
