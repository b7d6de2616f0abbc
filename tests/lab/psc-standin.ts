/**
 * Lab stand-in for Pro Santé Connect: a real OpenID Connect provider (oidc-provider) on loopback,
 * with the lab's test practitioners, a login page (standing in for CPS / e-CPS) and a consent page.
 * Like PSC: authorization code + PKCE, `acr` eidas1, access tokens as RS256 JWT of about 5 minutes,
 * refresh tokens. The JWT carries `email` (the practitioner's PER mailbox) and, for Dr Martin,
 * `mss_bal_org` (the structure mailbox she may open): Dovecot's oauth2 passdb validates the token
 * locally and takes the mailbox from one of these claims.
 *
 * Lab controls (loopback only, for tests): POST /lab/revoquer?email=<address> (the person's refresh
 * tokens, grants and sessions die: the next refresh fails, as after a PSC logout), POST
 * /lab/durees?acces=<s>&code=<s> (token and code lifetimes), POST /lab/reinitialiser.
 *
 * Usage: node tests/lab/psc-standin.ts <port> <lab dir>   (started and stopped by `npm run lab`)
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import Provider, { type Adapter, type AdapterPayload } from 'oidc-provider';
import { PSC_LAB_CLIENT, pscPractitioners, type PscPractitioner } from './psc-settings.ts';

const port = Number(process.argv[2]);
const labDir = process.argv[3];
if (!Number.isInteger(port) || !labDir) {
	console.error('usage: node tests/lab/psc-standin.ts <port> <lab dir>');
	process.exit(2);
}

const issuer = `http://127.0.0.1:${port}`;
const signingKey = JSON.parse(readFileSync(join(labDir, 'psc', 'signing-key.json'), 'utf8')) as {
	kid: string;
};
const practitioners = pscPractitioners();
const DEFAULT_DURATIONS = { accessToken: 300, code: 60 };
const durations = { ...DEFAULT_DURATIONS };

// ---- In-memory storage, searchable so that the lab controls can revoke a person's tokens. ----
interface Stored {
	payload: AdapterPayload;
	expiresAt: number;
}
const stores = new Map<string, Map<string, Stored>>();
function store(model: string): Map<string, Stored> {
	let map = stores.get(model);
	if (!map) {
		map = new Map();
		stores.set(model, map);
	}
	return map;
}
function live(entry: Stored | undefined): AdapterPayload | undefined {
	if (!entry) return undefined;
	if (entry.expiresAt && entry.expiresAt < Date.now()) return undefined;
	return entry.payload;
}

class LabAdapter implements Adapter {
	readonly #model: string;
	constructor(model: string) {
		this.#model = model;
	}
	upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
		store(this.#model).set(id, {
			payload,
			expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : 0
		});
		return Promise.resolve();
	}
	find(id: string): Promise<AdapterPayload | undefined> {
		return Promise.resolve(live(store(this.#model).get(id)));
	}
	findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
		for (const entry of store(this.#model).values()) {
			if (entry.payload.userCode === userCode) return Promise.resolve(live(entry));
		}
		return Promise.resolve(undefined);
	}
	findByUid(uid: string): Promise<AdapterPayload | undefined> {
		for (const entry of store(this.#model).values()) {
			if (entry.payload.uid === uid) return Promise.resolve(live(entry));
		}
		return Promise.resolve(undefined);
	}
	consume(id: string): Promise<void> {
		const entry = store(this.#model).get(id);
		if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
		return Promise.resolve();
	}
	destroy(id: string): Promise<void> {
		store(this.#model).delete(id);
		return Promise.resolve();
	}
	revokeByGrantId(grantId: string): Promise<void> {
		for (const map of stores.values()) {
			for (const [id, entry] of map) if (entry.payload.grantId === grantId) map.delete(id);
		}
		return Promise.resolve();
	}
}

/** Everything a person holds at the provider: refresh tokens, grants, sessions. */
function revokePerson(sub: string): number {
	let removed = 0;
	for (const model of ['RefreshToken', 'Grant', 'Session', 'AccessToken']) {
		const map = store(model);
		for (const [id, entry] of map) {
			if (entry.payload.accountId === sub) {
				map.delete(id);
				if (model === 'RefreshToken') removed += 1;
			}
		}
	}
	return removed;
}

function claimsOf(person: PscPractitioner): Record<string, string> {
	return {
		email: person.email,
		given_name: person.givenName,
		family_name: person.familyName,
		preferred_username: person.sub,
		SubjectNameID: person.sub,
		SubjectRefPro: person.profession,
		...(person.organisationMailbox ? { mss_bal_org: person.organisationMailbox } : {})
	};
}

const RESOURCE = 'urn:confrere:lab:mssante';

