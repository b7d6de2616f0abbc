/**
 * Generator of realistic, national-size, entirely fictional Annuaire Santé extracts: at scale 1,
 * about 2.3 M Personne_activite rows, 540 k MSSanté mailbox rows and 430 k savoir-faire rows
 * (research note §1 sizes), with French surname/first-name/city distributions, homonyms,
 * duplicate mailbox lines and ADELI rows without INSEE commune code. `scale` shrinks everything.
 * Run alone: `node tests/bench/annuaire-generate.ts <dir> [scale]`.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import {
	ACTIVITE_HEADERS,
	MSSANTE_HEADERS,
	SAVOIR_FAIRE_HEADERS,
	formatHeader,
	formatLine
} from '../../annuaire-import/extract-format.ts';
import { foldText } from '../../search/fold.ts';
import {
	CITIES,
	FIRST_NAMES,
	PROFESSIONS,
	SPECIALTIES,
	SURNAMES,
	rng,
	tailCity,
	tailSurname,
	weighted
} from './annuaire-names.ts';

export interface GeneratedTarget {
	lastName: string;
	firstName: string;
	city: string;
	professionLabel: string;
	specialty: string | undefined;
	mailbox: string;
}

export interface GeneratedExtracts {
	paths: { mssante: string; activite: string; savoirFaire: string };
	counts: {
		persons: number;
		activite: number;
		mssante: number;
		savoirFaire: number;
		bytes: number;
	};
	/** Persons with a mailbox, sampled for the relevance query set. */
	targets: GeneratedTarget[];
}

const PERSONS_AT_SCALE_1 = 1_440_000;
const ORG_MAILBOXES_AT_SCALE_1 = 80_000;
const TAIL_SURNAMES_AT_SCALE_1 = 220_000;
const TAIL_CITIES = 30_000;
const ORG_KINDS = [
	'CENTRE HOSPITALIER',
	'CLINIQUE',
	'EHPAD',
	'LABORATOIRE',
	'CENTRE DE SANTE',
	'MAISON DE SANTE PLURIPROFESSIONNELLE'
];
const SERVICES = [
	'Secrétariat',
	'Cardiologie',
	'Urgences',
	'Pédiatrie',
	'Radiologie',
	'Maternité',
	'Accueil',
	'Direction',
	'Pharmacie',
	'Oncologie'
];

