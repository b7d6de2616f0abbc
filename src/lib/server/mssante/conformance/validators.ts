/**
 * Offline conformance tools for tests: xmllint (Debian libxml2-utils) against the CDA XSD and the
 * ebRS 3.0 lcm.xsd, and Saxon-HE (Debian libsaxonhe-java, Java 17) running the ANS "Structuration
 * minimale" Schematron compiled by schematron-compile.xsl. The official artefacts are read in
 * place from ../shared/xdm-reference/ (never copied into the repository).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseXml, children, attr, textOf } from '../xml/parse.ts';

export const XDM_REFERENCE = resolve(process.cwd(), '../shared/xdm-reference');
const ANS = join(XDM_REFERENCE, 'ansforge-TestContenuCDA-3-0');
export const CDA_XSD = join(ANS, 'infrastructure/cda/CDA_extended.xsd');
export const LCM_XSD = join(
	XDM_REFERENCE,
	'DirectProject-nhin-d/java/client/src/schema/ebRS/lcm.xsd'
);
export const STRUCMIN_SCH = join(
	ANS,
	'schematrons/profils/structurationMinimale/ASIP-STRUCT-MIN-StrucMin.sch'
);
const CATALOG = join(XDM_REFERENCE, 'catalog.xml');
const COMPILER = fileURLToPath(new URL('./schematron-compile.xsl', import.meta.url));

const SAXON_CANDIDATES = [process.env.SAXON_JAR, '/usr/share/java/Saxon-HE.jar'].filter(
	Boolean
) as string[];

function runs(cmd: string, args: string[]): boolean {
	const r = spawnSync(cmd, args, { encoding: 'utf8' });
	return r.error === undefined && r.status === 0;
}

export function xmllintMissing(): string | undefined {
	if (!existsSync(CDA_XSD)) return `référentiel absent : ${XDM_REFERENCE}`;
	return runs('xmllint', ['--version'])
		? undefined
		: 'xmllint absent (paquet Debian libxml2-utils)';
}

export function saxonJar(): string | undefined {
	return SAXON_CANDIDATES.find((p) => existsSync(p));
}

export function saxonMissing(): string | undefined {
	if (!existsSync(STRUCMIN_SCH)) return `référentiel absent : ${XDM_REFERENCE}`;
	if (!runs('java', ['-version'])) return 'java absent (Java 17)';
	return saxonJar() ? undefined : 'Saxon-HE absent (paquet Debian libsaxonhe-java, ou SAXON_JAR)';
}

export interface XsdResult {
	ok: boolean;
	output: string;
}

/** Validates files against an XSD, offline (the catalog maps xml.xsd to the local copy). */
export function xsdValidate(schema: string, files: string[]): XsdResult {
	const r = spawnSync('xmllint', ['--nonet', '--noout', '--schema', schema, ...files], {
		encoding: 'utf8',
		env: { ...process.env, XML_CATALOG_FILES: CATALOG }
	});
	// Keep the per-file verdicts and errors, drop libxml2's warnings about duplicate imports.
	const output = `${r.stdout}${r.stderr}`
		.split('\n')
		.filter((l) => l && !/Schemas parser warning|Skipping import/.test(l))
		.join('\n');
	return { ok: r.status === 0, output };
}

function saxon(args: string[]): void {
	const r = spawnSync('java', ['-cp', saxonJar()!, 'net.sf.saxon.Transform', ...args], {
		encoding: 'utf8'
	});
	if (r.status !== 0) throw new Error(`Saxon a échoué : ${r.stderr || r.stdout}`);
}

/** Compiles the ANS Schematron into `<dir>/strucmin.xsl` and returns its path. */
export function compileStrucMin(dir: string): string {
	const out = join(dir, 'strucmin.xsl');
	saxon([`-s:${STRUCMIN_SCH}`, `-xsl:${COMPILER}`, `-o:${out}`]);
	return out;
}

export interface FailedAssert {
	role: string;
	location: string;
	message: string;
}

/**
 * Runs the compiled Schematron over every file of `inDir` (one JVM, compiled once) and returns
 * the failed asserts per file name.
 */
export function runSchematron(
	xsl: string,
	inDir: string,
	outDir: string
): Map<string, FailedAssert[]> {
	saxon([`-s:${inDir}`, `-xsl:${xsl}`, `-o:${outDir}`]);
	const results = new Map<string, FailedAssert[]>();
	for (const name of readdirSync(inDir)) {
		const report = parseXml(readFileSync(join(outDir, name)), { name });
		results.set(
			name,
			children(report.documentElement, undefined, 'failed-assert').map((f) => ({
				role: attr(f, 'role') ?? '',
				location: attr(f, 'location') ?? '',
				message: textOf(f)
			}))
		);
	}
	return results;
}