const provider = new Provider(issuer, {
	adapter: LabAdapter,
	clients: [
		{
			client_id: PSC_LAB_CLIENT.clientId,
			client_secret: PSC_LAB_CLIENT.clientSecret,
			// "native" + loopback: any port of 127.0.0.1 is accepted (RFC 8252 §7.3), so the webmail
			// started by the tests on a free port can come back here.
			application_type: 'native',
			redirect_uris: [`http://127.0.0.1${PSC_LAB_CLIENT.redirectPath}`],
			grant_types: ['authorization_code', 'refresh_token'],
			response_types: ['code'],
			token_endpoint_auth_method: 'client_secret_basic'
		}
	],
	pkce: { required: () => true },
	acrValues: ['eidas1'],
	scopes: ['openid', 'scope_all', 'offline_access'],
	claims: {
		openid: ['sub'],
		scope_all: [
			'email',
			'given_name',
			'family_name',
			'preferred_username',
			'SubjectNameID',
			'SubjectRefPro'
		]
	},
	jwks: { keys: [signingKey] },
	cookies: { keys: ['confrere-lab-psc-standin-cookie-key'] },
	findAccount: (_ctx, sub) => {
		const person = practitioners.find((p) => p.sub === sub);
		if (!person) return undefined;
		return {
			accountId: sub,
			claims: () => ({ sub, acr: 'eidas1', ...claimsOf(person) })
		};
	},
	features: {
		devInteractions: { enabled: false },
		resourceIndicators: {
			enabled: true,
			defaultResource: () => RESOURCE,
			useGrantedResource: () => true,
			getResourceServerInfo: () => ({
				scope: 'scope_all',
				audience: RESOURCE,
				accessTokenTTL: durations.accessToken,
				accessTokenFormat: 'jwt',
				jwt: { sign: { alg: 'RS256' } }
			})
		}
	},
	extraTokenClaims: (_ctx, token) => {
		const person = practitioners.find((p) => p.sub === token.accountId);
		return person ? { acr: 'eidas1', ...claimsOf(person) } : undefined;
	},
	// PSC is a Keycloak: its access tokens say `typ: JWT` (not RFC 9068's at+jwt), and Dovecot
	// 2.3's local validation accepts only that.
	formats: {
		customizers: {
			jwt: (_ctx, _token, jwt) => {
				jwt.header = { typ: 'JWT' };
			}
		}
	},
	expiresWithSession: () => false,
	issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
	ttl: {
		AccessToken: () => durations.accessToken,
		AuthorizationCode: () => durations.code,
		IdToken: 300,
		RefreshToken: 8 * 3600,
		Interaction: 600,
		Session: 8 * 3600,
		Grant: 8 * 3600
	},
	interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
	renderError: (ctx, out) => {
		ctx.type = 'html';
		ctx.body = page(
			'Erreur',
			`<h1>Erreur Pro Santé Connect (lab)</h1><p>${escape(text(out.error))} : ${escape(text(out.error_description))}</p>`
		);
	}
});

// ---- Pages ----
function text(value: unknown): string {
	return typeof value === 'string' ? value : '';
}

function escape(text: string): string {
	return text.replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c
	);
}

