/** A minimal browser-like HTTP client for the benchmarks: one cookie jar, same-origin POSTs. */

export class BenchClient {
	readonly baseUrl: string;
	#cookie = '';

	constructor(baseUrl: string) {
		this.baseUrl = baseUrl;
	}

	async signIn(address: string, password: string): Promise<string> {
		const response = await fetch(`${this.baseUrl}/connexion`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				origin: this.baseUrl,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams({ adresse: address, motdepasse: password })
		});
		const cookie = response.headers.get('set-cookie')?.split(';')[0];
		const location = response.headers.get('location');
		await response.arrayBuffer();
		if (!cookie || !location) throw new Error(`sign-in failed (${response.status})`);
		this.#cookie = cookie;
		return location;
	}

	/** Ends the session (and its IMAP connections), as the sign-out button does. */
	async signOut(): Promise<void> {
		const response = await fetch(`${this.baseUrl}/deconnexion`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				origin: this.baseUrl,
				accept: 'text/html',
				cookie: this.#cookie,
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: ''
		});
		await response.arrayBuffer();
		this.#cookie = '';
	}

	/** GET a page and read the whole body, as the browser would before painting. */
	async get(path: string): Promise<string> {
		const response = await fetch(`${this.baseUrl}${path}`, {
			headers: { cookie: this.#cookie },
			redirect: 'manual'
		});
		const body = await response.text();
		if (response.status !== 200) throw new Error(`GET ${path}: ${response.status}`);
		return body;
	}

	/** Opens the server-sent event stream and resolves on the first data event after `trigger`. */
	async firstEvent(
		path: string,
		trigger: () => Promise<void>,
		timeoutMs = 15_000
	): Promise<number> {
		const controller = new AbortController();
		const response = await fetch(`${this.baseUrl}${path}`, {
			headers: { cookie: this.#cookie },
			signal: controller.signal
		});
		const reader = response.body!.getReader();
		const decoder = new TextDecoder();
		const timer = setTimeout(() => controller.abort(), timeoutMs);
		let buffer = '';
		// The push connection is in place once the stream says `ready`.
		while (!/"kind":"ready"/.test(buffer)) {
			const { value, done } = await reader.read();
			if (done) throw new Error('event stream ended');
			buffer += decoder.decode(value, { stream: true });
		}
		buffer = '';
		const started = performance.now();
		await trigger();
		try {
			for (;;) {
				const { value, done } = await reader.read();
				if (done) throw new Error('event stream ended');
				buffer += decoder.decode(value, { stream: true });
				if (/^data: .*"kind":"exists"/m.test(buffer)) return performance.now() - started;
			}
		} finally {
			clearTimeout(timer);
			controller.abort();
		}
	}
}
