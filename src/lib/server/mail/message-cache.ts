/**
 * A short-lived cache of opened messages, so the reading page and its sandboxed body frame (two
 * requests, a few milliseconds apart) cost one IMAP fetch. Small and time-bound: an idle session
 * holds nothing here for long.
 */
import type { RawMessage } from './imap/message.ts';

const MAX_ENTRIES = 32;
const TTL_MS = 60_000;

interface Entry {
	message: RawMessage;
	expiresAt: number;
}

const entries = new Map<string, Entry>();

export function messageCacheKey(parts: {
	sessionKey: string;
	mailboxId: string;
	folder: string;
	uid: number;
}): string {
	return `${parts.sessionKey}\u0000${parts.mailboxId}\u0000${parts.folder}\u0000${parts.uid}`;
}

export function getCachedMessage(key: string): RawMessage | undefined {
	const entry = entries.get(key);
	if (!entry) return undefined;
	if (entry.expiresAt < Date.now()) {
		entries.delete(key);
		return undefined;
	}
	return entry.message;
}

export function cacheMessage(key: string, message: RawMessage): void {
	entries.delete(key);
	entries.set(key, { message, expiresAt: Date.now() + TTL_MS });
	while (entries.size > MAX_ENTRIES) {
		const oldest = entries.keys().next().value;
		if (oldest === undefined) break;
		entries.delete(oldest);
	}
}

export function forgetSessionMessages(sessionKey: string): void {
	for (const key of entries.keys()) if (key.startsWith(`${sessionKey}\u0000`)) entries.delete(key);
}
