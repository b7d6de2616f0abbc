/**
 * Tiny HTTP server publishing the test PKI's CRLs, like igc-sante.esante.gouv.fr/CRL/ does for
 * the real one (ECO.1.1.6/1.1.7: clients download and cache the CRL). Started detached by
 * `npm run lab -- start`, stopped by `stop` through its pid file.
 * Usage: node tests/lab/crl-server.ts <port> <pki dir>
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';

const port = Number(process.argv[2]);
const pkiDir = process.argv[3];
if (!Number.isInteger(port) || !pkiDir) {
	console.error('usage: node tests/lab/crl-server.ts <port> <pki dir>');
	process.exit(2);
}

function pemToDer(pem: string): Buffer {
	return Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

const ROUTES: Record<string, { file: string; type: string; der?: boolean }> = {
	'/crl/organisations.crl': { file: 'crl.der', type: 'application/pkix-crl' },
	'/crl/racine.crl': { file: 'root-crl.pem', type: 'application/pkix-crl', der: true },
	'/ca/chain.pem': { file: 'chain.pem', type: 'application/x-pem-file' },
	'/ca/root.pem': { file: 'root.pem', type: 'application/x-pem-file' }
};

const server = createServer((request, response) => {
	const route = ROUTES[(request.url ?? '/').split('?')[0] ?? '/'];
	if (request.method !== 'GET' || !route) {
		response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
		return;
	}
	// Read on every request: a regenerated PKI is served without restarting.
	readFile(join(pkiDir, route.file))
		.then((content) => {
			const body = route.der ? pemToDer(content.toString('utf8')) : content;
			response.writeHead(200, { 'content-type': route.type, 'content-length': body.length });
			response.end(body);
		})
		.catch((error: unknown) => {
			console.error(`crl-server: cannot read ${route.file}: ${String(error)}`);
			response.writeHead(500, { 'content-type': 'text/plain' }).end('unavailable\n');
		});
});

server.listen({ host: '127.0.0.1', port }, () => {
	console.log(`crl-server listening on http://127.0.0.1:${port}`);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
