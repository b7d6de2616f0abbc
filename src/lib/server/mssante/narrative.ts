/**
 * Safe HTML for the narrative of a structured (N3) CDA body, for the reading view.
 * Built by whitelist from the CDA NarrativeBlock (CDA R2 §4.3.5): only known elements are mapped
 * to plain HTML tags, every text is escaped, and no attribute survives (no href, src, style or
 * event handler), so the output cannot run script or load anything. linkHtml keeps its text only;
 * renderMultiMedia and unknown elements keep their text content, never their markup.
 */
import type { Element, Node } from '@xmldom/xmldom';
import { parseXml, NS, child, children, path, textOf } from './xml/parse.ts';

const TAGS: Readonly<Record<string, string>> = {
	paragraph: 'p',
	list: 'ul',
	item: 'li',
	table: 'table',
	caption: 'caption',
	thead: 'thead',
	tbody: 'tbody',
	tfoot: 'tfoot',
	tr: 'tr',
	th: 'th',
	td: 'td',
	content: 'span',
	sub: 'sub',
	sup: 'sup'
};

const escapeHtml = (s: string) =>
	s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const TEXT_NODE = 3;
const CDATA_NODE = 4;
const ELEMENT_NODE = 1;
/** Deeply nested markup is flattened to text beyond this depth (no stack exhaustion). */
const MAX_DEPTH = 40;

function renderNodes(parent: Element, depth: number, out: string[]): void {
	for (let n: Node | null = parent.firstChild; n; n = n.nextSibling) {
		if (n.nodeType === TEXT_NODE || n.nodeType === CDATA_NODE) {
			out.push(escapeHtml(n.nodeValue ?? ''));
		} else if (n.nodeType === ELEMENT_NODE) {
			const e = n as Element;
			const name = e.localName ?? '';
			if (name === 'br') {
				out.push('<br>');
			} else if (name === 'renderMultiMedia' || name === 'footnote' || name === 'footnoteRef') {
				continue;
			} else if (depth >= MAX_DEPTH) {
				out.push(escapeHtml(e.textContent ?? ''));
			} else {
				let tag = TAGS[name];
				if (name === 'list' && e.getAttribute('listType') === 'ordered') tag = 'ol';
				if (tag) out.push(`<${tag}>`);
				renderNodes(e, depth + 1, out);
				if (tag) out.push(`</${tag}>`);
			}
		}
	}
}

function renderSection(section: Element, level: number, out: string[]): void {
	const title = textOf(child(section, NS.hl7, 'title'));
	out.push('<section>');
	if (title) out.push(`<h${level}>${escapeHtml(title)}</h${level}>`);
	const text = child(section, NS.hl7, 'text');
	if (text) {
		out.push('<div>');
		renderNodes(text, 0, out);
		out.push('</div>');
	}
	for (const comp of children(section, NS.hl7, 'component')) {
		const sub = child(comp, NS.hl7, 'section');
		if (sub) renderSection(sub, Math.min(level + 1, 6), out);
	}
	out.push('</section>');
}

/**
 * Renders the structuredBody of a CDA as inert HTML, or returns undefined when the document has
 * no structured body. Throws XdmError only for unsafe or malformed XML (see xml/parse.ts).
 */
export function renderStructuredBody(bytes: Uint8Array, name: string): string | undefined {
	const doc = parseXml(bytes, { name });
	const body = path(doc.documentElement ?? undefined, NS.hl7, 'component', 'structuredBody');
	if (!body) return undefined;
	const out: string[] = [];
	for (const comp of children(body, NS.hl7, 'component')) {
		const section = child(comp, NS.hl7, 'section');
		if (section) renderSection(section, 2, out);
	}
	return out.join('');
}
