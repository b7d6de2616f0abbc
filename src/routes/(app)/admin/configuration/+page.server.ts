import { error, fail } from '@sveltejs/kit';
import { connectionTest, discover, type AutoconfigSettings } from '#lib/server/autoconfig/index.ts';
import { isAppError } from '#lib/server/errors.ts';
import { adminOf } from '#lib/server/structure-certs/index.ts';
import type { Actions, PageServerLoad } from './$types';

const HOST = /^[a-z0-9.-]{1,253}$/i;

function text(form: FormData, key: string): string {
	const value = form.get(key);
	return typeof value === 'string' ? value.trim() : '';
}

function admin(locals: App.Locals): string {
	const actor = adminOf(locals.session);
	if (!actor) error(403, 'Cette page est réservée aux administrateurs.');
	return actor;
}

export const load: PageServerLoad = ({ locals }) => {
	admin(locals);
	return {};
};

export const actions: Actions = {
	detecter: async ({ request, locals }) => {
		const actor = admin(locals);
		const form = await request.formData();
		const adresse = text(form, 'adresse');
		try {
			const settings = await discover(actor, adresse);
			return { source: 'auto' as const, adresse, test: await connectionTest(actor, settings) };
		} catch (err) {
			if (!isAppError(err)) throw err;
			// Manual settings stay available below (fallback).
			return fail(400, { adresse, errors: { adresse: err.message } });
		}
	},
	tester: async ({ request, locals }) => {
		const actor = admin(locals);
		const form = await request.formData();
		const manual = {
			imapHost: text(form, 'imap_hote'),
			imapPort: text(form, 'imap_port'),
			imapSecurity: text(form, 'imap_securite'),
			smtpHost: text(form, 'smtp_hote'),
			smtpPort: text(form, 'smtp_port'),
			smtpSecurity: text(form, 'smtp_securite')
		};
		const errors: Record<string, string> = {};
		for (const kind of ['imap', 'smtp'] as const) {
			const host = manual[`${kind}Host`];
			const port = Number(manual[`${kind}Port`]);
			if (!HOST.test(host)) errors[`${kind}_hote`] = 'Saisissez un nom de serveur valide.';
			if (!Number.isInteger(port) || port < 1 || port > 65_535)
				errors[`${kind}_port`] = 'Saisissez un port entre 1 et 65535.';
		}
		if (Object.keys(errors).length > 0) return fail(400, { manual, errors });
		const security = (value: string) => (value === 'tls' ? 'tls' : 'starttls');
		const settings: AutoconfigSettings = {
			imap: {
				host: manual.imapHost.toLowerCase(),
				port: Number(manual.imapPort),
				security: security(manual.imapSecurity)
			},
			smtp: {
				host: manual.smtpHost.toLowerCase(),
				port: Number(manual.smtpPort),
				security: security(manual.smtpSecurity)
			}
		};
		return { source: 'manuel' as const, manual, test: await connectionTest(actor, settings) };
	}
};
