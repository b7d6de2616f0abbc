// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Session } from '#lib/server/session/store.ts';

declare global {
	namespace App {
		interface Error {
			message: string;
			requestId?: string;
		}
		interface Locals {
			requestId: string;
			session: Session | null;
		}
	}
}

export {};
