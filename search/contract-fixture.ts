/**
 * A small synthetic extract set (fictional people, structure and addresses) exercising every
 * search behaviour of the contract: accents, hyphens, apostrophes, typos, synonyms, facets,
 * Corsica and overseas departments, red list, practitioners without a mailbox.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
	ACTIVITE_HEADERS,
	MSSANTE_HEADERS,
	SAVOIR_FAIRE_HEADERS,
	formatHeader,
	formatLine
} from '../annuaire-import/extract-format.ts';

interface Person {
	id: string;
	last: string;
	first: string;
	prof: [string, string];
	sf?: [string, string][];
	city?: [postal: string, insee: string, label: string];
	site?: string;
	mailbox?: string;
	redList?: boolean;
}

const MED: [string, string] = ['10', 'Médecin'];
const ORTHOPHONISTE: [string, string] = ['91', 'Orthophoniste'];
const KINE: [string, string] = ['70', 'Masseur-Kinésithérapeute'];
const LYON: [string, string, string] = ['69003', '69383', 'Lyon'];
const PARIS: [string, string, string] = ['75011', '75111', 'Paris'];
const ST_ETIENNE: [string, string, string] = ['42000', '42218', 'Saint-Étienne'];
const MG: [string, string] = ['SM54', 'Médecine générale'];

export const FIXTURE_PEOPLE: readonly Person[] = [
	{
		id: '810000000011',
		last: 'DUPONT',
		first: 'Claire',
		prof: ORTHOPHONISTE,
		city: LYON,
		mailbox: 'claire.dupont@ortho.mssante.fr'
	},
	{
		id: '810000000022',
		last: 'DUPONT',
		first: 'Jean',
		prof: MED,
		sf: [MG],
		city: LYON,
		mailbox: 'jean.dupont@medecin.mssante.fr'
	},
	{
		id: '810000000033',
		last: 'DUPONT',
		first: 'Sophie',
		prof: ORTHOPHONISTE,
		city: PARIS,
		mailbox: 'sophie.dupont@ortho.mssante.fr'
	},
	{
		id: '810000000044',
		last: 'LEFÈVRE',
		first: 'Marie',
		prof: ORTHOPHONISTE,
		city: PARIS,
		mailbox: 'marie.lefevre@ortho.mssante.fr'
	},
	{
		id: '810000000055',
		last: "N'GUYEN",
		first: 'Thi',
		prof: KINE,
		city: ST_ETIENNE,
		mailbox: 'thi.nguyen@kine.mssante.fr'
	},
	{
		id: '810000000066',
		last: 'MARTIN',
		first: 'Paul',
		prof: MED,
		sf: [['SM42', 'Psychiatrie']],
		city: PARIS,
		mailbox: 'paul.martin@psy.mssante.fr'
	},
	{
		id: '810000000077',
		last: 'MARTINEZ',
		first: 'Lucas',
		prof: MED,
		sf: [MG],
		city: PARIS,
		mailbox: 'lucas.martinez@medecin.mssante.fr'
	},
	{
		id: '810000000088',
		last: 'MONTGOLFIER',
		first: 'Élise',
		prof: ['50', 'Sage-Femme'],
		city: ['20000', '2A004', 'Ajaccio'],
		mailbox: 'elise.montgolfier@sf.mssante.fr'
	},
	{
		id: '810000000099',
		last: 'RUIZ',
		first: 'Ana',
		prof: ['60', 'Infirmier'],
		city: ['97400', '97411', 'Saint-Denis'],
		mailbox: 'ana.ruiz@ide.mssante.fr'
	},
	{
		id: '000000000101',
		last: 'COLIN',
		first: 'Hugo',
		prof: ['93', 'Psychologue'],
		city: ['20200', '', 'Bastia']
	},
	{
		id: '810000000112',
		last: 'SECRET',
		first: 'Jeanne',
		prof: MED,
		city: LYON,
		mailbox: 'jeanne.secret@medecin.mssante.fr',
		redList: true
	},
	{
		id: '810000000123',
		last: 'BERNARD',
		first: 'Louise',
		prof: MED,
		sf: [['SM53', 'Spécialiste en Médecine Générale']],
		city: ST_ETIENNE,
		site: 'CABINET DU FOREZ',
		mailbox: 'louise.bernard@medecin.mssante.fr'
	}
];

/** A structure (ORG) mailbox without any person. */
export const FIXTURE_ORG = {
	mailbox: 'secretariat.cardiologie@chu-lyon.mssante.fr',
	organization: 'CENTRE HOSPITALIER UNIVERSITAIRE DE LYON',
	service: 'Cardiologie'
};

