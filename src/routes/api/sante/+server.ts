/** Liveness: the process answers. Used by the demo and the end-to-end setup to wait for start. */
import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = () => json({ status: 'ok' });
