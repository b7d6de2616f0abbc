import { error, fail, redirect } from '@sveltejs/kit';
import { audit, sessionScope } from '#lib/server/audit/index.ts';
import { isAppError } from '#lib/server/errors.ts';
import { getStructureServices, structureActor } from '#lib/server/structure/index.ts';
import { parseMemberId, ROLE_LABELS } from '#lib/server/structure/members.ts';
import type { Actions, PageServerLoad } from './$types';

function text(form: FormData, key: string): string {
	const value = form.get(key);
	return typeof value === 'string' ? value.trim() : '';
}

export const load: PageServerLoad = ({ locals }) => {
	const session = locals.session;
	if (!session) error(401, 'Session expirée.');
	const actor = structureActor(session);
	const { directory } = getStructureServices();
	const mine = actor.memberId ? directory.structuresOf(actor.memberId) : [];
	const structures = actor.administrator
		? directory.list().map((structure) => ({
				structure,
				role: mine.find((m) => m.structure.address === structure.address)?.role ?? null
			}))
		: mine;
	return {
		isAdmin: actor.administrator,
		structures: structures.map(({ structure, role }) => ({
			...structure,
			role: role ? ROLE_LABELS[role] : null,
			members: directory.members(structure.address).length
		}))
	};
};

export const actions: Actions = {
	declarer: async ({ locals, request }) => {
		const session = locals.session;
		if (!session) error(401, 'Session expirée.');
		const actor = structureActor(session);
		if (!actor.administrator) error(403, 'Réservé à l’administrateur de Confrère.');
		const form = await request.formData();
		const values = {
			address: text(form, 'adresse').toLowerCase(),
			kind: text(form, 'type') === 'APP' ? 'APP' : 'ORG',
			displayName: text(form, 'nom'),
			accessMode: text(form, 'acces') === 'psc' ? 'psc' : 'certificate',
			responsable: text(form, 'responsable'),
			responsableName: text(form, 'responsable_nom')
		} as const;
		const responsable = parseMemberId(values.responsable);
		if (!responsable) {
			return fail(400, {
				values,
				problem: 'Responsable : un numéro RPPS (11 chiffres) ou l’identifiant d’un compte local.'
			});
		}
		try {
			getStructureServices().directory.declare(
				{
					address: values.address,
					kind: values.kind,
					displayName: values.displayName,
					accessMode: values.accessMode
				},
				actor.id,
				{ member: responsable, displayName: values.responsableName || values.responsable }
			);
		} catch (err) {
			if (isAppError(err) && err.code === 'INVALID_INPUT') {
				return fail(400, { values, problem: err.message });
			}
			throw err;
		}
		audit({
			...sessionScope(session),
			mailbox: values.address,
			action: 'member',
			request: `déclaration de la BAL ${values.kind} (${values.accessMode}), responsable ${responsable}`,
			outcome: 'ok'
		});
		redirect(303, `/structures/${encodeURIComponent(values.address)}`);
	}
};
