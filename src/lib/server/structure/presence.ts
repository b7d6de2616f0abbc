/**
 * Who is looking at a message right now (issue 7), in memory: a page open on a message sends a
 * heartbeat; a viewer not heard from for `ttlMs` is gone. Nothing is stored: presence is not
 * traceability (the audit trail records the reads).
 */
export interface Viewer {
	member: string;
	displayName: string;
	since: number;
}

export class Presence {
	readonly #ttlMs: number;
	readonly #now: () => number;
	readonly #viewers = new Map<string, Map<string, Viewer & { seen: number }>>();

	constructor(options: { ttlMs?: number; now?: () => number } = {}) {
		this.#ttlMs = options.ttlMs ?? 45_000;
		this.#now = options.now ?? Date.now;
	}

	/** Records the heartbeat and returns the OTHER people on the same message. */
	touch(input: { mailbox: string; key: string; member: string; displayName: string }): Viewer[] {
		const now = this.#now();
		const id = `${input.mailbox}\n${input.key}`;
		let viewers = this.#viewers.get(id);
		if (!viewers) {
			viewers = new Map<string, Viewer & { seen: number }>();
			this.#viewers.set(id, viewers);
		}
		const previous = viewers.get(input.member);
		viewers.set(input.member, {
			member: input.member,
			displayName: input.displayName,
			since: previous?.since ?? now,
			seen: now
		});
		return this.viewers(input.mailbox, input.key).filter((v) => v.member !== input.member);
	}

	leave(input: { mailbox: string; key: string; member: string }): void {
		const id = `${input.mailbox}\n${input.key}`;
		this.#viewers.get(id)?.delete(input.member);
		if (this.#viewers.get(id)?.size === 0) this.#viewers.delete(id);
	}

	viewers(mailbox: string, key: string): Viewer[] {
		const id = `${mailbox}\n${key}`;
		const viewers = this.#viewers.get(id);
		if (!viewers) return [];
		const now = this.#now();
		for (const [member, viewer] of viewers) {
			if (now - viewer.seen > this.#ttlMs) viewers.delete(member);
		}
		if (viewers.size === 0) this.#viewers.delete(id);
		return [...viewers.values()]
			.map(({ member, displayName, since }) => ({ member, displayName, since }))
			.sort((a, b) => a.since - b.since);
	}
}
