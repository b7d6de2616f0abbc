/**
 * MSSanté autoconfiguration (ECO.1.1.9): from a mailbox address, GET
 * `https://autoconfig.<domain>/mail/config-v1.1.xml` (Thunderbird's format), apply the IMAP and
 * SMTP settings it gives, then run a connection test with the probe's rules (certs/probe.ts).
 * The autoconfig host may present an IGC-Santé certificate or a commercial one commonly accepted by
 * browsers, so its trust store is Node's web PKI plus the IGC-Santé anchors (never for IMAP/SMTP).
 * The XML is untrusted: size-capped, no DTD nor entity (refused before parsing), no redirect.
 * Framework-free.
 */
import { request } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { rootCertificates } from 'node:tls';
import { AppError } from '../src/lib/server/errors.ts';
import { attr, children, parseXml, textOf } from '../src/lib/server/mssante/xml/parse.ts';
import { probe, type ProbeReport } from './probe.ts';

export type Security = 'starttls' | 'tls';

export interface ServerSettings {
	host: string;
	port: number;
	security: Security;
}

export interface AutoconfigSettings {
	imap: ServerSettings;
	smtp: ServerSettings;
	/** The provider's display name, when given. */
	provider?: string;
}

/** Test-only: `autoconfig.<domain>` → a local address and port (the TLS name is kept). */
export type ResolveOverride = Record<string, { address: string; port: number }>;

const MAX_BYTES = 64 * 1024;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;

function invalid(message: string, cause?: unknown): AppError {
	return new AppError('INVALID_INPUT', message, cause === undefined ? {} : { cause });
}

export function autoconfigUrl(address: string): URL {
	const domain = address.trim().toLowerCase().split('@')[1] ?? '';
	if (!/^[^\s@]+@[^\s@]+$/.test(address.trim()) || !DOMAIN.test(domain)) {
		throw invalid('Saisissez une adresse MSSanté valide (prenom.nom@domaine).');
	}
	return new URL(`https://autoconfig.${domain}/mail/config-v1.1.xml`);
}

function server(element: Parameters<typeof children>[0], kind: 'imap' | 'smtp'): ServerSettings {
	const name = kind === 'imap' ? 'IMAP' : 'SMTP';
	const field = (local: string) => textOf(children(element, undefined, local)[0]);
	const host = field('hostname').toLowerCase();
	const isName = DOMAIN.test(host) || /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(host);
	if (!host || !(isName || isIP(host))) {
		throw invalid(`Configuration automatique : nom du serveur ${name} absent ou invalide.`);
	}
	const port = Number(field('port'));
	if (!Number.isInteger(port) || port < 1 || port > 65_535) {
		throw invalid(`Configuration automatique : port ${name} invalide.`);
	}
	const socket = field('socketType').toUpperCase();
	if (socket !== 'STARTTLS' && socket !== 'SSL' && socket !== 'TLS') {
		// ECO.1.0.1/1.0.2: never in clear.
		throw invalid(
			`Configuration automatique : le serveur ${name} est proposé sans chiffrement (${socket || 'non précisé'}), refusé.`
		);
	}
	return { host, port, security: socket === 'STARTTLS' ? 'starttls' : 'tls' };
}

/** Picks STARTTLS first (the MSSanté default, ECO.1.0.1/1.0.2), implicit TLS otherwise. */
function pick(
	elements: ReturnType<typeof children>,
	type: 'imap' | 'smtp'
): ServerSettings | undefined {
	const candidates = elements.filter((e) => attr(e, 'type') === type);
	const parsed: ServerSettings[] = [];
	let firstError: Error | undefined;
	for (const candidate of candidates) {
		try {
			parsed.push(server(candidate, type));
		} catch (error) {
			firstError ??= error as Error;
		}
	}
	const chosen = parsed.find((s) => s.security === 'starttls') ?? parsed[0];
	if (!chosen && firstError) throw firstError;
	return chosen;
}

export function parseAutoconfig(xml: string | Uint8Array): AutoconfigSettings {
	let doc;
	try {
		doc = parseXml(xml, { name: 'config-v1.1.xml', maxBytes: MAX_BYTES });
	} catch (cause) {
		const unsafe = /DOCTYPE|ENTITY/.test(String((cause as Error).message));
		throw invalid(
			unsafe
				? 'Configuration automatique refusée : le document déclare une DTD ou des entités.'
				: 'Configuration automatique illisible (XML mal formé ou trop volumineux).',
			cause
		);
	}
	const root = doc.documentElement;
	if (root?.localName !== 'clientConfig') {
		throw invalid('Configuration automatique : ce document n’est pas un clientConfig.');
	}
	const provider = children(root, undefined, 'emailProvider')[0];
	if (!provider) throw invalid('Configuration automatique : aucun emailProvider.');
	const imap = pick(children(provider, undefined, 'incomingServer'), 'imap');
	const smtp = pick(children(provider, undefined, 'outgoingServer'), 'smtp');
	if (!imap) throw invalid('Configuration automatique : aucun serveur IMAP proposé.');
	if (!smtp) throw invalid('Configuration automatique : aucun serveur SMTP proposé.');
	const name = textOf(children(provider, undefined, 'displayName')[0]);
	return { imap, smtp, ...(name ? { provider: name } : {}) };
}

