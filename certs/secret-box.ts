/**
 * Encryption at rest of small secrets (the private key of an imported ORG AUTH_CLI
 * certificate): AES-256-GCM (NIST SP 800-38D) with a key derived by HKDF-SHA256 (RFC 5869)
 * from the server secret (`SESSION_SECRET`). A fresh random salt per message gives a fresh key,
 * so the random 12-byte IV can never repeat under one key. Versioned text format:
 *   sb1.<salt>.<iv>.<ciphertext>.<tag>   (base64url)
 * The version is authenticated (GCM additional data). Framework-free.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { AppError } from '../src/lib/server/errors.ts';

const VERSION = 'sb1';
const INFO = 'confrere/secret-box/v1';
const MIN_SECRET_LENGTH = 32;

function key(secret: string, salt: Buffer): Buffer {
	if (secret.length < MIN_SECRET_LENGTH) {
		throw new AppError(
			'CONFIG_INVALID',
			`Le secret serveur (SESSION_SECRET) doit contenir au moins ${MIN_SECRET_LENGTH} caractères.`
		);
	}
	return Buffer.from(hkdfSync('sha256', secret, salt, INFO, 32));
}

export function seal(plaintext: string | Uint8Array, secret: string): string {
	const salt = randomBytes(16);
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', key(secret, salt), iv);
	cipher.setAAD(Buffer.from(VERSION));
	const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
	const ciphertext = Buffer.concat([cipher.update(data), cipher.final()]);
	return [VERSION, salt, iv, ciphertext, cipher.getAuthTag()]
		.map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
		.join('.');
}

function invalid(message: string, cause?: unknown): AppError {
	return new AppError('SECRET_INVALID', message, cause === undefined ? {} : { cause });
}

export function open(sealed: string, secret: string): Buffer {
	const parts = sealed.split('.');
	if (parts[0] !== VERSION) throw invalid('Secret chiffré : format inconnu.');
	if (parts.length !== 5) throw invalid('Secret chiffré : format invalide.');
	const [salt, iv, ciphertext, tag] = parts.slice(1).map((p) => Buffer.from(p, 'base64url'));
	if (
		!salt ||
		salt.length !== 16 ||
		!iv ||
		iv.length !== 12 ||
		!ciphertext ||
		!tag ||
		tag.length !== 16
	) {
		throw invalid('Secret chiffré : format invalide.');
	}
	const decipher = createDecipheriv('aes-256-gcm', key(secret, salt), iv);
	decipher.setAAD(Buffer.from(VERSION));
	decipher.setAuthTag(tag);
	try {
		return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
	} catch (cause) {
		throw invalid('Secret chiffré altéré, ou chiffré avec un autre secret serveur.', cause);
	}
}

export function openText(sealed: string, secret: string): string {
	return open(sealed, secret).toString('utf8');
}
