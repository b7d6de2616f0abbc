import { describe, expect, test } from 'vitest';
import { buildDisplayName, emptyProfile, profileProblem } from './display-name.ts';

const jeanne = {
	title: 'Dr',
	firstName: 'Jeanne',
	lastName: 'Martin',
	profession: 'Médecin généraliste',
	structure: 'Cabinet médical Martin'
};

describe('ECO.2.2.7 display name', () => {
	test('PER: Titre_Prénom_NOM_Entité with the name in upper case', () => {
		expect(buildDisplayName(jeanne, 'PER')).toBe('Dr_Jeanne_MARTIN_Cabinet médical Martin');
	});

	test('PER: only first name and name are required', () => {
		expect(
			buildDisplayName({ ...emptyProfile(), firstName: 'Claire', lastName: 'Nguyen' }, 'PER')
		).toBe('Claire_NGUYEN');
		expect(buildDisplayName({ ...emptyProfile(), firstName: 'Claire' }, 'PER')).toBeNull();
		expect(profileProblem({ ...emptyProfile(), firstName: 'Claire' }, 'PER')).toBe(
			'Indiquez votre nom.'
		);
	});

	test('PER without structure: the profession is the entity', () => {
		expect(buildDisplayName({ ...jeanne, structure: '' }, 'PER')).toBe(
			'Dr_Jeanne_MARTIN_Médecin généraliste'
		);
	});

	test('ORG and APP: the entity alone', () => {
		expect(buildDisplayName(jeanne, 'ORG')).toBe('Cabinet médical Martin');
		expect(buildDisplayName({ ...jeanne, structure: '' }, 'APP')).toBe('Médecin généraliste');
		expect(profileProblem({ ...jeanne, structure: '' }, 'ORG')).toMatch(/structure/);
	});

	test('separators, control characters and angle brackets cannot be injected', () => {
		const name = buildDisplayName(
			{ ...jeanne, firstName: 'Jean_Pierre', lastName: 'Dupont\r\nBcc: x@y.fr <a>' },
			'PER'
		);
		expect(name).toBe('Dr_Jean Pierre_DUPONT BCC: X@Y.FR A_Cabinet médical Martin');
		expect(name).not.toMatch(/[\r\n<>]/);
	});
});
