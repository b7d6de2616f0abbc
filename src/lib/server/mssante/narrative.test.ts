import { describe, expect, it } from 'vitest';
import { renderStructuredBody } from './narrative.ts';
import { rejectionReport } from './mdn-codes.ts';
import { bytes } from './testing/zip-tools.ts';

const cda = (body: string) =>
	bytes(
		`<?xml version="1.0"?><ClinicalDocument xmlns="urn:hl7-org:v3"><component><structuredBody>${body}</structuredBody></component></ClinicalDocument>`
	);

describe('N3 narrative rendering', () => {
	it('maps the narrative block to plain HTML', () => {
		const html = renderStructuredBody(
			cda(
				`<component><section><title>Motif</title><text><paragraph>Toux <content styleCode="Bold">sèche</content><br/>depuis 3 j</paragraph>` +
					`<list listType="ordered"><item>un</item></list><table><tbody><tr><td>a</td></tr></tbody></table></text>` +
					`<component><section><title>Sous-partie</title><text>x &lt; y</text></section></component></section></component>`
			),
			'DOC.xml'
		);
		expect(html).toBe(
			'<section><h2>Motif</h2><div><p>Toux <span>sèche</span><br>depuis 3 j</p><ol><li>un</li></ol>' +
				'<table><tbody><tr><td>a</td></tr></tbody></table></div>' +
				'<section><h3>Sous-partie</h3><div>x &lt; y</div></section></section>'
		);
	});

	it('never lets markup, attributes or links through', () => {
		const html = renderStructuredBody(
			cda(
				`<component><section><title>&lt;img src=x onerror=alert(1)&gt;</title><text>` +
					`<linkHtml href="javascript:alert(1)" onclick="x">lien</linkHtml>` +
					`<script xmlns="http://www.w3.org/1999/xhtml">alert(2)</script>` +
					`<content onmouseover="alert(3)" style="background:url(http://x)">t</content>` +
					`<renderMultiMedia referencedObject="img1"/></text></section></component>`
			),
			'DOC.xml'
		)!;
		expect(html).not.toMatch(/<(img|script|a)\b/);
		// No attribute at all survives: no `="` anywhere in the output.
		expect(html).not.toContain('="');
		expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
		expect(html).toContain('lien');
	});

	it('returns undefined for an N1 document', () => {
		expect(
			renderStructuredBody(
				bytes(
					'<ClinicalDocument xmlns="urn:hl7-org:v3"><component><nonXMLBody/></component></ClinicalDocument>'
				),
				'x'
			)
		).toBeUndefined();
	});
});

describe('rejection MDN report', () => {
	it('carries the ANS error code and the original ids', () => {
		const report = rejectionReport({
			code: '904',
			finalRecipient: 'dr.x@hopital.mssante.fr',
			originalRecipient: 'dr.x@hopital.mssante.fr',
			originalMessageId: '<abc@test>\r\nBcc: y'
		});
		expect(report).toContain(
			'Disposition: manual-action/MDN-sent-manually; processed/Error: 904^INS ou traits différents du dossier local'
		);
		expect(report).toContain('Original-Message-ID: <abc@test> Bcc: y\r\n');
		expect(report.split('\r\n').filter(Boolean)).toHaveLength(5);
	});
});
