/**
 * Structure mailboxes and their members (issue 7). Two access modes:
 * - `psc`: each member signs in with Pro Santé Connect and the operator decides (XOAUTH2 with
 *   `user` = the structure address); Confrère keeps the roles for its own screens only.
 * - `certificate`: Confrère holds the structure's certificate and IS the access control: only the
 *   members listed here may open the mailbox, with their role.
 * A member id is `psc:<RPPS>` or `local:<login>`.
 */
import type { DatabaseSync } from 'node:sqlite';
import { AppError } from '../errors.ts';

export const ROLES = ['responsable', 'secretaire', 'lecture'] as const;
export type Role = (typeof ROLES)[number];
export type AccessMode = 'psc' | 'certificate';

export const ROLE_LABELS: Record<Role, string> = {
	responsable: 'Responsable',
	secretaire: 'Secrétaire',
	lecture: 'Lecture seule'
};

export interface StructureMailbox {
	address: string;
	kind: 'ORG' | 'APP';
	displayName: string;
	accessMode: AccessMode;
}

export interface Member {
	mailbox: string;
	member: string;
	displayName: string;
	role: Role;
	addedAt: number;
	addedBy: string;
}

/** What a role may do; checked by the service behind every structure action. */
export const PERMISSIONS = {
	read: ['responsable', 'secretaire', 'lecture'],
	write: ['responsable', 'secretaire'],
	manage: ['responsable']
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

const MEMBER_ID = /^(psc:\d{11}|local:[a-z0-9._-]{3,64})$/;

/**
 * A member id from what an administrator types: an RPPS number (11 digits) is a Pro Santé Connect
 * identity, `local:<login>` or a bare login is a local account. Undefined when it is neither.
 */
export function parseMemberId(input: string): string | undefined {
	const value = input.trim().toLowerCase();
	if (/^\d+$/.test(value) && value.length !== 11) return undefined;
	const id = /^\d{11}$/.test(value)
		? `psc:${value}`
		: /^(psc|local):/.test(value)
			? value
			: `local:${value}`;
	return MEMBER_ID.test(id) ? id : undefined;
}

function normaliseAddress(address: string): string {
	const value = address.trim().toLowerCase();
	if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) {
		throw new AppError('INVALID_INPUT', `Adresse de BAL invalide : « ${address} ».`);
	}
	return value;
}

const SELECT_STRUCTURE = 'SELECT address, kind, display_name, access_mode FROM structure_mailbox';

interface StructureRow {
	address: string;
	kind: 'ORG' | 'APP';
	display_name: string;
	access_mode: AccessMode;
}

function toStructure(row: StructureRow): StructureMailbox {
	return {
		address: row.address,
		kind: row.kind,
		displayName: row.display_name,
		accessMode: row.access_mode
	};
}

export class StructureDirectory {
	readonly #db: DatabaseSync;

	constructor(db: DatabaseSync) {
		this.#db = db;
	}

