import { error, fail, redirect } from '@sveltejs/kit';
import { isAppError } from '#lib/server/errors.ts';
import { rootLogger } from '#lib/server/log.ts';
import {
	adminOf,
	deleteCertificate,
	EXPIRY_WARNING_DAYS,
	importCertificate,
	openStructureMailbox,
	structureCertificates,
	type StructureKind
} from '#lib/server/structure-certs/index.ts';
import { folderHref } from '#lib/mail-urls.ts';
import type { Actions, PageServerLoad } from './$types';

/** A PKCS#12 of a key, its certificate and chain is a few kilobytes. */
const MAX_P12_BYTES = 256 * 1024;

function text(form: FormData, key: string): string {
	const value = form.get(key);
	return typeof value === 'string' ? value : '';
}

export const load: PageServerLoad = ({ locals }) => {
	if (!adminOf(locals.session)) error(403, 'Cette page est réservée aux administrateurs.');
	const opened = new Set(locals.session?.mailboxes.map((m) => m.address));
	return {
		warningDays: EXPIRY_WARNING_DAYS,
		certificates: structureCertificates().map((c) => ({
			mailbox: c.mailbox,
			kind: c.kind,
			displayName: c.displayName,
			subject: c.subject,
			issuer: c.issuer,
			organisation: c.organisation,
			serialNumber: c.serialNumber,
			fingerprint: c.fingerprint,
			notBefore: c.notBefore.toISOString(),
			notAfter: c.notAfter.toISOString(),
			daysLeft: c.daysLeft,
			chain: c.chain,
			importedAt: c.importedAt.toISOString(),
			importedBy: c.importedBy,
			isOpen: opened.has(c.mailbox)
		}))
	};
};

/** The file and password of an import form, or the French error of the field at fault. */
async function readImport(form: FormData) {
	const file = form.get('fichier');
	const password = text(form, 'motdepasse');
	const kind: StructureKind = text(form, 'type') === 'APP' ? 'APP' : 'ORG';
	if (!(file instanceof File) || file.size === 0) {
		return { error: { fichier: 'Choisissez le fichier du certificat (.p12 ou .pfx).' } };
	}
	if (file.size > MAX_P12_BYTES) {
		return {
			error: { fichier: 'Ce fichier est trop volumineux pour être un certificat PKCS#12.' }
		};
	}
	if (!password) return { error: { motdepasse: 'Saisissez le mot de passe du certificat.' } };
	return { data: new Uint8Array(await file.arrayBuffer()), password, kind };
}

async function runImport(locals: App.Locals, form: FormData, expectedMailbox: string | undefined) {
	const values = { type: text(form, 'type') || 'ORG', boite: expectedMailbox ?? '' };
	const input = await readImport(form);
	if ('error' in input) return fail(400, { values, errors: input.error });
	try {
		const imported = await importCertificate(locals.session, {
			...input,
			...(expectedMailbox ? { expectedMailbox } : {})
		});
		return { imported: imported.mailbox };
	} catch (err) {
		if (!isAppError(err)) throw err;
		if (err.code === 'FORBIDDEN') error(403, err.message);
		rootLogger.info({ requestId: locals.requestId, code: err.code }, 'certificate import refused');
		return fail(400, { values, errors: { form: err.message } });
	}
}

export const actions: Actions = {
	importer: async ({ request, locals }) => runImport(locals, await request.formData(), undefined),
	remplacer: async ({ request, locals }) => {
		const form = await request.formData();
		return runImport(locals, form, text(form, 'boite'));
	},
	supprimer: async ({ request, locals }) => {
		const form = await request.formData();
		const mailbox = text(form, 'boite');
		try {
			deleteCertificate(locals.session, mailbox);
		} catch (err) {
			if (isAppError(err) && err.code === 'FORBIDDEN') error(403, err.message);
			throw err;
		}
		return { deleted: mailbox };
	},
	ouvrir: async ({ request, locals }) => {
		const form = await request.formData();
		const mailbox = text(form, 'boite');
		let id: string;
		try {
			id = (await openStructureMailbox(locals.session, mailbox)).id;
		} catch (err) {
			if (!isAppError(err)) throw err;
			if (err.code === 'FORBIDDEN') error(403, err.message);
			rootLogger.info({ requestId: locals.requestId, code: err.code }, 'structure mailbox refused');
			return fail(400, {
				values: { boite: mailbox },
				errors: { ouvrir: err.message, boite: mailbox }
			});
		}
		redirect(303, folderHref(id, 'INBOX'));
	}
};
