import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, otpauthUri, totp, verifyTotp } from './totp.ts';

// RFC 4226 Appendix D and RFC 6238 Appendix B test vectors (SHA-1 secret "12345678901234567890").
const RFC_SECRET = Buffer.from('12345678901234567890');
const RFC_SECRET_B32 = base32Encode(RFC_SECRET);

describe('TOTP (RFC 6238)', () => {
	it('matches the RFC 4226 HOTP vectors', () => {
		const expected = ['755224', '287082', '359152', '969429', '338314', '254676'];
		expected.forEach((code, counter) => expect(hotp(RFC_SECRET, counter)).toBe(code));
	});

	it('matches the RFC 6238 SHA-1 vectors (last 6 digits)', () => {
		expect(totp(RFC_SECRET_B32, 59_000)).toBe('287082');
		expect(totp(RFC_SECRET_B32, 1_111_111_109_000)).toBe('081804');
		expect(totp(RFC_SECRET_B32, 1_234_567_890_000)).toBe('005924');
		expect(totp(RFC_SECRET_B32, 20_000_000_000_000)).toBe('353130');
	});

	it('round-trips base32 and rejects foreign characters', () => {
		expect(base32Decode(RFC_SECRET_B32)).toEqual(RFC_SECRET);
		expect(base32Decode('gezd gnbv')).toEqual(Buffer.from('12345'));
		expect(() => base32Decode('01!')).toThrow(/base32/);
	});

	it('accepts one step of drift, never a replay, never a malformed code', () => {
		const now = 1_700_000_000_000;
		const early = totp(RFC_SECRET_B32, now - 30_000);
		const step = verifyTotp({ secret: RFC_SECRET_B32, code: early, now });
		expect(step).toBeDefined();
		expect(
			verifyTotp({ secret: RFC_SECRET_B32, code: early, now, lastStep: step })
		).toBeUndefined();
		expect(
			verifyTotp({ secret: RFC_SECRET_B32, code: totp(RFC_SECRET_B32, now - 90_000), now })
		).toBeUndefined();
		expect(verifyTotp({ secret: RFC_SECRET_B32, code: '12345', now })).toBeUndefined();
		expect(
			verifyTotp({
				secret: RFC_SECRET_B32,
				code: `${totp(RFC_SECRET_B32, now).slice(0, 3)} ${totp(RFC_SECRET_B32, now).slice(3)}`,
				now
			})
		).toBeDefined();
	});

	it('builds an otpauth URI authenticator apps read', () => {
		const uri = otpauthUri({
			secret: 'JBSWY3DPEHPK3PXP',
			account: 'a.secretaire',
			issuer: 'Confrère'
		});
		expect(uri).toBe(
			'otpauth://totp/Confr%C3%A8re%3Aa.secretaire?secret=JBSWY3DPEHPK3PXP&issuer=Confr%C3%A8re&algorithm=SHA1&digits=6&period=30'
		);
	});
});
