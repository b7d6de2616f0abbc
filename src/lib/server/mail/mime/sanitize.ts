/**
 * Server-side HTML sanitising of received mail. The result is still only ever shown inside a
 * sandboxed frame under its own strict CSP (defence in depth): nothing executes, nothing loads
 * from outside until the user allows remote images for that message.
 */
import sanitizeHtml from 'sanitize-html';

export interface SanitizeOptions {
	/** Maps a `cid:` reference to a same-origin URL of the inline part, or null when unknown. */
	resolveCid: (contentId: string) => string | null;
	/** The user chose to load remote images for this message. */
	allowRemoteImages: boolean;
}

export interface SanitizedHtml {
	html: string;
	blockedRemoteResources: number;
}

const ALLOWED_TAGS = [
	'a',
	'abbr',
	'address',
	'b',
	'bdi',
	'bdo',
	'blockquote',
	'br',
	'caption',
	'center',
	'cite',
	'code',
	'col',
	'colgroup',
	'dd',
	'del',
	'details',
	'dfn',
	'div',
	'dl',
	'dt',
	'em',
	'figcaption',
	'figure',
	'font',
	'h1',
	'h2',
	'h3',
	'h4',
	'h5',
	'h6',
	'hr',
	'i',
	'img',
	'ins',
	'kbd',
	'li',
	'mark',
	'ol',
	'p',
	'pre',
	'q',
	's',
	'samp',
	'small',
	'span',
	'strike',
	'strong',
	'sub',
	'summary',
	'sup',
	'table',
	'tbody',
	'td',
	'tfoot',
	'th',
	'thead',
	'tr',
	'tt',
	'u',
	'ul',
	'var'
];

const PRESENTATION_ATTRIBUTES = [
	'align',
	'valign',
	'width',
	'height',
	'bgcolor',
	'color',
	'border',
	'cellpadding',
	'cellspacing',
	'colspan',
	'rowspan',
	'dir',
	'lang',
	'title',
	'face',
	'size',
	'style'
];

/** CSS that can fetch, run or escape: any url(), image-set(), @import, expression(), behaviour. */
const DANGEROUS_CSS =
	/url\s*\(|image-set\s*\(|@import|expression\s*\(|behavior\s*:|-moz-binding|javascript:|position\s*:\s*(fixed|sticky)/i;

function cleanStyle(style: string | undefined): string | undefined {
	if (!style) return undefined;
	const kept = style
		.split(';')
		.map((rule) => rule.trim())
		.filter((rule) => rule && !DANGEROUS_CSS.test(rule) && !/\\/.test(rule));
	return kept.length ? kept.join('; ') : undefined;
}

export function sanitizeMailHtml(html: string, options: SanitizeOptions): SanitizedHtml {
	let blockedRemoteResources = 0;
	const result = sanitizeHtml(html, {
		allowedTags: ALLOWED_TAGS,
		allowedAttributes: {
			'*': PRESENTATION_ATTRIBUTES,
			a: ['href', 'name', 'target', 'rel', ...PRESENTATION_ATTRIBUTES],
			img: ['src', 'alt', ...PRESENTATION_ATTRIBUTES]
		},
		allowedSchemes: ['http', 'https', 'mailto', 'tel'],
		allowedSchemesByTag: { img: ['data', 'cid', 'http', 'https'] },
		allowProtocolRelative: false,
		disallowedTagsMode: 'discard',
		nonTextTags: [
			'style',
			'script',
			'textarea',
			'option',
			'noscript',
			'title',
			'head',
			'svg',
			'math',
			'template',
			'iframe',
			'object'
		],
		transformTags: {
			'*': (tagName, attribs) => {
				const style = cleanStyle(attribs.style);
				const { style: _dropped, background: _background, ...rest } = attribs;
				return { tagName, attribs: style ? { ...rest, style } : rest };
			},
			a: (tagName, attribs) => ({
				tagName,
				attribs: { ...attribs, target: '_blank', rel: 'noopener noreferrer nofollow' }
			}),
			img: (tagName, attribs) => {
				const src = (attribs.src ?? '').trim();
				const out = { ...attribs };
				if (/^cid:/i.test(src)) {
					const resolved = options.resolveCid(src.slice(4).replace(/^<|>$/g, ''));
					if (resolved) out.src = resolved;
					else delete out.src;
				} else if (/^https?:/i.test(src)) {
					if (!options.allowRemoteImages) {
						blockedRemoteResources += 1;
						delete out.src;
						out.alt = out.alt || '[image distante bloquée]';
					}
				} else if (!/^data:image\/(png|gif|jpeg|webp);/i.test(src)) {
					delete out.src;
				}
				return { tagName, attribs: out };
			}
		}
	});
	return { html: result, blockedRemoteResources };
}

/** Plain text shown as HTML: escaped, with http(s) links made clickable and nothing else. */
export function textToSafeHtml(text: string): string {
	const escape = (s: string) =>
		s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
	const parts = text.split(/(https?:\/\/[^\s<>"']+)/g);
	return parts
		.map((part, i) => {
			if (i % 2 === 0) return escape(part);
			const href = escape(part);
			return `<a href="${href}" target="_blank" rel="noopener noreferrer nofollow">${href}</a>`;
		})
		.join('');
}
