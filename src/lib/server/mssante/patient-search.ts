/**
 * The minimal patient list a user writes about (issue 6 "Patients"): matching for the composer's
 * patient picker. Storage belongs to the app; this is the pure, framework-free part. Confrère is
 * not a patient record system: only identity and status are kept.
 */
import { isQualified, type Patient } from './patient.ts';

/** Upper case, no accents, single spaces: "Pat-Trois  dominique" → "PAT-TROIS DOMINIQUE". */
export function foldName(value: string): string {
	return value
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toUpperCase()
		.replace(/\s+/g, ' ')
		.trim();
}

/**
 * Patients matching a free query: every word must start a name part (birth or used name, first
 * names), or equal the matricule INS or the birth date (JJ/MM/AAAA or AAAA-MM-JJ).
 * Qualified identities come first, then alphabetical order.
 */
export function searchPatients<T extends Patient>(patients: readonly T[], query: string): T[] {
	const words = foldName(query).split(' ').filter(Boolean);
	const matches = patients.filter((p) => {
		const names = foldName(
			[p.birthName, p.usedName ?? '', p.firstNames, p.usedFirstName ?? ''].join(' ')
		)
			.split(/[ -]/)
			.filter(Boolean);
		const frDate = p.birthDate.split('-').reverse().join('/');
		return words.every(
			(w) =>
				names.some((n) => n.startsWith(w)) ||
				w === p.ins ||
				w === p.birthDate ||
				w === frDate ||
				foldName(p.birthName).startsWith(w)
		);
	});
	return matches.sort(
		(a, b) =>
			Number(isQualified(b)) - Number(isQualified(a)) ||
			a.birthName.localeCompare(b.birthName, 'fr') ||
			a.firstName.localeCompare(b.firstName, 'fr')
	);
}

/** Same person by INS (when both carry one), else by the strict traits. */
export function isSamePatient(a: Patient, b: Patient): boolean {
	if (a.ins && b.ins) return a.ins === b.ins && a.insOid === b.insOid;
	return (
		foldName(a.birthName) === foldName(b.birthName) &&
		foldName(a.firstNames) === foldName(b.firstNames) &&
		a.birthDate === b.birthDate &&
		a.sex === b.sex
	);
}
