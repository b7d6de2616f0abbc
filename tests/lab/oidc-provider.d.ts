/** The part of oidc-provider 9 (untyped package) that the lab's PSC stand-in uses. */
declare module 'oidc-provider' {
	import type { IncomingMessage, ServerResponse } from 'node:http';

	export type AdapterPayload = Record<string, unknown> & {
		accountId?: string;
		grantId?: string;
		uid?: string;
		userCode?: string;
		consumed?: number;
	};
	export interface Adapter {
		upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void>;
		find(id: string): Promise<AdapterPayload | undefined>;
		findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
		findByUid(uid: string): Promise<AdapterPayload | undefined>;
		consume(id: string): Promise<void>;
		destroy(id: string): Promise<void>;
		revokeByGrantId(grantId: string): Promise<void>;
	}
	export interface Client {
		grantTypeAllowed(type: string): boolean;
	}
	export interface Token {
		accountId?: string;
	}
	export interface InteractionDetails {
		uid: string;
		prompt: { name: string; details: Record<string, unknown> };
		params: Record<string, unknown>;
		session?: { accountId?: string };
		grantId?: string;
	}
	export interface Grant {
		addOIDCScope(scope: string): void;
		addOIDCClaims(claims: string[]): void;
		addResourceScope(resource: string, scope: string): void;
		save(): Promise<string>;
	}
	type Ctx = { type: string; body: unknown };
	export interface Configuration {
		adapter?: new (model: string) => Adapter;
		clients?: Record<string, unknown>[];
		pkce?: { required: () => boolean };
		acrValues?: string[];
		scopes?: string[];
		claims?: Record<string, string[]>;
		jwks?: { keys: unknown[] };
		cookies?: { keys: string[] };
		findAccount?: (
			ctx: unknown,
			sub: string
		) =>
			| { accountId: string; claims: () => Record<string, unknown> }
			| undefined
			| Promise<{ accountId: string; claims: () => Record<string, unknown> } | undefined>;
		features?: Record<string, unknown>;
		extraTokenClaims?: (ctx: unknown, token: Token) => Record<string, unknown> | undefined;
		formats?: {
			customizers?: {
				jwt?: (
					ctx: unknown,
					token: Token,
					jwt: { header: Record<string, unknown> | undefined; payload: Record<string, unknown> }
				) => void;
			};
		};
		expiresWithSession?: () => boolean;
		issueRefreshToken?: (ctx: unknown, client: Client) => boolean;
		ttl?: Record<string, number | (() => number)>;
		interactions?: { url: (ctx: unknown, interaction: { uid: string }) => string };
		renderError?: (ctx: Ctx, out: Record<string, unknown>, error: unknown) => void;
	}
	export default class Provider {
		constructor(issuer: string, configuration: Configuration);
		Grant: {
			new (init: { accountId: string; clientId: string }): Grant;
			find(id: string): Promise<Grant | undefined>;
		};
		callback(): (request: IncomingMessage, response: ServerResponse) => void;
		interactionDetails(
			request: IncomingMessage,
			response: ServerResponse
		): Promise<InteractionDetails>;
		interactionFinished(
			request: IncomingMessage,
			response: ServerResponse,
			result: Record<string, unknown>,
			options?: { mergeWithLastSubmission?: boolean }
		): Promise<void>;
	}
}
