/**
 * A tiny XML writer: elements as plain objects, serialised with escaping of every text and
 * attribute value. Characters that XML 1.0 forbids (C0 controls other than tab/CR/LF, lone
 * surrogates, U+FFFE/U+FFFF) are dropped so that user input can never make the output invalid.
 */

export type XmlChild = XmlElement | string | number | null | undefined | false | XmlChild[];

export interface XmlElement {
	name: string;
	attrs: Record<string, string | number | undefined>;
	children: XmlChild[];
	/** Comment written just before the element (a why, never data). */
	comment?: string;
}

export function el(
	name: string,
	attrs: Record<string, string | number | undefined> = {},
	...children: XmlChild[]
): XmlElement {
	return { name, attrs, children };
}

const INVALID_XML_CHARS =
	// eslint-disable-next-line no-control-regex -- matching the forbidden control characters is the point
	/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeText(value: string): string {
	return value
		.replace(INVALID_XML_CHARS, '')
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;');
}

export function escapeAttr(value: string): string {
	return escapeText(value)
		.replace(/"/g, '&quot;')
		.replace(/\t/g, '&#9;')
		.replace(/\n/g, '&#10;')
		.replace(/\r/g, '&#13;');
}

function flatten(children: XmlChild[], out: (XmlElement | string)[] = []): (XmlElement | string)[] {
	for (const c of children) {
		if (c === null || c === undefined || c === false) continue;
		if (Array.isArray(c)) flatten(c, out);
		else out.push(typeof c === 'number' ? String(c) : c);
	}
	return out;
}

function write(node: XmlElement, depth: number, out: string[]): void {
	const pad = '\t'.repeat(depth);
	if (node.comment) out.push(`${pad}<!-- ${node.comment.replace(/--/g, '- -')} -->\n`);
	let open = `${pad}<${node.name}`;
	for (const [k, v] of Object.entries(node.attrs)) {
		if (v !== undefined) open += ` ${k}="${escapeAttr(String(v))}"`;
	}
	const kids = flatten(node.children);
	if (kids.length === 0) {
		out.push(`${open}/>\n`);
	} else if (kids.every((k) => typeof k === 'string')) {
		out.push(`${open}>${kids.map((k) => escapeText(k)).join('')}</${node.name}>\n`);
	} else {
		out.push(`${open}>\n`);
		for (const k of kids) {
			if (typeof k === 'string') out.push(`${pad}\t${escapeText(k)}\n`);
			else write(k, depth + 1, out);
		}
		out.push(`${pad}</${node.name}>\n`);
	}
}

/** Serialises a document with the XML declaration (UTF-8). */
export function serialize(root: XmlElement): string {
	const out = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
	write(root, 0, out);
	return out.join('');
}
