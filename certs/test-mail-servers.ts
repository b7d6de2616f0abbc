/**
 * Minimal scripted IMAP and SMTP servers for the probe's tests: they speak just enough
 * (greeting, CAPABILITY / EHLO, STARTTLS, LOGOUT / QUIT) to carry the TLS configurations a real
 * Dovecot or Postfix will not offer on demand (TLS 1.1 only, a suite outside ECO.1.1.3, a
 * 1024-bit DH group, bad certificates). Probing the lab's real Dovecot and Postfix belongs to
 * the integration tests. Test-only.
 */
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createSecureContext, TLSSocket, type TlsOptions } from 'node:tls';
import type { RunningServer } from './test-trust-fixtures.ts';

export interface MailServerOptions {
	protocol: 'imap' | 'smtp';
	/** imaps/smtps (true) or STARTTLS (false). */
	implicitTls: boolean;
	tls: TlsOptions;
	/** Sends a line right after accepting STARTTLS (the injection a client must refuse). */
	injectAfterStartTls?: boolean;
}

type Reply = (line: string) => void;

function lines(socket: Socket, onLine: (line: string) => void): () => void {
	let buffer = '';
	const onData = (chunk: Buffer): void => {
		buffer += chunk.toString('utf8');
		let i: number;
		while ((i = buffer.indexOf('\n')) >= 0) {
			const line = buffer.slice(0, i).replace(/\r$/, '');
			buffer = buffer.slice(i + 1);
			onLine(line);
		}
	};
	socket.on('data', onData);
	return () => socket.off('data', onData);
}

function session(socket: Socket, options: MailServerOptions, isSecure: boolean): void {
	socket.on('error', () => socket.destroy());
	const send: Reply = (line) => {
		if (!socket.destroyed) socket.write(line + '\r\n');
	};
	const upgrade = (stop: () => void): void => {
		stop();
		const secure = new TLSSocket(socket, {
			isServer: true,
			secureContext: createSecureContext(options.tls)
		});
		secure.on('secure', () => session(secure, options, true));
		secure.on('error', () => socket.destroy());
	};
	if (options.protocol === 'imap') {
		const caps = isSecure
			? 'IMAP4rev1 SASL-IR AUTH=XOAUTH2 AUTH=PLAIN'
			: 'IMAP4rev1 STARTTLS LOGINDISABLED';
		if (!isSecure || options.implicitTls)
			send(`* OK [CAPABILITY ${caps}] Confrere test IMAP ready`);
		const stop = lines(socket, (line) => {
			const [tag = '*', command = ''] = line.split(' ');
			switch (command.toUpperCase()) {
				case 'CAPABILITY':
					send(`* CAPABILITY ${caps}`);
					send(`${tag} OK CAPABILITY completed`);
					break;
				case 'STARTTLS':
					// One write, so that the injected line reaches the client with the OK.
					send(
						`${tag} OK Begin TLS negotiation now${options.injectAfterStartTls ? '\r\n* OK injected' : ''}`
					);
					upgrade(stop);
					break;
				case 'LOGOUT':
					send('* BYE Logging out');
					send(`${tag} OK LOGOUT completed`);
					socket.end();
					break;
				default:
					send(`${tag} BAD Unknown command`);
			}
		});
		return;
	}
	if (!isSecure || options.implicitTls) send('220 mail.lab.test ESMTP Confrere test');
	const stop = lines(socket, (line) => {
		const verb = (line.split(' ')[0] ?? '').toUpperCase();
		if (verb === 'EHLO') {
			const keywords = isSecure
				? ['AUTH XOAUTH2 PLAIN', 'DSN', '8BITMIME']
				: ['STARTTLS', '8BITMIME'];
			send('250-mail.lab.test');
			keywords.forEach((k, i) => send(`250${i === keywords.length - 1 ? ' ' : '-'}${k}`));
		} else if (verb === 'STARTTLS' && !isSecure) {
			send(`220 2.0.0 Ready to start TLS${options.injectAfterStartTls ? '\r\n250 injected' : ''}`);
			upgrade(stop);
		} else if (verb === 'QUIT') {
			send('221 2.0.0 Bye');
			socket.end();
		} else {
			send('502 5.5.2 Command not recognized');
		}
	});
}

export async function startMailServer(options: MailServerOptions): Promise<RunningServer> {
	const server = createServer((socket) => {
		if (!options.implicitTls) return session(socket, options, false);
		const secure = new TLSSocket(socket, {
			isServer: true,
			secureContext: createSecureContext(options.tls)
		});
		secure.on('secure', () => session(secure, options, true));
		secure.on('error', () => socket.destroy());
	});
	await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
	return {
		port: (server.address() as AddressInfo).port,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
			})
	};
}