/** `AUTOCONFIG_TEST_RESOLVE=autoconfig.a.test=127.0.0.1:8443,…` (tests only). */
export function resolveOverrideFromEnv(value: string | undefined): ResolveOverride {
	const out: ResolveOverride = {};
	for (const entry of (value ?? '').split(',').filter(Boolean)) {
		const match = /^([^=]+)=([^:]+):(\d+)$/.exec(entry.trim());
		if (match?.[1] && match[2] && match[3]) {
			out[match[1].toLowerCase()] = { address: match[2], port: Number(match[3]) };
		}
	}
	return out;
}

export interface FetchAutoconfigOptions {
	address: string;
	/** IGC-Santé anchors, added to the web PKI for this request only. */
	anchors: string[];
	timeoutMs?: number;
	resolve?: ResolveOverride;
}

export function fetchAutoconfig(options: FetchAutoconfigOptions): Promise<AutoconfigSettings> {
	const url = autoconfigUrl(options.address);
	const override = options.resolve?.[url.hostname];
	const timeoutMs = options.timeoutMs ?? 10_000;
	return new Promise((resolve, reject) => {
		const req = request(
			{
				host: url.hostname,
				servername: url.hostname,
				port: override?.port ?? 443,
				path: url.pathname,
				method: 'GET',
				headers: { accept: 'application/xml, text/xml' },
				ca: [...rootCertificates, ...options.anchors],
				minVersion: 'TLSv1.2',
				...(override
					? {
							lookup: ((_host, _opts, callback: (...args: unknown[]) => void) => {
								callback(null, [{ address: override.address, family: 4 }]);
							}) as LookupFunction
						}
					: {})
			},
			(response) => {
				if (response.statusCode !== 200) {
					response.resume();
					reject(
						invalid(
							`Pas de configuration automatique pour ce domaine (réponse HTTP ${response.statusCode ?? '?'} de ${url.hostname}).`
						)
					);
					return;
				}
				const chunks: Buffer[] = [];
				let size = 0;
				response.on('data', (chunk: Buffer) => {
					size += chunk.length;
					if (size > MAX_BYTES) {
						req.destroy();
						reject(invalid('Configuration automatique trop volumineuse, refusée.'));
						return;
					}
					chunks.push(chunk);
				});
				response.on('end', () => {
					try {
						resolve(parseAutoconfig(Buffer.concat(chunks)));
					} catch (error) {
						reject(
							error instanceof Error ? error : invalid('Configuration automatique illisible.')
						);
					}
				});
				response.on('error', (cause) =>
					reject(invalid(`Téléchargement interrompu depuis ${url.hostname}.`, cause))
				);
			}
		);
		req.setTimeout(timeoutMs, () => req.destroy(new Error(`pas de réponse après ${timeoutMs} ms`)));
		req.on('error', (cause: NodeJS.ErrnoException) => {
			const tls = /CERT|SELF_SIGNED|UNABLE_TO|ERR_TLS|altname/i.test(
				`${cause.code ?? ''} ${cause.message}`
			);
			reject(
				invalid(
					tls
						? `Le certificat de ${url.hostname} n’est pas reconnu (ni IGC-Santé ni autorité web courante).`
						: `Serveur de configuration automatique injoignable : ${url.hostname}.`,
					cause
				)
			);
		});
		req.end();
	});
}

export interface DiscoveryResult {
	settings: AutoconfigSettings;
	imap: ProbeReport;
	smtp: ProbeReport;
	isOk: boolean;
}

function probeUrl(protocol: 'imap' | 'smtp', s: ServerSettings): string {
	const scheme = s.security === 'tls' ? `${protocol}s` : protocol;
	return `${scheme}://${s.host}:${s.port}`;
}

/** The connection test of ECO.1.1.9 step 3: both servers with the probe's full rules. */
export async function testSettings(
	settings: AutoconfigSettings,
	context: { anchors: string[]; dataDir: string; timeoutMs?: number }
): Promise<DiscoveryResult> {
	const common = {
		anchors: context.anchors,
		dataDir: context.dataDir,
		...(context.timeoutMs ? { timeoutMs: context.timeoutMs } : {})
	};
	const [imap, smtp] = await Promise.all([
		probe({ ...common, target: probeUrl('imap', settings.imap) }),
		probe({ ...common, target: probeUrl('smtp', settings.smtp) })
	]);
	return { settings, imap, smtp, isOk: imap.isOk && smtp.isOk };
}