	declare(
		structure: StructureMailbox,
		by: string,
		firstResponsable: Omit<Member, 'mailbox' | 'role' | 'addedAt' | 'addedBy'>
	): void {
		const address = normaliseAddress(structure.address);
		if (!structure.displayName.trim()) {
			throw new AppError('INVALID_INPUT', 'Le nom affiché de la BAL est obligatoire.');
		}
		const db = this.#db;
		db.exec('BEGIN IMMEDIATE');
		try {
			const exists = db.prepare('SELECT 1 FROM structure_mailbox WHERE address = ?').get(address);
			if (exists) throw new AppError('INVALID_INPUT', `La BAL ${address} est déjà déclarée.`);
			db.prepare(
				`INSERT INTO structure_mailbox (address, kind, display_name, access_mode, created_at, created_by)
				VALUES (?, ?, ?, ?, ?, ?)`
			).run(
				address,
				structure.kind,
				structure.displayName.trim(),
				structure.accessMode,
				Date.now(),
				by
			);
			this.#insertMember({
				...firstResponsable,
				mailbox: address,
				role: 'responsable',
				addedBy: by
			});
			db.exec('COMMIT');
		} catch (error) {
			db.exec('ROLLBACK');
			throw error;
		}
	}

	get(address: string): StructureMailbox | undefined {
		const row = this.#db
			.prepare(`${SELECT_STRUCTURE} WHERE address = ?`)
			.get(address.trim().toLowerCase()) as StructureRow | undefined;
		return row && toStructure(row);
	}

	members(address: string): Member[] {
		return (
			this.#db
				.prepare(
					`SELECT mailbox, member, display_name, role, added_at, added_by FROM structure_member
					WHERE mailbox = ? ORDER BY role, display_name`
				)
				.all(address.trim().toLowerCase()) as {
				mailbox: string;
				member: string;
				display_name: string;
				role: Role;
				added_at: number;
				added_by: string;
			}[]
		).map((row) => ({
			mailbox: row.mailbox,
			member: row.member,
			displayName: row.display_name,
			role: row.role,
			addedAt: row.added_at,
			addedBy: row.added_by
		}));
	}

	list(): StructureMailbox[] {
		return (
			this.#db.prepare(`${SELECT_STRUCTURE} ORDER BY address`).all() as unknown as StructureRow[]
		).map(toStructure);
	}

	/** The structures a person belongs to, with their role. */
	structuresOf(member: string): { structure: StructureMailbox; role: Role }[] {
		const rows = this.#db
			.prepare('SELECT mailbox, role FROM structure_member WHERE member = ? ORDER BY mailbox')
			.all(member) as { mailbox: string; role: Role }[];
		return rows.flatMap((row) => {
			const structure = this.get(row.mailbox);
			return structure ? [{ structure, role: row.role }] : [];
		});
	}

	roleOf(address: string, member: string): Role | undefined {
		const row = this.#db
			.prepare('SELECT role FROM structure_member WHERE mailbox = ? AND member = ?')
			.get(address.trim().toLowerCase(), member) as { role: Role } | undefined;
		return row?.role;
	}

	/** Throws FORBIDDEN unless the member's current role allows it: read again on every call. */
	require(address: string, member: string, permission: Permission): Role {
		const role = this.roleOf(address, member);
		if (!role || !(PERMISSIONS[permission] as readonly Role[]).includes(role)) {
			throw new AppError(
				'FORBIDDEN',
				role
					? `Votre rôle (${ROLE_LABELS[role]}) ne permet pas cette action sur ${address}.`
					: `Vous n’êtes pas membre de la BAL ${address}.`
			);
		}
		return role;
	}

	/** `administrator`: Confrère's administrator (ADMIN_ADDRESSES) manages every structure. */
	addMember(member: Omit<Member, 'addedAt'>, by: string, administrator = false): void {
		if (!administrator) this.require(member.mailbox, by, 'manage');
		this.#insertMember(member);
	}

	changeRole(address: string, member: string, role: Role, by: string, administrator = false): void {
		if (!administrator) this.require(address, by, 'manage');
		if (!(ROLES as readonly string[]).includes(role)) {
			throw new AppError('INVALID_INPUT', `Rôle inconnu : « ${role} ».`);
		}
		if (role !== 'responsable') this.#keepOneResponsable(address, member);
		this.#db
			.prepare('UPDATE structure_member SET role = ? WHERE mailbox = ? AND member = ?')
			.run(role, address.trim().toLowerCase(), member);
	}

	removeMember(address: string, member: string, by: string, administrator = false): void {
		if (!administrator) this.require(address, by, 'manage');
		this.#keepOneResponsable(address, member);
		this.#db
			.prepare('DELETE FROM structure_member WHERE mailbox = ? AND member = ?')
			.run(address.trim().toLowerCase(), member);
	}

	#keepOneResponsable(address: string, leaving: string): void {
		const others = this.members(address).filter(
			(m) => m.role === 'responsable' && m.member !== leaving
		);
		if (others.length === 0) {
			throw new AppError('INVALID_INPUT', 'La BAL doit garder au moins un responsable.');
		}
	}

	#insertMember(member: Omit<Member, 'addedAt'>): void {
		if (!MEMBER_ID.test(member.member)) {
			throw new AppError('INVALID_INPUT', `Identifiant de membre invalide : « ${member.member} ».`);
		}
		if (!(ROLES as readonly string[]).includes(member.role)) {
			throw new AppError('INVALID_INPUT', `Rôle inconnu : « ${member.role} ».`);
		}
		const result = this.#db
			.prepare(
				`INSERT INTO structure_member (mailbox, member, display_name, role, added_at, added_by)
				VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`
			)
			.run(
				normaliseAddress(member.mailbox),
				member.member,
				member.displayName.trim(),
				member.role,
				Date.now(),
				member.addedBy
			);
		if (result.changes === 0) {
			throw new AppError('INVALID_INPUT', `${member.displayName} est déjà membre de cette BAL.`);
		}
	}
}
