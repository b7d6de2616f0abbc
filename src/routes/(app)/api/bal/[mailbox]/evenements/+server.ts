/**
 * Server-sent events for the open pages of a mailbox: `message` events when mail arrives, leaves
 * or changes in the INBOX (IDLE on a dedicated connection), and a heartbeat so proxies keep it open.
 * The heartbeat also checks access again: a structure member removed while signed in loses the
 * stream within one beat (20 s).
 */
import { error } from '@sveltejs/kit';
import { rethrowAsHttp } from '#lib/server/http-errors.ts';
import { findMailbox, watcherFor } from '#lib/server/mail/mailbox-access.ts';
import type { RequestHandler } from './$types';

const HEARTBEAT_MS = 20_000;

export const GET: RequestHandler = ({ locals, params, request }) => {
	const session = locals.session;
	if (!session) error(401, 'Session expirée.');
	let watcher;
	try {
		watcher = watcherFor(session, params.mailbox);
	} catch (err) {
		rethrowAsHttp(err);
	}
	const encoder = new TextEncoder();
	let cleanup = () => {};
	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			const send = (text: string) => {
				try {
					controller.enqueue(encoder.encode(text));
				} catch {
					cleanup();
				}
			};
			send('retry: 3000\n\n');
			const unsubscribe = watcher.subscribe((event) => send(`data: ${JSON.stringify(event)}\n\n`));
			const close = () => {
				cleanup();
				try {
					controller.close();
				} catch {
					// already closed by the client
				}
			};
			const heartbeat = setInterval(() => {
				try {
					findMailbox(session, params.mailbox);
				} catch {
					close();
					return;
				}
				send(': ping\n\n');
			}, HEARTBEAT_MS);
			cleanup = () => {
				clearInterval(heartbeat);
				unsubscribe();
			};
			request.signal.addEventListener('abort', close);
		},
		cancel() {
			cleanup();
		}
	});
	return new Response(stream, {
		headers: {
			'content-type': 'text/event-stream; charset=utf-8',
			'cache-control': 'no-store',
			'x-accel-buffering': 'no'
		}
	});
};
