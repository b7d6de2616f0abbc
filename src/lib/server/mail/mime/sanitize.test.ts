import { describe, expect, test } from 'vitest';
import { sanitizeMailHtml, textToSafeHtml } from './sanitize.ts';

const options = {
	resolveCid: (cid: string) => (cid === 'logo@x' ? '/part/2' : null),
	allowRemoteImages: false
};

describe('sanitizeMailHtml', () => {
	test.each([
		['<script>alert(1)</script><p>ok</p>', '<p>ok</p>'],
		['<img src=x onerror="alert(1)">', '<img />'],
		[
			'<a href="javascript:alert(1)">x</a>',
			'<a target="_blank" rel="noopener noreferrer nofollow">x</a>'
		],
		['<svg><script>alert(1)</script></svg><p>t</p>', '<p>t</p>'],
		['<iframe src="https://evil.example"></iframe>', ''],
		['<form action="https://evil.example"><input name=a></form>', ''],
		['<meta http-equiv="refresh" content="0;url=https://evil.example">', ''],
		['<object data="x.swf"></object><embed src="x">', '']
	])('removes active content: %s', (input, expected) => {
		expect(sanitizeMailHtml(input, options).html).toBe(expected);
	});

	test('blocks remote images and counts them, unless allowed', () => {
		const html =
			'<p><img src="https://tracker.example/p.gif" alt="pixel"><img src="http://a.example/b.png"></p>';
		const blocked = sanitizeMailHtml(html, options);
		expect(blocked.blockedRemoteResources).toBe(2);
		expect(blocked.html).not.toContain('tracker.example');
		const allowed = sanitizeMailHtml(html, { ...options, allowRemoteImages: true });
		expect(allowed.blockedRemoteResources).toBe(0);
		expect(allowed.html).toContain('https://tracker.example/p.gif');
	});

	test('drops CSS that can load or escape, keeps harmless styles', () => {
		const html =
			'<div style="color: red; background-image: url(https://evil.example/x); position: fixed">a</div>';
		const out = sanitizeMailHtml(html, options).html;
		expect(out).toMatch(/color:\s?red/);
		expect(out).not.toContain('url(');
		expect(out).not.toContain('position');
	});

	test('maps cid: images to our own URL and drops unknown ones', () => {
		const out = sanitizeMailHtml('<img src="cid:logo@x"><img src="cid:unknown">', options).html;
		expect(out).toContain('src="/part/2"');
		expect(out.match(/src=/g)).toHaveLength(1);
	});

	test('opens links in a new tab without referrer', () => {
		const out = sanitizeMailHtml('<a href="https://ans.example/doc">doc</a>', options).html;
		expect(out).toContain('target="_blank"');
		expect(out).toContain('noreferrer');
	});
});

describe('textToSafeHtml', () => {
	test('escapes markup and links URLs', () => {
		const out = textToSafeHtml('<b>Bonjour</b> voir https://esante.example/a?b=1&c=2');
		expect(out).toContain('&lt;b&gt;Bonjour&lt;/b&gt;');
		expect(out).toContain('<a href="https://esante.example/a?b=1&amp;c=2"');
	});
});
