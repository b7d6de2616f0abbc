/**
 * Connection probe for administrators and for our checks: opens IMAP or SMTP exactly as the
 * webmail does (`mssTlsOptions` then `verifyPeer`), with STARTTLS done by hand on a plain socket
 * for `imap://` and `smtp://` (ECO.1.0.1/1.0.2, RFC 3207, RFC 9051 §6.2.1), reads the greeting
 * and the capabilities, and says whether every rule passed. Never throws for a server fault: the
 * report carries the French reason. Framework-free.
 */
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { AppError, isAppError, type ErrorCode } from '../src/lib/server/errors.ts';
import { LineReader } from './line-reader.ts';
import { mssTlsOptions } from './tls-policy.ts';
import { describeHandshakeError, verifyPeer, type PeerVerdict } from './verify-connection.ts';

export type ProbeScheme = 'imap' | 'imaps' | 'smtp' | 'smtps';

export interface ProbeTarget {
	scheme: ProbeScheme;
	protocol: 'imap' | 'smtp';
	host: string;
	port: number;
	isStartTls: boolean;
}

export interface ProbeOptions {
	target: string | ProbeTarget;
	anchors: string[];
	/** Where CRLs are cached (ECO.1.1.7). */
	dataDir: string;
	now?: Date;
	/** Per-reply timeout (default 15 s). */
	timeoutMs?: number;
	/**
	 * ORG AUTH_CLI client certificate to present (ECO.1.3.1), for a listener that requires one
	 * before it answers EHLO or CAPABILITY.
	 */
	clientCertificate?: { certPem: string; keyPem: string };
}

export interface ProbeReport {
	target: ProbeTarget;
	isOk: boolean;
	greeting?: string;
	/** Capabilities announced after TLS (IMAP CAPABILITY, SMTP EHLO keywords). */
	capabilities: string[];
	peer?: PeerVerdict;
	failure?: { code: ErrorCode; message: string };
}

const DEFAULT_PORTS: Record<ProbeScheme, number> = { imap: 143, imaps: 993, smtp: 587, smtps: 465 };

export function parseProbeTarget(url: string): ProbeTarget {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch (cause) {
		throw new AppError(
			'INVALID_INPUT',
			`Adresse de serveur invalide : « ${url} » (attendu imap://hôte:port).`,
			{
				cause
			}
		);
	}
	const scheme = parsed.protocol.replace(/:$/, '');
	if (!(scheme in DEFAULT_PORTS)) {
		throw new AppError(
			'INVALID_INPUT',
			`Schéma « ${scheme} » non pris en charge : imap, imaps, smtp ou smtps.`
		);
	}
	const s = scheme as ProbeScheme;
	return {
		scheme: s,
		protocol: s.startsWith('imap') ? 'imap' : 'smtp',
		host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
		port: parsed.port ? Number(parsed.port) : DEFAULT_PORTS[s],
		isStartTls: s === 'imap' || s === 'smtp'
	};
}

function connectPlain(target: ProbeTarget, timeoutMs: number): Promise<Socket> {
	return new Promise((resolve, reject) => {
		const socket = netConnect({ host: target.host, port: target.port, timeout: timeoutMs });
		socket.once('connect', () => {
			socket.setTimeout(0);
			resolve(socket);
		});
		socket.once('timeout', () =>
			socket.destroy(new Error(`délai de connexion dépassé (${timeoutMs} ms)`))
		);
		socket.once('error', reject);
	});
}

function connectTls(
	target: ProbeTarget,
	anchors: string[],
	timeoutMs: number,
	socket?: Socket,
	clientCertificate?: { certPem: string; keyPem: string }
): Promise<TLSSocket> {
	// RFC 6066 §3: no IP literal in SNI; node still checks the IP SAN against `host`.
	const policy = mssTlsOptions({
		anchors,
		...(isIP(target.host) ? {} : { servername: target.host }),
		...(clientCertificate ? { clientCertificate } : {})
	});
	return new Promise((resolve, reject) => {
		const tls = tlsConnect({
			...policy,
			host: target.host,
			port: target.port,
			...(socket ? { socket } : {})
		});
		// A server that accepts TCP but never finishes the handshake must not hang the probe.
		tls.setTimeout(timeoutMs, () =>
			tls.destroy(new Error(`négociation TLS sans réponse après ${timeoutMs} ms`))
		);
		tls.once('secureConnect', () => {
			tls.setTimeout(0);
			resolve(tls);
		});
		tls.once('error', (error) => reject(describeHandshakeError(error)));
	});
}

interface Dialogue {
	send(line: string): void;
	read(): Promise<string>;
}

function dialogue(socket: Socket, reader: LineReader): Dialogue {
	return { send: (line) => socket.write(line + '\r\n'), read: () => reader.next() };
}

/** Reads up to the tagged completion; returns untagged lines and the completion line. */
async function imapCommand(
	d: Dialogue,
	tag: string,
	command: string
): Promise<{ untagged: string[]; done: string }> {
	d.send(`${tag} ${command}`);
	const untagged: string[] = [];
	for (;;) {
		const line = await d.read();
		if (line.startsWith(`${tag} `)) return { untagged, done: line };
		untagged.push(line);
	}
}

