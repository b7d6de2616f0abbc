import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import {
	contentDisposition,
	declaredPreviewKind,
	emlFilename,
	previewHeaders,
	sniffPreviewKind,
	sniffStream
} from './preview.ts';

const bytes = (...values: (number | string)[]) =>
	Buffer.concat(
		values.map((v) => (typeof v === 'string' ? Buffer.from(v, 'latin1') : Buffer.from([v])))
	);

describe('magic bytes', () => {
	test.each([
		['pdf', bytes('%PDF-1.7\n%âãÏÓ')],
		['png', bytes(0x89, 'PNG\r\n', 0x1a, '\n', 0, 0, 0, 13, 'IHDR')],
		['jpeg', bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'JFIF')],
		['gif', bytes('GIF89a', 1, 0, 1, 0)],
		['gif', bytes('GIF87a', 1, 0, 1, 0)],
		['webp', bytes('RIFF', 0x24, 0, 0, 0, 'WEBPVP8 ')]
	])('%s is recognised', (kind, data) => {
		expect(sniffPreviewKind(data)).toBe(kind);
	});

	test.each([
		['HTML posing as PDF', bytes('<html><script>alert(1)</script>')],
		['SVG', bytes('<svg xmlns="http://www.w3.org/2000/svg">')],
		['PDF marker not at the start', bytes(' %PDF-1.4')],
		['RIFF that is not WebP', bytes('RIFF', 0, 0, 0, 0, 'WAVEfmt ')],
		['too short', bytes('%PD')],
		['empty', Buffer.alloc(0)],
		['zip', bytes('PK', 3, 4)]
	])('%s is refused', (_name, data) => {
		expect(sniffPreviewKind(data)).toBeNull();
	});

	test('the declared type or name only decides whether to offer a preview', () => {
		expect(declaredPreviewKind('application/octet-stream', 'CR.PDF')).toBe('pdf');
		expect(declaredPreviewKind('image/jpeg; name=x', 'x')).toBe('jpeg');
		expect(declaredPreviewKind('image/svg+xml', 'logo.svg')).toBeNull();
		expect(declaredPreviewKind('text/html', 'page.html')).toBeNull();
	});
});

describe('sniffing a stream', () => {
	test('gives back every byte, the sniffed ones first, across small chunks', async () => {
		const data = Buffer.concat([bytes('%PDF-1.4\n'), Buffer.alloc(100_000, 7)]);
		const chunks = [data.subarray(0, 3), data.subarray(3, 10), data.subarray(10)];
		const { kind, stream } = await sniffStream(Readable.from(chunks));
		expect(kind).toBe('pdf');
		const out: Buffer[] = [];
		for await (const chunk of stream) out.push(chunk as Buffer);
		expect(Buffer.concat(out).equals(data)).toBe(true);
	});

	test('a stream shorter than the sniffed length', async () => {
		const { kind, stream } = await sniffStream(Readable.from([bytes('GIF89a')]));
		expect(kind).toBe('gif');
		const out: Buffer[] = [];
		for await (const chunk of stream) out.push(chunk as Buffer);
		expect(Buffer.concat(out).toString('latin1')).toBe('GIF89a');
	});
});

describe('headers', () => {
	test('images: img-src self only, sandboxed; PDF: default-src none without sandbox', () => {
		const png = previewHeaders('png', 'radio.png');
		expect(png['content-security-policy']).toBe("default-src 'none'; img-src 'self'; sandbox");
		expect(png['content-type']).toBe('image/png');
		expect(png['x-content-type-options']).toBe('nosniff');
		const pdf = previewHeaders('pdf', 'cr.pdf');
		expect(pdf['content-security-policy']).toBe("default-src 'none'");
		expect(pdf['content-type']).toBe('application/pdf');
		expect(pdf['x-content-type-options']).toBe('nosniff');
	});

	test('Content-Disposition never carries a quote or a line break', () => {
		const value = contentDisposition('attachment', 'a"b\r\nc\\é.eml');
		expect(value).not.toMatch(/[\r\n]/);
		expect(value).toBe(
			`attachment; filename="a_b  c__.eml"; filename*=UTF-8''a%22b%20%20c%5C%C3%A9.eml`
		);
	});

	test('.eml file names from the subject', () => {
		expect(emlFilename('XDM/1.0/DDM+Compte rendu')).toBe('Compte rendu.eml');
		expect(emlFilename('../../etc/passwd')).toBe('etc passwd.eml');
		expect(emlFilename('  ')).toBe('message.eml');
		expect(emlFilename('a'.repeat(300)).length).toBeLessThanOrEqual(84);
	});
});