export interface FixturePaths {
	mssante: string;
	activite: string;
	savoirFaire: string;
}

/** Writes the three extracts into `dir` (MSSanté with an extra trailing "Liste rouge" column). */
export function writeFixtureExtracts(dir: string): FixturePaths {
	const mssHeaders = [...MSSANTE_HEADERS, 'Liste rouge'] as const;
	const mss = [formatHeader(mssHeaders, false)];
	const act = [formatHeader(ACTIVITE_HEADERS, true)];
	const sf = [formatHeader(SAVOIR_FAIRE_HEADERS, false)];
	for (const p of FIXTURE_PEOPLE) {
		const rpps = p.id.startsWith('8');
		const common = {
			'Identification nationale PP': p.id,
			"Nom d'exercice": p.last,
			"Prénom d'exercice": p.first,
			'Code Profession': p.prof[0],
			'Libellé Profession': p.prof[1]
		};
		if (p.mailbox) {
			mss.push(
				formatLine(
					mssHeaders,
					{
						...common,
						'Type de BAL': 'PER',
						'Adresse BAL': p.mailbox,
						'Type Identifiant PP': p.id[0],
						'Identifiant PP': p.id.slice(1),
						'Liste rouge': p.redList ? 'true' : 'false'
					},
					false
				)
			);
		}
		act.push(
			formatLine(
				ACTIVITE_HEADERS,
				{
					"Type d'identifiant PP": rpps ? '8' : '0',
					'Identifiant PP': p.id.slice(1),
					'Identification nationale PP': p.id,
					"Nom d'exercice": p.last,
					"Prénom d'exercice": p.first,
					'Code profession': p.prof[0],
					'Libellé profession': p.prof[1],
					'Raison sociale site': p.site ?? `CABINET ${p.last}`,
					'Numéro Voie (coord. structure)': '12',
					'Libellé type de voie (coord. structure)': 'Rue',
					'Libellé Voie (coord. structure)': 'DES LILAS',
					'Code postal (coord. structure)': p.city?.[0] ?? '',
					'Code commune (coord. structure)': p.city?.[1] ?? '',
					'Libellé commune (coord. structure)': p.city?.[1] ? p.city[2] : '',
					'Bureau cedex (coord. structure)': p.city ? `${p.city[0]} ${p.city[2].toUpperCase()}` : ''
				},
				true
			)
		);
		for (const [code, label] of p.sf ?? []) {
			sf.push(
				formatLine(
					SAVOIR_FAIRE_HEADERS,
					{
						'Identification nationale PP': p.id,
						"Nom d'exercice": p.last,
						"Prénom d'exercice": p.first,
						'Code profession': p.prof[0],
						'Code type savoir-faire': 'S',
						'Code savoir-faire': code,
						'Libellé savoir-faire': label
					},
					false
				)
			);
		}
	}
	mss.push(
		formatLine(
			mssHeaders,
			{
				'Type de BAL': 'ORG',
				'Adresse BAL': FIXTURE_ORG.mailbox,
				'Service de rattachement': FIXTURE_ORG.service,
				'Raison Sociale structure BAL': FIXTURE_ORG.organization,
				'L6LIGNEACHEMINEMENT structure BAL': '69004 LYON',
				'Code postal structure BAL': '69004',
				'Liste rouge': 'false'
			},
			false
		)
	);
	const paths = {
		mssante: join(dir, 'mss.txt'),
		activite: join(dir, 'activite.txt'),
		savoirFaire: join(dir, 'savoirfaire.txt')
	};
	writeFileSync(paths.mssante, mss.join('\n') + '\n');
	writeFileSync(paths.activite, act.join('\r\n') + '\r\n');
	writeFileSync(paths.savoirFaire, sf.join('\n'));
	return paths;
}
