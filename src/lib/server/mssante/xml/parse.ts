/**
 * Safe XML parsing for untrusted input (received METADATA.XML and CDA documents).
 *
 * Any document type declaration is refused BEFORE parsing: no `<!DOCTYPE`, no `<!ENTITY`, so
 * neither external entities (XXE, file or network reads) nor entity expansion ("billion laughs")
 * can ever happen, whatever the parser would do with them. Health documents (CDA, ebRS) never
 * need a DTD. Parse errors become an XdmError naming the file.
 */
import { DOMParser, type Document, type Element, type Node } from '@xmldom/xmldom';
import { XdmError, ERROR_CODES } from '../../errors.ts';

export const NS = {
	hl7: 'urn:hl7-org:v3',
	xsi: 'http://www.w3.org/2001/XMLSchema-instance',
	rim: 'urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0',
	lcm: 'urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0'
} as const;

export interface ParseOptions {
	/** Name shown in errors (the entry path inside the archive). */
	name: string;
	/** Refuse larger documents (bytes); default 64 MiB. */
	maxBytes?: number;
}

function decode(bytes: Uint8Array): string {
	// Honour the declared encoding when TextDecoder knows it; UTF-8 otherwise (and BOM stripped).
	const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
	const declared = /^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1];
	let label = 'utf-8';
	if (declared) {
		try {
			label = new TextDecoder(declared).encoding;
		} catch {
			label = 'utf-8'; // unknown label: UTF-8 is the XML default
		}
	}
	return new TextDecoder(label, { fatal: false, ignoreBOM: false }).decode(bytes);
}

export function parseXml(source: string | Uint8Array, options: ParseOptions): Document {
	const max = options.maxBytes ?? 64 * 1024 * 1024;
	const size = typeof source === 'string' ? source.length : source.byteLength;
	if (size > max) {
		throw new XdmError(ERROR_CODES.XDM_UNSAFE, `${options.name} : document XML trop volumineux.`, {
			details: { size, max }
		});
	}
	const text = typeof source === 'string' ? source : decode(source);
	if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
		throw new XdmError(
			ERROR_CODES.XML_UNSAFE,
			`${options.name} : déclaration DOCTYPE ou ENTITY refusée (entités externes et expansion interdites).`
		);
	}
	let doc: Document;
	try {
		doc = new DOMParser({
			locator: true,
			onError: (level, message) => {
				if (level !== 'warning') throw new Error(message);
			}
		}).parseFromString(text, 'text/xml');
	} catch (cause) {
		throw new XdmError(ERROR_CODES.XDM_INVALID, `${options.name} : XML mal formé.`, { cause });
	}
	if (!doc.documentElement) {
		throw new XdmError(ERROR_CODES.XDM_INVALID, `${options.name} : document XML vide.`);
	}
	return doc;
}

const ELEMENT_NODE = 1;

/** Element children with this namespace and local name (all element children without a name). */
export function children(
	parent: Element | Document | null | undefined,
	ns?: string,
	local?: string
): Element[] {
	const out: Element[] = [];
	if (!parent) return out;
	for (let n: Node | null = parent.firstChild; n; n = n.nextSibling) {
		if (n.nodeType !== ELEMENT_NODE) continue;
		const e = n as Element;
		if (local !== undefined && e.localName !== local) continue;
		if (ns !== undefined && e.namespaceURI !== ns) continue;
		out.push(e);
	}
	return out;
}

export function child(
	parent: Element | Document | null | undefined,
	ns: string,
	local: string
): Element | undefined {
	return children(parent, ns, local)[0];
}

/** Follows a path of local names in one namespace: path(cda, NS.hl7, 'recordTarget', 'patientRole'). */
export function path(
	start: Element | null | undefined,
	ns: string,
	...locals: string[]
): Element | undefined {
	let cur: Element | undefined = start ?? undefined;
	for (const l of locals) {
		cur = child(cur, ns, l);
		if (!cur) return undefined;
	}
	return cur;
}

export function attr(e: Element | null | undefined, name: string): string | undefined {
	if (!e || !e.hasAttribute(name)) return undefined;
	return e.getAttribute(name) ?? undefined;
}

export function textOf(e: Element | null | undefined): string {
	return (e?.textContent ?? '').replace(/\s+/g, ' ').trim();
}
