import { error, fail } from '@sveltejs/kit';
import { audit, sessionScope } from '#lib/server/audit/index.ts';
import { isAppError } from '#lib/server/errors.ts';
import { otpauthUri } from '#lib/server/structure/totp.ts';
import { canManage, getStructureServices, structureActor } from '#lib/server/structure/index.ts';
import { parseMemberId, ROLE_LABELS, ROLES, type Role } from '#lib/server/structure/members.ts';
import type { Session } from '#lib/server/session/store.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

function text(form: FormData, key: string): string {
	const value = form.get(key);
	return typeof value === 'string' ? value.trim() : '';
}

function role(value: string): Role | undefined {
	return (ROLES as readonly string[]).includes(value) ? (value as Role) : undefined;
}

export const load: PageServerLoad = ({ locals, params }) => {
	const session = locals.session;
	if (!session) error(401, 'Session expirée.');
	const actor = structureActor(session);
	const { directory, accounts } = getStructureServices();
	const structure = directory.get(params.address);
	const myRole = actor.memberId ? directory.roleOf(params.address, actor.memberId) : undefined;
	if (!structure || (!actor.administrator && !myRole)) error(404, 'BAL de structure inconnue.');
	const locals_ = new Map(accounts.list().map((a) => [`local:${a.login}`, a]));
	return {
		structure,
		canManage: canManage(actor, structure.address),
		myRole: myRole ? ROLE_LABELS[myRole] : null,
		roles: ROLES.map((value) => ({ value, label: ROLE_LABELS[value] })),
		members: directory.members(structure.address).map((m) => {
			const local = locals_.get(m.member);
			return {
				id: m.member,
				displayName: m.displayName,
				role: m.role,
				kind: m.member.startsWith('psc:') ? 'Pro Santé Connect' : 'Compte local',
				identifier: m.member.replace(/^(psc|local):/, ''),
				addedAt: new Date(m.addedAt).toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' }),
				totpPending: local ? !local.totpConfirmed : false,
				disabled: local?.disabled ?? false
			};
		})
	};
};

/** Runs a member change as the current person, traced in the audit trail. */
function manage(
	event: RequestEvent,
	describe: string,
	run: (ctx: { session: Session; address: string; by: string; administrator: boolean }) => void
) {
	const session = event.locals.session;
	if (!session) error(401, 'Session expirée.');
	const actor = structureActor(session);
	const address = event.params.address.toLowerCase();
	if (!canManage(actor, address))
		error(403, 'Seul un responsable de la BAL peut gérer ses membres.');
	try {
		run({ session, address, by: actor.id, administrator: actor.administrator });
	} catch (err) {
		audit({
			...sessionScope(session),
			mailbox: address,
			action: 'member',
			request: describe,
			outcome: 'failure',
			answer: isAppError(err) ? err.code : 'INTERNAL'
		});
		if (isAppError(err) && err.code === 'INVALID_INPUT') return fail(400, { problem: err.message });
		throw err;
	}
	audit({
		...sessionScope(session),
		mailbox: address,
		action: 'member',
		request: describe,
		outcome: 'ok'
	});
	return null;
}

export const actions: Actions = {
	ajouter: async (event) => {
		const form = await event.request.formData();
		const chosen = role(text(form, 'role'));
		if (!chosen) return fail(400, { problem: 'Choisissez un rôle.' });
		const displayName = text(form, 'nom');
		const kind = text(form, 'genre');
		if (kind === 'local') {
			const login = text(form, 'identifiant').toLowerCase();
			let created: { login: string; totpSecret: string } | undefined;
			const outcome = manage(event, `ajout du compte local local:${login} (${chosen})`, (ctx) => {
				const { accounts, directory } = getStructureServices();
				created = accounts.create({ login, displayName, password: text(form, 'motdepasse') });
				directory.addMember(
					{
						mailbox: ctx.address,
						member: `local:${login}`,
						displayName,
						role: chosen,
						addedBy: ctx.by
					},
					ctx.by,
					ctx.administrator
				);
			});
			if (outcome || !created) return outcome;
			return {
				enrolment: {
					login: created.login,
					secret: created.totpSecret.replace(/(.{4})/g, '$1 ').trim(),
					uri: otpauthUri({
						secret: created.totpSecret,
						account: created.login,
						issuer: 'Confrère'
					})
				}
			};
		}
		const member = parseMemberId(text(form, 'identifiant'));
		if (!member?.startsWith('psc:')) {
			return fail(400, { problem: 'Numéro RPPS attendu : 11 chiffres.' });
		}
		return manage(event, `ajout du membre ${member} (${chosen})`, (ctx) =>
			getStructureServices().directory.addMember(
				{
					mailbox: ctx.address,
					member,
					displayName: displayName || member,
					role: chosen,
					addedBy: ctx.by
				},
				ctx.by,
				ctx.administrator
			)
		);
	},
	role: async (event) => {
		const form = await event.request.formData();
		const member = text(form, 'membre');
		const chosen = role(text(form, 'role'));
		if (!chosen) return fail(400, { problem: 'Choisissez un rôle.' });
		return manage(event, `rôle de ${member} → ${chosen}`, (ctx) =>
			getStructureServices().directory.changeRole(
				ctx.address,
				member,
				chosen,
				ctx.by,
				ctx.administrator
			)
		);
	},
	retirer: async (event) => {
		const form = await event.request.formData();
		const member = text(form, 'membre');
		return manage(event, `retrait du membre ${member}`, (ctx) =>
			getStructureServices().directory.removeMember(ctx.address, member, ctx.by, ctx.administrator)
		);
	}
};