class LineWriter {
	readonly #fd: number;
	#buf: string[] = [];
	#size = 0;
	lines = 0;
	bytes = 0;
	constructor(path: string) {
		this.#fd = openSync(path, 'w');
	}
	write(line: string): void {
		this.#buf.push(line);
		this.#size += line.length + 1;
		this.lines++;
		if (this.#size > 1 << 22) this.flush();
	}
	flush(): void {
		if (this.#buf.length === 0) return;
		const data = Buffer.from(this.#buf.join('\n') + '\n', 'utf8');
		writeSync(this.#fd, data);
		this.bytes += data.length;
		this.#buf = [];
		this.#size = 0;
	}
	close(): void {
		this.flush();
		closeSync(this.#fd);
	}
}

const slug = (s: string) => foldText(s).replace(/ /g, '-');

export function generateAnnuaireExtracts(opts: {
	dir: string;
	scale: number;
	seed?: number;
	maxTargets?: number;
}): GeneratedExtracts {
	mkdirSync(opts.dir, { recursive: true });
	const r = rng(opts.seed ?? 42);
	const paths = {
		mssante: join(opts.dir, 'Extraction_Correspondance_MSSante_202611220230.txt'),
		activite: join(opts.dir, 'PS_LibreAcces_Personne_activite_202611220230.txt'),
		savoirFaire: join(opts.dir, 'PS_LibreAcces_SavoirFaire_202611220230.txt')
	};
	const mss = new LineWriter(paths.mssante);
	const act = new LineWriter(paths.activite);
	const sf = new LineWriter(paths.savoirFaire);
	mss.write(formatHeader(MSSANTE_HEADERS, true));
	act.write(formatHeader(ACTIVITE_HEADERS, true));
	sf.write(formatHeader(SAVOIR_FAIRE_HEADERS, true));
	const persons = Math.max(50, Math.round(PERSONS_AT_SCALE_1 * opts.scale));
	const tailSize = Math.max(50, Math.round(TAIL_SURNAMES_AT_SCALE_1 * opts.scale));
	const pickSurname = weighted(
		SURNAMES.map((s, i) => [s, 1 / Math.pow(i + 1, 0.7)] as const),
		(x) => x[1]
	);
	const pickCity = weighted(CITIES, (c) => c[3]);
	const pickProfession = weighted(PROFESSIONS, (p) => p[2]);
	const pickSpecialty = weighted(SPECIALTIES, (s) => s[2]);
	const usedAddresses = new Set<string>();
	const targets: GeneratedTarget[] = [];
	const maxTargets = opts.maxTargets ?? 300;
	const targetEvery = Math.max(1, Math.floor(persons / (maxTargets * 3)));
	const city = (): [string, string, string] => {
		if (r() < 0.7) {
			const c = pickCity(r());
			return [c[0], c[1], c[2]];
		}
		return tailCity(Math.floor(r() * TAIL_CITIES));
	};
	const mailboxFor = (first: string, last: string, domain: string) => {
		const base = `${slug(first)}.${slug(last)}`.replace(/[^a-z0-9.-]/g, '');
		let address = `${base}@${domain}`;
		for (let n = 2; usedAddresses.has(address); n++) address = `${base}${n}@${domain}`;
		usedAddresses.add(address);
		return address;
	};
	for (let i = 0; i < persons; i++) {
		const [profCode, profLabel, , isAdeli] = pickProfession(r());
		const idnps = isAdeli
			? `0${String(10_000_000 + i).padStart(9, '0')}`
			: `8${String(10_000_000_000 + i)}`;
		const last = r() < 0.55 ? pickSurname(r())[0] : tailSurname(Math.floor(r() * tailSize));
		const first = FIRST_NAMES[Math.floor(r() * FIRST_NAMES.length)] as string;
		const specialties =
			profCode === '10' ? [pickSpecialty(r()), ...(r() < 0.26 ? [pickSpecialty(r())] : [])] : [];
		const sites = r() < 0.6 ? 1 : r() < 0.62 ? 2 : 3;
		let firstSite: { city: [string, string, string]; org: string; sid: string } | undefined;
		for (let s = 0; s < sites; s++) {
			const c = city();
			const sid = `C${String(40_000_000_000_000 + i * 3 + s)}`;
			const org =
				r() < 0.5
					? `CABINET ${last}`
					: `${ORG_KINDS[Math.floor(r() * ORG_KINDS.length)]} ${c[2].toUpperCase()}`;
			firstSite ??= { city: c, org, sid };
			const noCommune = isAdeli && r() < 0.4; // ADELI rows often lack the INSEE code (DSFT v300 §3.2)
			const spec = specialties[0];
			act.write(
				formatLine(
					ACTIVITE_HEADERS,
					{
						"Type d'identifiant PP": isAdeli ? '0' : '8',
						'Identifiant PP': idnps.slice(1),
						'Identification nationale PP': idnps,
						"Code civilité d'exercice": profCode === '10' ? 'DR' : '',
						"Nom d'exercice": last,
						"Prénom d'exercice": first,
						'Code profession': profCode,
						'Libellé profession': profLabel,
						'Code catégorie professionnelle': 'C',
						'Libellé catégorie professionnelle': 'Civil',
						'Code type savoir-faire': spec ? 'S' : '',
						'Code savoir-faire': spec?.[0] ?? '',
						'Libellé savoir-faire': spec?.[1] ?? '',
						'Code mode exercice': 'L',
						'Identifiant technique de la structure': sid,
						'Raison sociale site': org,
						'Numéro Voie (coord. structure)': String(1 + Math.floor(r() * 120)),
						'Libellé type de voie (coord. structure)': 'Rue',
						'Libellé Voie (coord. structure)': `DES ${['LILAS', 'ROSES', 'ECOLES', 'JARDINS', 'FORGES'][Math.floor(r() * 5)]}`,
						'Bureau cedex (coord. structure)': `${c[0]} ${foldText(c[2]).toUpperCase()}`,
						'Code postal (coord. structure)': c[0],
						'Code commune (coord. structure)': noCommune ? '' : c[1],
						'Libellé commune (coord. structure)': noCommune ? '' : c[2],
						'Code pays (coord. structure)': '99000',
						'Libellé pays (coord. structure)': 'France'
					},
					true
				)
			);
			// A few extra rows without structure for the same person, as seen in real extracts.
			if (r() < 0.002) {
				const row = {
					'Identification nationale PP': idnps,
					"Nom d'exercice": last,
					"Prénom d'exercice": first,
					'Code profession': profCode,
					'Libellé profession': profLabel
				};
				act.write(formatLine(ACTIVITE_HEADERS, row, true));
			}
		}
		for (const [code, label] of specialties) {
			sf.write(
				formatLine(
					SAVOIR_FAIRE_HEADERS,
					{
						"Type d'identifiant PP": '8',
						'Identifiant PP': idnps.slice(1),
						'Identification nationale PP': idnps,
						"Nom d'exercice": last,
						"Prénom d'exercice": first,
						'Code profession': profCode,
						'Libellé profession': profLabel,
						'Code type savoir-faire': 'S',
						'Libellé type savoir-faire': 'Spécialité ordinale',
						'Code savoir-faire': code,
						'Libellé savoir-faire': label
					},
					true
				)
			);
		}
		const p = profCode === '10' ? 0.75 : profCode === '21' ? 0.5 : 0.15;
		if (r() < p && firstSite) {
			const boxes = r() < 0.05 ? 2 : 1;
			for (let b = 0; b < boxes; b++) {
				const domain =
					b === 0
						? `${slug(profLabel).split('-')[0]}.mssante.fr`
						: `${slug(firstSite.city[2])}.mssante.fr`;
				const mailbox = mailboxFor(first, last, domain);
				const line = formatLine(
					MSSANTE_HEADERS,
					{
						'Type de BAL': 'PER',
						'Adresse BAL': mailbox,
						'Type Identifiant PP': idnps[0],
						'Identifiant PP': idnps.slice(1),
						'Identification nationale PP': idnps,
						'Identification Structure': firstSite.sid.slice(1),
						"Nom d'exercice": last,
						"Prénom d'exercice": first,
						'Code Profession': profCode,
						'Libellé Profession': profLabel,
						'Code savoir-faire': specialties[0]?.[0] ?? '',
						'Libellé savoir-faire': specialties[0]?.[1] ?? '',
						Dématérialisation: 'true',
						'Raison Sociale structure BAL': firstSite.org,
						'L6LIGNEACHEMINEMENT structure BAL': `${firstSite.city[0]} ${foldText(firstSite.city[2]).toUpperCase()}`,
						'Code postal structure BAL': firstSite.city[0],
						'Pays structure BAL': 'France'
					},
					true
				);
				mss.write(line);
				if (r() < 0.0003) mss.write(line); // the 2026 file has 169 addresses on more than one line
				if (b === 0 && i % targetEvery === 0 && targets.length < maxTargets) {
					targets.push({
						lastName: last,
						firstName: first,
						city: firstSite.city[2],
						professionLabel: profLabel,
						specialty: specialties[0]?.[1],
						mailbox
					});
				}
			}
		}
	}
	const orgs = Math.round(ORG_MAILBOXES_AT_SCALE_1 * opts.scale);
	for (let o = 0; o < orgs; o++) {
		const c = city();
		const org = `${ORG_KINDS[Math.floor(r() * ORG_KINDS.length)]} ${r() < 0.5 ? c[2].toUpperCase() : pickSurname(r())[0]}`;
		const service = SERVICES[Math.floor(r() * SERVICES.length)] as string;
		mss.write(
			formatLine(
				MSSANTE_HEADERS,
				{
					'Type de BAL': 'ORG',
					'Adresse BAL': mailboxFor(service, String(o), `${slug(org).slice(0, 30)}.mssante.fr`),
					'Identification Structure': String(100_000_000 + o),
					'Service de rattachement': service,
					'Raison Sociale structure BAL': org,
					'L4NUMEROVOIE structure BAL': String(1 + (o % 90)),
					'L4LIBELLEVOIE structure BAL': 'AVENUE DE LA REPUBLIQUE',
					'L6LIGNEACHEMINEMENT structure BAL': `${c[0]} ${foldText(c[2]).toUpperCase()}`,
					'Code postal structure BAL': c[0],
					'Pays structure BAL': 'France'
				},
				true
			)
		);
	}
	for (const w of [mss, act, sf]) w.close();
	return {
		paths,
		counts: {
			persons,
			activite: act.lines - 1,
			mssante: mss.lines - 1,
			savoirFaire: sf.lines - 1,
			bytes: mss.bytes + act.bytes + sf.bytes
		},
		targets
	};
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const dir = process.argv[2] ?? 'var/bench/annuaire';
	const result = generateAnnuaireExtracts({ dir, scale: Number(process.argv[3] ?? '1') });
	process.stdout.write(`${JSON.stringify(result.counts)}\n`);
}
