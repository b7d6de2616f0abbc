/**
 * The Pro Santé Connect client (openid-client; the only file importing it): authorization code
 * flow with PKCE (S256), state and nonce, `acr_values=eidas1` (SC.PSC.08), configurable scopes,
 * and the refresh grant. Every failure becomes one `AppError` with a French message and a code
 * that says what went wrong — never a token in the message or the details.
 */
import * as oidc from 'openid-client';
import { AppError } from '../errors.ts';
import type { PscConfig } from './config.ts';
import type { PscTokenSet } from './token-store.ts';

export const PSC_ERROR_MESSAGES = {
	PSC_STATE:
		'La réponse de Pro Santé Connect ne correspond à aucune demande de connexion en cours. Recommencez la connexion.',
	PSC_DENIED: 'Connexion annulée : l’autorisation a été refusée sur Pro Santé Connect.',
	PSC_CODE:
		'Le code de connexion Pro Santé Connect a expiré ou a déjà servi. Recommencez la connexion.',
	PSC_TOKEN:
		'L’identité reçue de Pro Santé Connect n’a pas pu être vérifiée. Recommencez la connexion.',
	PSC_UNAVAILABLE: 'Pro Santé Connect ne répond pas. Réessayez dans un instant.',
	PSC_MAILBOX:
		'Votre identité Pro Santé Connect est vérifiée, mais votre opérateur a refusé l’accès à la boîte aux lettres.',
	PSC_DISABLED: 'La connexion avec Pro Santé Connect n’est pas configurée sur ce serveur.'
} as const;
export type PscErrorCode = keyof typeof PSC_ERROR_MESSAGES;

export function pscError(code: PscErrorCode, cause?: unknown): AppError {
	return new AppError(code, PSC_ERROR_MESSAGES[code], cause === undefined ? {} : { cause });
}

export function isPscErrorCode(value: string): value is PscErrorCode {
	return value in PSC_ERROR_MESSAGES;
}

/** What the sign-in needs from the ID token. */
export interface PscIdentity {
	subject: string;
	givenName: string;
	familyName: string;
	/** The practitioner's MSSanté address, when PSC gives one (`email`). */
	email: string | undefined;
	acr: string | undefined;
}

/** What must survive between the redirect to PSC and its answer (kept on the server only). */
export interface PendingAuthorization {
	state: string;
	nonce: string;
	codeVerifier: string;
	redirectUri: string;
}

/** Maps any openid-client / network failure to one of our codes. */
export function classifyPscFailure(error: unknown): PscErrorCode {
	if (error instanceof AppError && isPscErrorCode(error.code)) return error.code;
	if (error instanceof oidc.AuthorizationResponseError) {
		return error.error === 'access_denied' ? 'PSC_DENIED' : 'PSC_TOKEN';
	}
	if (error instanceof oidc.ResponseBodyError) {
		return error.error === 'invalid_grant' ? 'PSC_CODE' : 'PSC_TOKEN';
	}
	const message = error instanceof Error ? error.message : '';
	const code = (error as { code?: string }).code ?? '';
	if (/"state"|\bstate\b/i.test(message)) return 'PSC_STATE';
	if (code.startsWith('OAUTH_') || code.startsWith('ERR_JW')) return 'PSC_TOKEN';
	return 'PSC_UNAVAILABLE';
}

export class PscClient {
	readonly #config: PscConfig;
	#discovered: Promise<oidc.Configuration> | undefined;

	constructor(config: PscConfig) {
		this.#config = config;
	}

	#configuration(): Promise<oidc.Configuration> {
		this.#discovered ??= oidc
			.discovery(
				this.#config.issuer,
				this.#config.clientId,
				undefined,
				oidc.ClientSecretBasic(this.#config.clientSecret),
				this.#config.allowHttp ? { execute: [oidc.allowInsecureRequests] } : undefined
			)
			.catch((error: unknown) => {
				this.#discovered = undefined;
				throw pscError('PSC_UNAVAILABLE', error);
			});
		return this.#discovered;
	}

	/** The URL to send the browser to, and what to keep until it comes back. */
	async begin(redirectUri: string): Promise<{ url: URL; pending: PendingAuthorization }> {
		const configuration = await this.#configuration();
		const codeVerifier = oidc.randomPKCECodeVerifier();
		const pending: PendingAuthorization = {
			state: oidc.randomState(),
			nonce: oidc.randomNonce(),
			codeVerifier,
			redirectUri
		};
		const url = oidc.buildAuthorizationUrl(configuration, {
			redirect_uri: redirectUri,
			scope: this.#config.scopes,
			response_type: 'code',
			code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
			code_challenge_method: 'S256',
			state: pending.state,
			nonce: pending.nonce,
			acr_values: 'eidas1'
		});
		return { url, pending };
	}

	/** Checks PSC's answer (state, code, ID token, nonce, acr) and returns the tokens. */
	async complete(
		callbackUrl: URL,
		pending: PendingAuthorization
	): Promise<{ tokens: PscTokenSet; identity: PscIdentity }> {
		// Checked first and by us: an answer for another sign-in is never sent to the token endpoint.
		if (callbackUrl.searchParams.get('state') !== pending.state) throw pscError('PSC_STATE');
		const configuration = await this.#configuration();
		let response;
		try {
			response = await oidc.authorizationCodeGrant(configuration, callbackUrl, {
				pkceCodeVerifier: pending.codeVerifier,
				expectedState: pending.state,
				expectedNonce: pending.nonce,
				idTokenExpected: true
			});
		} catch (error) {
			throw pscError(classifyPscFailure(error), error);
		}
		const claims = response.claims();
		if (!claims?.sub) throw pscError('PSC_TOKEN');
		// SC.PSC.08: we asked for eidas1; an answer at another level is not accepted.
		if (claims.acr !== undefined && claims.acr !== 'eidas1') throw pscError('PSC_TOKEN');
		const text = (value: unknown) => (typeof value === 'string' ? value : '');
		return {
			tokens: {
				accessToken: response.access_token,
				refreshToken: response.refresh_token,
				expiresIn: response.expiresIn() ?? 0
			},
			identity: {
				subject: claims.sub,
				givenName: text(claims.given_name),
				familyName: text(claims.family_name),
				email: text(claims.email).toLowerCase() || undefined,
				acr: typeof claims.acr === 'string' ? claims.acr : undefined
			}
		};
	}

	async refresh(refreshToken: string): Promise<PscTokenSet> {
		const configuration = await this.#configuration();
		const response = await oidc.refreshTokenGrant(configuration, refreshToken);
		return {
			accessToken: response.access_token,
			refreshToken: response.refresh_token,
			expiresIn: response.expiresIn() ?? 0
		};
	}
}
