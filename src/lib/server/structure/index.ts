/**
 * The structure-mailbox services bound to the app database and the server secret, made once.
 * `structureActor` tells who is acting in a session: their member id when they have one, and
 * whether they are Confrère's administrator (who manages every structure).
 */
import { isAdministrator } from '../audit/access.ts';
import { getConfig } from '../config.ts';
import { openAppDb } from '../db/app-db.ts';
import { AppError } from '../errors.ts';
import type { Session, SessionMailbox } from '../session/store.ts';
import { LocalAccounts } from './local-accounts.ts';
import { StructureDirectory, type Member } from './members.ts';

interface StructureServices {
	directory: StructureDirectory;
	accounts: LocalAccounts;
}

let services: StructureServices | undefined;

export function getStructureServices(): StructureServices {
	if (services) return services;
	const config = getConfig();
	const db = openAppDb(config.dataDir);
	services = {
		directory: new StructureDirectory(db),
		accounts: new LocalAccounts({ db, serverSecret: config.sessionSecret })
	};
	return services;
}

export interface StructureActor {
	/** Written as `added_by` / `created_by`: the member id, or the signed-in address. */
	id: string;
	memberId?: string;
	administrator: boolean;
}

export function structureActor(session: Session): StructureActor {
	return {
		id: session.memberId ?? session.userLabel,
		memberId: session.memberId,
		administrator: isAdministrator(session)
	};
}

/** May this person manage (members, roles) the structure mailbox at `address`? */
export function canManage(actor: StructureActor, address: string): boolean {
	if (actor.administrator) return true;
	if (!actor.memberId) return false;
	return getStructureServices().directory.roleOf(address, actor.memberId) === 'responsable';
}

/**
 * A mailbox opened through membership stays open only while the person is still a member: read
 * on every request, so a member removed loses access at their next request (and their push
 * connection within its next check).
 */
export function checkMemberAccess(mailbox: SessionMailbox): void {
	if (!mailbox.member) return;
	const role = getStructureServices().directory.roleOf(mailbox.address, mailbox.member);
	if (!role) {
		throw new AppError('FORBIDDEN', `Votre accès à la BAL ${mailbox.address} a été retiré.`);
	}
}

export type { Member };
