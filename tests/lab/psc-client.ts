/**
 * Driving the lab's PSC stand-in without a browser, for the integration tests: the same pages a
 * person goes through (identification, consent), posted with a small cookie jar. Returns the
 * final redirect (with `code` and `state`, or `error`) to the client's redirect URI.
 */
import { pscPractitioners, type PscLabInfo } from './psc-settings.ts';

class CookieJar {
	readonly #cookies = new Map<string, string>();
	store(response: Response): void {
		for (const line of response.headers.getSetCookie()) {
			const [pair = ''] = line.split(';');
			const index = pair.indexOf('=');
			if (index > 0) this.#cookies.set(pair.slice(0, index).trim(), pair.slice(index + 1).trim());
		}
	}
	header(): string {
		return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
	}
}

/**
 * Follows the authorization request through the stand-in's pages as `email` would, answering the
 * consent page with `consent`. Resolves with the URL the stand-in sends back to the client.
 */
export async function walkPscPages(
	psc: PscLabInfo,
	authorizationUrl: string,
	options: { email: string; consent: boolean }
): Promise<URL> {
	const jar = new CookieJar();
	let url = authorizationUrl;
	let method = 'GET';
	let body: URLSearchParams | undefined;
	for (let hop = 0; hop < 20; hop++) {
		const response = await fetch(url, {
			method,
			body,
			redirect: 'manual',
			headers: { cookie: jar.header() }
		});
		jar.store(response);
		const location = response.headers.get('location');
		if (location) {
			const next = new URL(location, url);
			if (!next.href.startsWith(psc.issuer)) return next;
			url = next.href;
			method = 'GET';
			body = undefined;
			continue;
		}
		const html = await response.text();
		if (!response.ok) throw new Error(`PSC stand-in answered ${response.status}`);
		const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
		if (!action) throw new Error('PSC stand-in page without a form');
		url = new URL(action.replace(/&amp;/g, '&'), url).href;
		method = 'POST';
		if (action.endsWith('/identification')) {
			const sub = pscPractitioners().find((p) => p.email === options.email.toLowerCase())?.sub;
			body = new URLSearchParams({ sub: sub ?? 'inconnu' });
		} else {
			body = new URLSearchParams({ decision: options.consent ? 'autoriser' : 'refuser' });
		}
	}
	throw new Error('too many hops at the PSC stand-in');
}

/** Calls a lab control of the stand-in (POST /lab/<name>). */
export async function pscControl(
	psc: PscLabInfo,
	name: 'revoquer' | 'durees' | 'reinitialiser',
	params: Record<string, string> = {}
): Promise<unknown> {
	const response = await fetch(`${psc.controlUrl}/${name}?${new URLSearchParams(params)}`, {
		method: 'POST'
	});
	if (!response.ok) throw new Error(`PSC control ${name} failed: ${response.status}`);
	return response.json();
}
