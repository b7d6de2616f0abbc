/** Test helpers: rewrite an archive's entries to produce deviations and attacks. */
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { sha1Hex } from '../ids.ts';

export type Entries = Record<string, Uint8Array>;

export function entriesOf(zip: Uint8Array): Entries {
	return unzipSync(zip);
}

export function zipOf(entries: Entries, level: 0 | 6 | 9 = 6): Uint8Array {
	const z: Zippable = {};
	for (const [k, v] of Object.entries(entries)) z[k] = [v, { level }];
	return zipSync(z);
}

export const text = (b: Uint8Array | undefined) => strFromU8(b ?? new Uint8Array());
export const bytes = (s: string) => strToU8(s);

/** Replaces DOC0001.XML and updates hash and size in METADATA.XML, like an honest but odd sender. */
export function withDocument(entries: Entries, cda: string): Entries {
	const doc = strToU8(cda);
	const old = entries['IHE_XDM/SUBSET01/DOC0001.XML']!;
	const meta = text(entries['IHE_XDM/SUBSET01/METADATA.XML'])
		.replace(sha1Hex(old), sha1Hex(doc))
		.replace(
			`<rim:Value>${old.byteLength}</rim:Value>`,
			`<rim:Value>${doc.byteLength}</rim:Value>`
		);
	return {
		...entries,
		'IHE_XDM/SUBSET01/DOC0001.XML': doc,
		'IHE_XDM/SUBSET01/METADATA.XML': strToU8(meta)
	};
}