/** RFC 5321 §4.2.1 multi-line reply. */
async function smtpReply(d: Dialogue): Promise<{ code: number; lines: string[] }> {
	const lines: string[] = [];
	for (;;) {
		const line = await d.read();
		lines.push(line.slice(4));
		if (line.charAt(3) !== '-') return { code: Number(line.slice(0, 3)), lines };
	}
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

function protocolError(target: ProbeTarget, message: string): AppError {
	return new AppError(target.protocol === 'imap' ? 'IMAP_CONNECT' : 'SMTP_CONNECT', message);
}

async function imapBeforeTls(target: ProbeTarget, d: Dialogue): Promise<string> {
	const greeting = await d.read();
	if (!greeting.startsWith('* OK'))
		throw protocolError(target, `Accueil IMAP inattendu : ${greeting}`);
	if (target.isStartTls) {
		const { done } = await imapCommand(d, 'a1', 'STARTTLS');
		if (!/^a1 OK/i.test(done)) throw protocolError(target, `Le serveur refuse STARTTLS : ${done}`);
	}
	return greeting;
}

async function imapAfterTls(target: ProbeTarget, d: Dialogue): Promise<string[]> {
	// RFC 9051 §6.2.1: capabilities learnt before STARTTLS are discarded; ask again.
	const { untagged, done } = await imapCommand(d, 'a2', 'CAPABILITY');
	if (!/^a2 OK/i.test(done)) throw protocolError(target, `CAPABILITY refusée : ${done}`);
	const line = untagged.find((l) => /^\* CAPABILITY /i.test(l)) ?? '';
	d.send('a3 LOGOUT');
	return line.split(' ').slice(2).filter(Boolean);
}

function ehloName(socket: Socket): string {
	const address = socket.localAddress ?? '127.0.0.1';
	return isIP(address) === 6 ? `[IPv6:${address}]` : `[${address}]`;
}

async function smtpEhlo(target: ProbeTarget, d: Dialogue, name: string): Promise<string[]> {
	d.send(`EHLO ${name}`);
	const reply = await smtpReply(d);
	if (reply.code !== 250)
		throw protocolError(target, `EHLO refusé : ${reply.code} ${reply.lines.join(' ')}`);
	return reply.lines.slice(1);
}

async function smtpBeforeTls(target: ProbeTarget, d: Dialogue, name: string): Promise<string> {
	const greeting = await smtpReply(d);
	if (greeting.code !== 220)
		throw protocolError(target, `Accueil SMTP inattendu : ${greeting.code}`);
	if (target.isStartTls) {
		const keywords = await smtpEhlo(target, d, name);
		if (!keywords.some((k) => /^STARTTLS$/i.test(k))) {
			throw protocolError(target, "Le serveur n'annonce pas STARTTLS (RFC 3207, ECO.1.0.1).");
		}
		d.send('STARTTLS');
		const reply = await smtpReply(d);
		if (reply.code !== 220)
			throw protocolError(target, `Le serveur refuse STARTTLS : ${reply.code}`);
	}
	return `${greeting.code} ${greeting.lines.join(' ')}`;
}

export async function probe(options: ProbeOptions): Promise<ProbeReport> {
	const target =
		typeof options.target === 'string' ? parseProbeTarget(options.target) : options.target;
	const timeoutMs = options.timeoutMs ?? 15_000;
	const report: ProbeReport = { target, isOk: false, capabilities: [] };
	const sockets: Socket[] = [];
	try {
		let plain: Socket | undefined;
		let name = '[127.0.0.1]';
		if (target.isStartTls) {
			plain = await connectPlain(target, timeoutMs).catch((error: unknown) => {
				throw protocolError(
					target,
					`Connexion impossible à ${target.host}:${target.port} (${messageOf(error)}).`
				);
			});
			sockets.push(plain);
			name = ehloName(plain);
			const reader = new LineReader(plain, timeoutMs);
			const d = dialogue(plain, reader);
			report.greeting =
				target.protocol === 'imap'
					? await imapBeforeTls(target, d)
					: await smtpBeforeTls(target, d, name);
			if (reader.detach() > 0) {
				throw new AppError(
					'TLS_POLICY',
					'Le serveur a envoyé des données avant la négociation TLS (injection STARTTLS).'
				);
			}
		}
		const tls = await connectTls(
			target,
			options.anchors,
			timeoutMs,
			plain,
			options.clientCertificate
		);
		sockets.push(tls);
		report.peer = await verifyPeer(tls, {
			anchors: options.anchors,
			dataDir: options.dataDir,
			servername: target.host,
			...(options.now ? { now: options.now } : {})
		});
		if (!report.peer.isTrusted) {
			report.failure = {
				code: report.peer.code ?? 'CERT_UNTRUSTED',
				message: report.peer.reasons.join(' ')
			};
			return report;
		}
		const d = dialogue(tls, new LineReader(tls, timeoutMs));
		if (target.protocol === 'imap') {
			if (!target.isStartTls) report.greeting = await imapBeforeTls(target, d);
			report.capabilities = await imapAfterTls(target, d);
		} else {
			if (!target.isStartTls) report.greeting = await smtpBeforeTls(target, d, name);
			report.capabilities = await smtpEhlo(target, d, name);
			d.send('QUIT');
		}
		report.isOk = true;
		return report;
	} catch (error) {
		const known = isAppError(error) ? error : protocolError(target, `Erreur : ${messageOf(error)}`);
		report.failure = { code: known.code, message: known.message };
		return report;
	} finally {
		for (const socket of sockets.reverse()) socket.destroy();
	}
}
