/**
 * Serves the built webmail over plain HTTP on loopback, for the lab, the demo, the end-to-end
 * tests and the benchmarks. adapter-node assumes HTTPS unless a proxy says otherwise; here we are
 * that proxy, so every request is marked `http` (whatever the client sent). In production run
 * `node build/index.js` behind an HTTPS reverse proxy instead.
 */
import { createServer } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { applyBodySizeLimit } from '../../src/lib/message-size.ts';

process.env.PROTOCOL_HEADER = 'x-forwarded-proto';
// The request size SvelteKit accepts follows MAX_MESSAGE_BYTES, as with `npm start`.
applyBodySizeLimit(process.env);
const buildDir =
	process.env.CONFRERE_BUILD_DIR ?? path.resolve(import.meta.dirname, '..', '..', 'build');
const { handler } = (await import(pathToFileURL(path.join(buildDir, 'handler.js')).href)) as {
	handler: (req: unknown, res: unknown, next: () => void) => void;
};

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 5173);

const server = createServer((req, res) => {
	req.headers['x-forwarded-proto'] = 'http';
	handler(req, res, () => {
		res.statusCode = 404;
		res.end('Not found');
	});
});

server.listen(port, host, () => console.log(`Listening on http://${host}:${port}`));

function shutdown(signal: string) {
	server.close();
	server.closeAllConnections();
	// Lets the app close its IMAP connections (hooks.server.ts listens for this).
	process.emit('sveltekit:shutdown' as 'SIGTERM', signal as 'SIGTERM');
	setTimeout(() => process.exit(0), 500).unref();
}

process.once('SIGTERM', () => shutdown('SIGTERM'));
// Never outlive the test run, bench or demo that started us (e.g. when it was killed).
const parent = process.ppid;
setInterval(() => {
	if (process.ppid !== parent) shutdown('SIGTERM');
}, 2_000).unref();
process.once('SIGINT', () => shutdown('SIGINT'));
