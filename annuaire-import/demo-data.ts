/**
 * A small, entirely fictional directory for the demo and the end-to-end tests: when
 * `<dataDir>/annuaire.sqlite` is missing, a synthetic extract (the benchmark generator at a tiny
 * scale) plus the lab's own practitioners and structure mailbox is generated and imported, so the
 * demo's directory finds the people the lab accounts write to.
 */
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultDirectoryDbPath } from '../search/data-dir.ts';
import { generateAnnuaireExtracts } from '../tests/bench/annuaire-generate.ts';
import {
	ACTIVITE_HEADERS,
	MSSANTE_HEADERS,
	SAVOIR_FAIRE_HEADERS,
	formatLine
} from './extract-format.ts';
import { importAnnuaire, type ImportSummary } from './importer.ts';

interface DemoPerson {
	id: string;
	last: string;
	first: string;
	profession: [code: string, label: string];
	specialty?: [code: string, label: string];
	mailbox: string;
	site: string;
	street: [number: string, type: string, name: string];
	city: [postal: string, insee: string, label: string];
}

/** The lab accounts' practitioners (fictional), with their lab addresses. */
export const DEMO_PEOPLE: readonly DemoPerson[] = [
	{
		id: '899900000011',
		last: 'MARTIN',
		first: 'Jeanne',
		profession: ['10', 'Médecin'],
		specialty: ['SM54', 'Médecine générale'],
		mailbox: 'jeanne.martin@lab.mssante.test',
		site: 'CABINET MARTIN',
		street: ['14', 'Rue', 'DES TILLEULS'],
		city: ['75011', '75111', 'Paris']
	},
	{
		id: '899900000022',
		last: 'DURAND',
		first: 'Paul',
		profession: ['10', 'Médecin'],
		specialty: ['SM04', 'Cardiologie et maladies vasculaires'],
		mailbox: 'paul.durand@lab.mssante.test',
		site: 'CENTRE DE CARDIOLOGIE DU PARC',
		street: ['3', 'Avenue', 'DU PARC'],
		city: ['69006', '69386', 'Lyon']
	},
	{
		id: '899900000033',
		last: 'NGUYEN',
		first: 'Claire',
		profession: ['91', 'Orthophoniste'],
		mailbox: 'claire.nguyen@lab.mssante.test',
		site: 'CABINET NGUYEN',
		street: ['27', 'Rue', 'DE LA REPUBLIQUE'],
		city: ['69002', '69382', 'Lyon']
	}
];

export const DEMO_ORG = {
	mailbox: 'secretariat@cabinet-martin.lab.mssante.test',
	structureId: '899900001',
	organization: 'CABINET MARTIN',
	service: 'Secrétariat',
	street: ['14', 'RUE', 'DES TILLEULS'] as const,
	city: ['75011', 'PARIS'] as const
};

