/**
 * Local accounts for structure staff without e-CPS (issue 7): a login, a strong password
 * (PGSSI-S rules — SC.SSI/IE.36 applies because this is password authentication) hashed with
 * scrypt, and a TOTP second factor whose secret is sealed at rest with the server secret.
 * Every failure gets the same answer; the caller throttles and audits.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { open, seal } from '../../../../certs/secret-box.ts';
import { AppError } from '../errors.ts';
import { newTotpSecret, verifyTotp } from './totp.ts';

const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const LOGIN = /^[a-z0-9._-]{3,64}$/;

/** PGSSI-S: at least 12 characters mixing 3 of 4 classes, or a passphrase of 16 or more. */
export function passwordProblem(password: string, login: string): string | undefined {
	if (password.length < 12) return 'Le mot de passe doit faire au moins 12 caractères.';
	if (password.toLowerCase().includes(login.toLowerCase())) {
		return 'Le mot de passe ne doit pas contenir l’identifiant.';
	}
	const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^a-zA-Z\d]/].filter((re) => re.test(password)).length;
	if (password.length < 16 && classes < 3) {
		return 'Le mot de passe doit mêler au moins trois types de caractères (minuscules, majuscules, chiffres, symboles), ou faire 16 caractères au moins.';
	}
	return undefined;
}

function hashPassword(password: string): string {
	const salt = randomBytes(16);
	const hash = scryptSync(password, salt, 32, SCRYPT);
	return `scrypt$${SCRYPT.N}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

function passwordMatches(password: string, stored: string): boolean {
	const [scheme, n, salt, hash] = stored.split('$');
	if (scheme !== 'scrypt' || !n || !salt || !hash) return false;
	const expected = Buffer.from(hash, 'base64url');
	const actual = scryptSync(password, Buffer.from(salt, 'base64url'), expected.length, {
		...SCRYPT,
		N: Number(n)
	});
	return timingSafeEqual(actual, expected);
}

// A fixed hash so an unknown login costs the same time as a known one.
const DUMMY_HASH = hashPassword(randomBytes(16).toString('hex'));

export interface NewLocalAccount {
	login: string;
	displayName: string;
	/** Give it to the person once, as text and as an otpauth URI; never shown again. */
	totpSecret: string;
}

export class LocalAccounts {
	readonly #db: DatabaseSync;
	readonly #secret: string;

	constructor(options: { db: DatabaseSync; serverSecret: string }) {
		this.#db = options.db;
		this.#secret = options.serverSecret;
	}

	create(input: { login: string; displayName: string; password: string }): NewLocalAccount {
		const login = input.login.trim().toLowerCase();
		if (!LOGIN.test(login)) {
			throw new AppError(
				'INVALID_INPUT',
				'Identifiant : 3 à 64 caractères parmi lettres minuscules, chiffres, point, tiret, souligné.'
			);
		}
		if (!input.displayName.trim()) throw new AppError('INVALID_INPUT', 'Le nom est obligatoire.');
		const problem = passwordProblem(input.password, login);
		if (problem) throw new AppError('INVALID_INPUT', problem);
		const totpSecret = newTotpSecret();
		const result = this.#db
			.prepare(
				`INSERT INTO local_account (login, display_name, password_hash, totp_secret, created_at)
				VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`
			)
			.run(
				login,
				input.displayName.trim(),
				hashPassword(input.password),
				seal(totpSecret, this.#secret),
				Date.now()
			);
		if (result.changes === 0)
			throw new AppError('INVALID_INPUT', `L’identifiant ${login} est déjà pris.`);
		return { login, displayName: input.displayName.trim(), totpSecret };
	}

	/**
	 * Password then TOTP. Returns the member id (`local:<login>`) or throws AUTH_FAILED with one
	 * message for every cause (unknown login, wrong password, wrong or replayed code, disabled).
	 */
	authenticate(input: { login: string; password: string; code: string; now?: number }): {
		member: string;
		displayName: string;
	} {
		const login = input.login.trim().toLowerCase();
		const row = this.#db
			.prepare(
				'SELECT login, display_name, password_hash, totp_secret, totp_last_step, disabled FROM local_account WHERE login = ?'
			)
			.get(login) as
			| {
					login: string;
					display_name: string;
					password_hash: string;
					totp_secret: string;
					totp_last_step: number;
					disabled: number;
			  }
			| undefined;
		const passwordOk = passwordMatches(input.password, row?.password_hash ?? DUMMY_HASH);
		const failed = new AppError('AUTH_FAILED', 'Identifiant, mot de passe ou code incorrect.');
		if (!row || !passwordOk || row.disabled) throw failed;
		const step = verifyTotp({
			secret: open(row.totp_secret, this.#secret).toString('utf8'),
			code: input.code,
			now: input.now,
			lastStep: row.totp_last_step
		});
		if (step === undefined) throw failed;
		// Compare-and-set: two sign-ins racing with the same code cannot both win.
		const claimed = this.#db
			.prepare(
				'UPDATE local_account SET totp_last_step = ?, totp_confirmed = 1 WHERE login = ? AND totp_last_step < ?'
			)
			.run(step, login, step);
		if (claimed.changes === 0) throw failed;
		return { member: `local:${login}`, displayName: row.display_name };
	}

	setDisabled(login: string, disabled: boolean): void {
		this.#db
			.prepare('UPDATE local_account SET disabled = ? WHERE login = ?')
			.run(disabled ? 1 : 0, login);
	}

	list(): { login: string; displayName: string; disabled: boolean; totpConfirmed: boolean }[] {
		return (
			this.#db
				.prepare(
					'SELECT login, display_name, disabled, totp_confirmed FROM local_account ORDER BY login'
				)
				.all() as {
				login: string;
				display_name: string;
				disabled: number;
				totp_confirmed: number;
			}[]
		).map((r) => ({
			login: r.login,
			displayName: r.display_name,
			disabled: r.disabled === 1,
			totpConfirmed: r.totp_confirmed === 1
		}));
	}
}
