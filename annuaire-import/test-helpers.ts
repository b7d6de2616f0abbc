/** Small builders for importer tests: extracts written line by line, with deliberate faults. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MSSANTE_HEADERS, formatHeader, formatLine, type Row } from './extract-format.ts';

const created: string[] = [];

export function tempDir(): string {
	const dir = mkdtempSync(join(tmpdir(), 'annuaire-import-'));
	created.push(dir);
	return dir;
}

/** For `afterAll`: removes every folder made by tempDir(). */
export function removeTempDirs(): void {
	for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export type MssRow = Row<typeof MSSANTE_HEADERS>;

/** A structure (ORG) mailbox row; `n` makes it unique. */
export function orgRow(n: number, extra: MssRow = {}): MssRow {
	return {
		'Type de BAL': 'ORG',
		'Adresse BAL': `service${n}@clinique-test.mssante.fr`,
		'Raison Sociale structure BAL': `CLINIQUE TEST ${n}`,
		'Service de rattachement': 'Accueil',
		'Code postal structure BAL': '69003',
		'L6LIGNEACHEMINEMENT structure BAL': '69003 LYON',
		...extra
	};
}

export function writeMssante(
	path: string,
	rows: (MssRow | string)[],
	headers: readonly string[] = MSSANTE_HEADERS
): string {
	const lines = [
		formatHeader(headers, true),
		...rows.map((r) => (typeof r === 'string' ? r : formatLine(headers, r as never, true)))
	];
	writeFileSync(path, lines.join('\n') + '\n');
	return path;
}
