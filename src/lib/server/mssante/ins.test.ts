import { describe, expect, it } from 'vitest';
import {
	checkIns,
	checkMatricule,
	insKey,
	insOidLabel,
	isInsKeyValid,
	validateIns,
	INS_OIDS
} from './ins.ts';
import { XdmError } from '../errors.ts';

describe('INS matricule', () => {
	// Key-valid matricules from the ANS examples and the DMP test list (xdm-cda-ins.md §2.1, §2.6).
	it.each([
		'279035121518989',
		'277076322082910',
		'146026322000196',
		'188102B17295165',
		'255069999999934'
	])('accepts %s', (m) => {
		expect(checkMatricule(m)).toEqual([]);
		expect(isInsKeyValid(m)).toBe(true);
	});

	// Published with a wrong key: a reader warns, a sender refuses.
	it.each(['221042545611404', '288091234567823', '246037433000291', '123456789012345'])(
		'refuses the key of %s',
		(m) => {
			const [problem] = checkMatricule(m);
			expect(problem?.field).toBe('ins');
			expect(problem?.message).toMatch(/clé/);
		}
	);

	it('computes the key with Corsica 2A → 19 and 2B → 18', () => {
		expect(insKey('188102B172951')).toBe(65);
		// Same digits with 18 in place of 2B give the same key: the substitution is the rule.
		expect(insKey('1881018172951')).toBe(65);
		expect(insKey('2790351215189')).toBe(89);
		expect(insKey('12345')).toBeUndefined();
	});

	it('names the length and the shape problems', () => {
		expect(checkMatricule('27903512151898')[0]?.message).toMatch(/15 caractères/);
		expect(checkMatricule('5790351215189AB')[0]?.message).toMatch(/chiffres/);
	});

	it('normalises spaces in a pasted matricule', () => {
		expect(validateIns('2 79 03 51 215 189 89', INS_OIDS.NIR_TEST).ins).toBe('279035121518989');
	});

	it('knows the four INS OIDs and their labels, .11 being the NIR de démonstration', () => {
		expect(insOidLabel('1.2.250.1.213.1.4.8')).toBe('INS-NIR');
		expect(insOidLabel('1.2.250.1.213.1.4.9')).toBe('INS-NIA');
		expect(insOidLabel('1.2.250.1.213.1.4.10')).toBe('INS-NIR de test');
		expect(insOidLabel('1.2.250.1.213.1.4.11')).toBe('INS-NIR de démonstration');
		expect(insOidLabel('1.2.250.1.213.1.4.2')).toBeUndefined();
		expect(checkIns('279035121518989', '1.2.3')[0]?.field).toBe('insOid');
	});

	it('throws an XdmError naming the field', () => {
		try {
			validateIns('279035121518988', INS_OIDS.NIR_TEST);
			expect.unreachable();
		} catch (e) {
			expect(e).toBeInstanceOf(XdmError);
			expect((e as XdmError).code).toBe('INS_INVALID');
			expect((e as XdmError).details.field).toBe('ins');
		}
	});
});
