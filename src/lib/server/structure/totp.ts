/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP): HMAC-SHA1, 6 digits, 30-second
 * steps — what every authenticator app reads from an `otpauth://` URI. Used for the local
 * accounts of staff without e-CPS (issue 7). A code is accepted one step early or late (clock
 * drift) and never twice: the caller stores the last accepted step.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const STEP_SECONDS = 30;
const DIGITS = 6;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Encode(bytes: Uint8Array): string {
	let bits = 0;
	let value = 0;
	let out = '';
	for (const byte of bytes) {
		value = (value << 8) | byte;
		bits += 8;
		while (bits >= 5) {
			out += BASE32[(value >>> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
	return out;
}

export function base32Decode(text: string): Buffer {
	const clean = text.replace(/[\s=-]/g, '').toUpperCase();
	const bytes: number[] = [];
	let bits = 0;
	let value = 0;
	for (const char of clean) {
		const index = BASE32.indexOf(char);
		if (index < 0) throw new Error('Clé TOTP invalide (base32 attendu).');
		value = (value << 5) | index;
		bits += 5;
		if (bits >= 8) {
			bytes.push((value >>> (bits - 8)) & 0xff);
			bits -= 8;
		}
	}
	return Buffer.from(bytes);
}

/** A new 160-bit secret (RFC 4226 §4 recommends 160 bits), base32 for authenticator apps. */
export function newTotpSecret(): string {
	return base32Encode(randomBytes(20));
}

export function hotp(secret: Buffer, counter: number): string {
	const message = Buffer.alloc(8);
	message.writeBigUInt64BE(BigInt(counter));
	const digest = createHmac('sha1', secret).update(message).digest();
	const offset = digest[digest.length - 1]! & 0x0f;
	const code =
		((digest[offset]! & 0x7f) << 24) |
		(digest[offset + 1]! << 16) |
		(digest[offset + 2]! << 8) |
		digest[offset + 3]!;
	return String(code % 10 ** DIGITS).padStart(DIGITS, '0');
}

export function totpStep(now: number): number {
	return Math.floor(now / 1000 / STEP_SECONDS);
}

export function totp(secretBase32: string, now: number = Date.now()): string {
	return hotp(base32Decode(secretBase32), totpStep(now));
}

/**
 * The step the code matches (so the caller can refuse its reuse), or undefined.
 * `lastStep`: the step of the last accepted code; codes at or before it are refused.
 */
export function verifyTotp(options: {
	secret: string;
	code: string;
	now?: number;
	lastStep?: number;
}): number | undefined {
	const code = options.code.replace(/\s/g, '');
	if (!/^\d{6}$/.test(code)) return undefined;
	const key = base32Decode(options.secret);
	const current = totpStep(options.now ?? Date.now());
	for (const step of [current - 1, current, current + 1]) {
		if (options.lastStep !== undefined && step <= options.lastStep) continue;
		if (timingSafeEqual(Buffer.from(hotp(key, step)), Buffer.from(code))) return step;
	}
	return undefined;
}

/** The URI an authenticator app reads (Key URI Format), shown as a link and as text. */
export function otpauthUri(options: { secret: string; account: string; issuer: string }): string {
	const label = encodeURIComponent(`${options.issuer}:${options.account}`);
	const params = new URLSearchParams({
		secret: options.secret,
		issuer: options.issuer,
		algorithm: 'SHA1',
		digits: String(DIGITS),
		period: String(STEP_SECONDS)
	});
	return `otpauth://totp/${label}?${params.toString()}`;
}
