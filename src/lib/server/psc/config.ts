/**
 * Pro Santé Connect settings (ECO.1.2.1, SC.PSC.08). PSC is on when PSC_ISSUER is set; then the
 * client id and secret are required. Production issuer:
 * https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet — sandbox ("BAS"):
 * https://auth.bas.psc.esante.gouv.fr/auth/realms/esante-wallet.
 */
import * as v from 'valibot';
import { AppError } from '../errors.ts';

export const PSC_PRODUCTION_ISSUER = 'https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet';
export const PSC_SANDBOX_ISSUER = 'https://auth.bas.psc.esante.gouv.fr/auth/realms/esante-wallet';
/** ANS's own PSC client asks for these; no MSSanté-specific scope is documented. */
export const PSC_DEFAULT_SCOPES = 'openid scope_all';

export const PSC_ENV = {
	PSC_ISSUER: v.optional(v.string()),
	PSC_CLIENT_ID: v.optional(v.string()),
	PSC_CLIENT_SECRET: v.optional(v.string()),
	PSC_SCOPES: v.optional(v.string(), PSC_DEFAULT_SCOPES),
	/** Absolute URL of /connexion/psc/retour as registered at PSC; default: from the request. */
	PSC_REDIRECT_URI: v.optional(v.string())
};

export interface PscConfig {
	issuer: URL;
	clientId: string;
	clientSecret: string;
	scopes: string;
	redirectUri: string | undefined;
	/** Plain http is only ever accepted for a loopback issuer (the lab stand-in). */
	allowHttp: boolean;
}

function isLoopback(url: URL): boolean {
	return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

function invalid(message: string): AppError {
	return new AppError('CONFIG_INVALID', `Configuration invalide :\n- ${message}`);
}

export function pscConfigFrom(env: {
	PSC_ISSUER?: string | undefined;
	PSC_CLIENT_ID?: string | undefined;
	PSC_CLIENT_SECRET?: string | undefined;
	PSC_SCOPES?: string | undefined;
	PSC_REDIRECT_URI?: string | undefined;
}): PscConfig | undefined {
	const issuerText = env.PSC_ISSUER?.trim();
	if (!issuerText) return undefined;
	let issuer: URL;
	try {
		issuer = new URL(issuerText);
	} catch {
		throw invalid('PSC_ISSUER: URL invalide');
	}
	const allowHttp = issuer.protocol === 'http:' && isLoopback(issuer);
	if (issuer.protocol !== 'https:' && !allowHttp) {
		throw invalid(
			'PSC_ISSUER: https obligatoire (http seulement pour un fournisseur local de test)'
		);
	}
	if (!env.PSC_CLIENT_ID) throw invalid('PSC_CLIENT_ID: obligatoire quand PSC_ISSUER est défini');
	if (!env.PSC_CLIENT_SECRET) {
		throw invalid('PSC_CLIENT_SECRET: obligatoire quand PSC_ISSUER est défini');
	}
	const scopes = (env.PSC_SCOPES ?? PSC_DEFAULT_SCOPES).trim().split(/\s+/);
	if (!scopes.includes('openid')) throw invalid('PSC_SCOPES: doit contenir « openid »');
	let redirectUri: string | undefined;
	if (env.PSC_REDIRECT_URI) {
		try {
			redirectUri = new URL(env.PSC_REDIRECT_URI).href;
		} catch {
			throw invalid('PSC_REDIRECT_URI: URL invalide');
		}
	}
	return {
		issuer,
		clientId: env.PSC_CLIENT_ID,
		clientSecret: env.PSC_CLIENT_SECRET,
		scopes: scopes.join(' '),
		redirectUri,
		allowHttp
	};
}