function appendLabEntries(paths: { mssante: string; activite: string; savoirFaire: string }) {
	const mss: string[] = [];
	const act: string[] = [];
	const sf: string[] = [];
	for (const p of DEMO_PEOPLE) {
		const idnps = p.id;
		mss.push(
			formatLine(
				MSSANTE_HEADERS,
				{
					'Type de BAL': 'PER',
					'Adresse BAL': p.mailbox,
					'Type Identifiant PP': '8',
					'Identifiant PP': idnps.slice(1),
					'Identification nationale PP': idnps,
					"Nom d'exercice": p.last,
					"Prénom d'exercice": p.first,
					'Code Profession': p.profession[0],
					'Libellé Profession': p.profession[1],
					'Code savoir-faire': p.specialty?.[0] ?? '',
					'Libellé savoir-faire': p.specialty?.[1] ?? '',
					Dématérialisation: 'true',
					'Raison Sociale structure BAL': p.site,
					'L4NUMEROVOIE structure BAL': p.street[0],
					'NL4TYPEVOIE structure BAL': p.street[1].toUpperCase(),
					'L4LIBELLEVOIE structure BAL': p.street[2],
					'L6LIGNEACHEMINEMENT structure BAL': `${p.city[0]} ${p.city[2].toUpperCase()}`,
					'Code postal structure BAL': p.city[0],
					'Pays structure BAL': 'France'
				},
				true
			)
		);
		act.push(
			formatLine(
				ACTIVITE_HEADERS,
				{
					"Type d'identifiant PP": '8',
					'Identifiant PP': idnps.slice(1),
					'Identification nationale PP': idnps,
					"Code civilité d'exercice": p.profession[0] === '10' ? 'DR' : '',
					"Nom d'exercice": p.last,
					"Prénom d'exercice": p.first,
					'Code profession': p.profession[0],
					'Libellé profession': p.profession[1],
					'Code catégorie professionnelle': 'C',
					'Libellé catégorie professionnelle': 'Civil',
					'Code type savoir-faire': p.specialty ? 'S' : '',
					'Code savoir-faire': p.specialty?.[0] ?? '',
					'Libellé savoir-faire': p.specialty?.[1] ?? '',
					'Code mode exercice': 'L',
					'Raison sociale site': p.site,
					'Numéro Voie (coord. structure)': p.street[0],
					'Libellé type de voie (coord. structure)': p.street[1],
					'Libellé Voie (coord. structure)': p.street[2],
					'Bureau cedex (coord. structure)': `${p.city[0]} ${p.city[2].toUpperCase()}`,
					'Code postal (coord. structure)': p.city[0],
					'Code commune (coord. structure)': p.city[1],
					'Libellé commune (coord. structure)': p.city[2],
					'Code pays (coord. structure)': '99000',
					'Libellé pays (coord. structure)': 'France'
				},
				true
			)
		);
		if (p.specialty) {
			sf.push(
				formatLine(
					SAVOIR_FAIRE_HEADERS,
					{
						"Type d'identifiant PP": '8',
						'Identifiant PP': idnps.slice(1),
						'Identification nationale PP': idnps,
						"Nom d'exercice": p.last,
						"Prénom d'exercice": p.first,
						'Code profession': p.profession[0],
						'Libellé profession': p.profession[1],
						'Code type savoir-faire': 'S',
						'Libellé type savoir-faire': 'Spécialité ordinale',
						'Code savoir-faire': p.specialty[0],
						'Libellé savoir-faire': p.specialty[1]
					},
					true
				)
			);
		}
	}
	mss.push(
		formatLine(
			MSSANTE_HEADERS,
			{
				'Type de BAL': 'ORG',
				'Adresse BAL': DEMO_ORG.mailbox,
				'Identification Structure': DEMO_ORG.structureId,
				'Service de rattachement': DEMO_ORG.service,
				'Raison Sociale structure BAL': DEMO_ORG.organization,
				'L4NUMEROVOIE structure BAL': DEMO_ORG.street[0],
				'NL4TYPEVOIE structure BAL': DEMO_ORG.street[1],
				'L4LIBELLEVOIE structure BAL': DEMO_ORG.street[2],
				'L6LIGNEACHEMINEMENT structure BAL': DEMO_ORG.city.join(' '),
				'Code postal structure BAL': DEMO_ORG.city[0],
				'Pays structure BAL': 'France'
			},
			true
		)
	);
	appendFileSync(paths.mssante, mss.join('\n') + '\n');
	appendFileSync(paths.activite, act.join('\n') + '\n');
	appendFileSync(paths.savoirFaire, sf.join('\n') + '\n');
}

export interface DemoDirectoryResult {
	dbPath: string;
	/** False when an index was already there (left untouched). */
	created: boolean;
	summary?: ImportSummary;
}

/**
 * Imports the demo directory into `dataDir` unless `<dataDir>/annuaire.sqlite` exists.
 * `scale` 0.002 gives about 2 900 practitioners and a few seconds of work.
 */
export async function ensureDemoDirectory(
	dataDir: string,
	opts: { scale?: number } = {}
): Promise<DemoDirectoryResult> {
	const dbPath = defaultDirectoryDbPath(dataDir);
	if (existsSync(dbPath)) return { dbPath, created: false };
	mkdirSync(dataDir, { recursive: true });
	const dir = mkdtempSync(join(tmpdir(), 'confrere-demo-annuaire-'));
	try {
		const { paths } = generateAnnuaireExtracts({ dir, scale: opts.scale ?? 0.002, seed: 7 });
		appendLabEntries(paths);
		const summary = await importAnnuaire({ ...paths, dbPath });
		return { dbPath, created: true, summary };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const dataDir = process.argv[2] ?? join(import.meta.dirname, '..', 'var', 'data');
	const result = await ensureDemoDirectory(dataDir);
	process.stdout.write(
		result.created
			? `Annuaire de démonstration importé : ${result.dbPath}\n`
			: `Annuaire déjà présent : ${result.dbPath}\n`
	);
}
