import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => {
	const session = locals.session;
	// hooks.server.ts guarantees a session for the (app) group.
	return {
		userLabel: session?.userLabel ?? '',
		isPsc: Boolean(session?.psc),
		mailboxes: (session?.mailboxes ?? []).map((m) => ({
			id: m.id,
			address: m.address,
			displayName: m.displayName,
			kind: m.kind
		}))
	};
};
