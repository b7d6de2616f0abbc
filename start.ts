/**
 * `npm start`: the production server (adapter-node's `build/index.js`) with `BODY_SIZE_LIMIT`
 * derived from `MAX_MESSAGE_BYTES`, so the request size SvelteKit accepts always matches the
 * message size limit the app enforces (see src/lib/message-size.ts).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { applyBodySizeLimit } from './src/lib/message-size.ts';

const replaced = applyBodySizeLimit(process.env);
if (replaced !== null) {
	console.warn(
		`BODY_SIZE_LIMIT=${replaced} ignoré : il est calculé depuis MAX_MESSAGE_BYTES (${process.env.BODY_SIZE_LIMIT}).`
	);
}
await import(pathToFileURL(path.join(import.meta.dirname, 'build', 'index.js')).href);