function page(title: string, body: string): string {
	return `<!doctype html><html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} — Pro Santé Connect (lab)</title>
<style>
body{font-family:system-ui,sans-serif;background:#eef3f8;margin:0;color:#1d2733}
main{max-width:460px;margin:6vh auto;background:#fff;border-radius:14px;padding:28px;box-shadow:0 6px 24px #0002}
.band{background:#000091;color:#fff;border-radius:8px;padding:10px 14px;font-weight:700;margin-bottom:18px}
label{display:block;font-weight:600;margin:14px 0 6px}
select,button{font:inherit;padding:10px 12px;border-radius:8px;width:100%}
select{border:1px solid #9aa7b6}
button{border:0;background:#000091;color:#fff;font-weight:700;margin-top:14px;cursor:pointer}
button.secondary{background:#fff;color:#000091;border:1px solid #000091}
.note{color:#5b6675;font-size:.85rem}
ul{padding-left:20px}
</style></head><body><main><div class="band">Pro Santé Connect — laboratoire de test</div>${body}</main></body></html>`;
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function send(response: ServerResponse, status: number, body: string, type = 'text/html'): void {
	response.writeHead(status, {
		'content-type': `${type}; charset=utf-8`,
		'cache-control': 'no-store',
		// form-action also covers the redirect back to the client (the webmail on any loopback port).
		'content-security-policy':
			"default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http://127.0.0.1:*"
	});
	response.end(body);
}

async function interaction(request: IncomingMessage, response: ServerResponse): Promise<void> {
	const details = await provider.interactionDetails(request, response);
	const uid = escape(details.uid);
	const action = request.url?.split('?')[0] ?? '';
	if (request.method === 'GET') {
		if (details.prompt.name === 'login') {
			const options = practitioners
				.map((p) => `<option value="${escape(p.sub)}">${escape(p.label)}</option>`)
				.join('');
			send(
				response,
				200,
				page(
					'Identification',
					`<h1>Identification</h1>
<p class="note">Dans le laboratoire, choisir un professionnel de test remplace la carte CPS ou l’application e-CPS.</p>
<form method="post" action="/interaction/${uid}/identification">
<label for="sub">Professionnel de santé</label>
<select id="sub" name="sub">${options}</select>
<button type="submit">S’identifier avec e-CPS (test)</button></form>`
				)
			);
			return;
		}
		const person = practitioners.find((p) => p.sub === details.session?.accountId);
		send(
			response,
			200,
			page(
				'Consentement',
				`<h1>Autoriser Confrère ?</h1>
<p>${escape(person?.label ?? '')}, l’application <strong>Confrère (laboratoire)</strong> demande :</p>
<ul><li>votre identité de professionnel de santé (RPPS, nom, profession) ;</li>
<li>l’accès à vos boîtes aux lettres MSSanté.</li></ul>
<form method="post" action="/interaction/${uid}/consentement">
<button type="submit" name="decision" value="autoriser">Autoriser</button>
<button class="secondary" type="submit" name="decision" value="refuser">Refuser</button></form>`
			)
		);
		return;
	}
	const form = await readForm(request);
	if (action.endsWith('/identification')) {
		const sub = form.get('sub') ?? '';
		if (!practitioners.some((p) => p.sub === sub)) {
			send(response, 400, page('Erreur', '<p>Professionnel inconnu.</p>'));
			return;
		}
		await provider.interactionFinished(
			request,
			response,
			{ login: { accountId: sub, acr: 'eidas1', amr: ['mfa'] } },
			{ mergeWithLastSubmission: false }
		);
		return;
	}
	if (form.get('decision') !== 'autoriser') {
		await provider.interactionFinished(
			request,
			response,
			{ error: 'access_denied', error_description: 'consent refused by the user' },
			{ mergeWithLastSubmission: false }
		);
		return;
	}
	const accountId = details.session?.accountId ?? '';
	const clientId = String(details.params.client_id);
	const grant = details.grantId
		? ((await provider.Grant.find(details.grantId)) ?? new provider.Grant({ accountId, clientId }))
		: new provider.Grant({ accountId, clientId });
	grant.addOIDCScope('openid scope_all offline_access');
	grant.addOIDCClaims(['email', 'given_name', 'family_name', 'SubjectNameID']);
	grant.addResourceScope(RESOURCE, 'scope_all');
	const grantId = await grant.save();
	await provider.interactionFinished(
		request,
		response,
		{ consent: { grantId } },
		{ mergeWithLastSubmission: true }
	);
}

function control(url: URL, response: ServerResponse): void {
	if (url.pathname === '/lab/revoquer') {
		const email = (url.searchParams.get('email') ?? '').toLowerCase();
		const person = practitioners.find((p) => p.email === email);
		if (!person) return send(response, 404, '{"error":"unknown"}', 'application/json');
		const removed = revokePerson(person.sub);
		return send(response, 200, JSON.stringify({ revoked: removed }), 'application/json');
	}
	if (url.pathname === '/lab/durees') {
		const access = Number(url.searchParams.get('acces') ?? DEFAULT_DURATIONS.accessToken);
		const code = Number(url.searchParams.get('code') ?? DEFAULT_DURATIONS.code);
		if (!(access >= 1 && code >= 1)) return send(response, 400, '{}', 'application/json');
		durations.accessToken = access;
		durations.code = code;
		return send(response, 200, JSON.stringify(durations), 'application/json');
	}
	if (url.pathname === '/lab/reinitialiser') {
		Object.assign(durations, DEFAULT_DURATIONS);
		stores.clear();
		return send(response, 200, JSON.stringify(durations), 'application/json');
	}
	send(response, 404, '{"error":"not found"}', 'application/json');
}

const handler = provider.callback();
const server = createServer((request, response) => {
	const url = new URL(request.url ?? '/', issuer);
	const done = (error: unknown) => {
		console.error(`psc-standin: ${error instanceof Error ? error.message : String(error)}`);
		if (!response.headersSent) send(response, 400, page('Erreur', '<p>Requête refusée.</p>'));
	};
	if (url.pathname.startsWith('/lab/')) {
		if (request.method !== 'POST') return send(response, 405, '{}', 'application/json');
		return control(url, response);
	}
	if (url.pathname.startsWith('/interaction/')) {
		interaction(request, response).catch(done);
		return;
	}
	handler(request, response);
});

server.listen({ host: '127.0.0.1', port }, () => {
	console.log(`psc-standin listening on ${issuer}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
