/**
 * Facet counts of the embedded engine. The four facet fields of every entry are held in typed
 * arrays (a few bytes per entry), loaded once when the index file is opened, so counting a result
 * set costs one array read per matching row id instead of a table lookup.
 */
import type { DatabaseSync } from 'node:sqlite';
import { NO_MAILBOX_ID_BASE } from './schema.ts';
import { departmentName } from './departments.ts';
import type { DirectoryFacets, FacetValue } from './types.ts';

class Dictionary {
	readonly values: string[] = [''];
	readonly #ids = new Map<string, number>([['', 0]]);
	id(value: string | null): number {
		if (!value) return 0;
		let id = this.#ids.get(value);
		if (id === undefined) {
			id = this.values.length;
			this.values.push(value);
			this.#ids.set(value, id);
		}
		return id;
	}
}

export class FacetIndex {
	readonly #withMailbox: number;
	readonly #profession: Uint16Array;
	readonly #department: Uint16Array;
	readonly #type: Uint8Array;
	readonly #sfStart: Uint32Array;
	readonly #sf: Uint16Array;
	readonly #dict = {
		profession: new Dictionary(),
		department: new Dictionary(),
		type: new Dictionary(),
		sf: new Dictionary()
	};
	readonly #labels: Map<string, string>;

	constructor(db: DatabaseSync, labels: Map<string, string>) {
		this.#labels = labels;
		const { withMailbox, total } = db
			.prepare(
				`SELECT count(*) FILTER (WHERE id < ${NO_MAILBOX_ID_BASE}) AS withMailbox, count(*) AS total FROM entry`
			)
			.get() as { withMailbox: number; total: number };
		this.#withMailbox = withMailbox;
		this.#profession = new Uint16Array(total);
		this.#department = new Uint16Array(total);
		this.#type = new Uint8Array(total);
		this.#sfStart = new Uint32Array(total + 1);
		const sf: number[] = [];
		const stmt = db.prepare(
			'SELECT id, profession_code, sf_codes, department, mailbox_type FROM entry ORDER BY id'
		);
		stmt.setReturnArrays(true);
		let i = 0;
		for (const row of stmt.iterate() as unknown as Iterable<
			[number, string | null, string, string | null, string | null]
		>) {
			this.#profession[i] = this.#dict.profession.id(row[1]);
			this.#department[i] = this.#dict.department.id(row[3]);
			this.#type[i] = this.#dict.type.id(row[4]);
			this.#sfStart[i] = sf.length;
			if (row[2]) for (const code of row[2].split(' ')) sf.push(this.#dict.sf.id(code));
			i++;
		}
		this.#sfStart[i] = sf.length;
		this.#sf = Uint16Array.from(sf);
	}

	/** Dense array position of an entry row id (mailbox ids 1…n, then the no-mailbox range). */
	#slot(id: number): number {
		return id < NO_MAILBOX_ID_BASE ? id - 1 : this.#withMailbox + (id - NO_MAILBOX_ID_BASE) - 1;
	}

	count(rowids: Iterable<number>): DirectoryFacets {
		const p = new Uint32Array(this.#dict.profession.values.length);
		const d = new Uint32Array(this.#dict.department.values.length);
		const t = new Uint32Array(this.#dict.type.values.length);
		const s = new Uint32Array(this.#dict.sf.values.length);
		for (const id of rowids) {
			const i = this.#slot(id);
			p[this.#profession[i] as number]!++;
			d[this.#department[i] as number]!++;
			t[this.#type[i] as number]!++;
			const end = this.#sfStart[i + 1] as number;
			for (let k = this.#sfStart[i] as number; k < end; k++) s[this.#sf[k] as number]!++;
		}
		const list = (
			counts: Uint32Array,
			dict: Dictionary,
			label: (code: string) => string
		): FacetValue[] => {
			const out: FacetValue[] = [];
			for (let k = 1; k < counts.length; k++) {
				const count = counts[k] as number;
				if (count > 0)
					out.push({
						value: dict.values[k] as string,
						label: label(dict.values[k] as string),
						count
					});
			}
			return out.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
		};
		return {
			profession: list(p, this.#dict.profession, (c) => this.#labels.get(`profession:${c}`) ?? c),
			specialite: list(s, this.#dict.sf, (c) => this.#labels.get(`specialite:${c}`) ?? c),
			departement: list(d, this.#dict.department, departmentName),
			type: list(t, this.#dict.type, (c) => c)
		};
	}
}
