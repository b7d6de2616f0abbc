/**
 * Name and place distributions for the synthetic national-size extracts: the most frequent French
 * surnames and first names (INSEE frequency order, weights decreasing Zipf-like), big cities with
 * their INSEE and postal codes, plus generated long tails so that vocabulary sizes look national.
 * Everything produced from these is fictional.
 */

export const SURNAMES = (
	'MARTIN BERNARD THOMAS PETIT ROBERT RICHARD DURAND DUBOIS MOREAU LAURENT SIMON MICHEL LEFEBVRE LEROY ROUX DAVID ' +
	'BERTRAND MOREL FOURNIER GIRARD BONNET DUPONT LAMBERT FONTAINE ROUSSEAU VINCENT MULLER LEFEVRE FAURE ANDRE MERCIER ' +
	'BLANC GUERIN BOYER GARNIER CHEVALIER FRANCOIS LEGRAND GAUTHIER GARCIA PERRIN ROBIN CLEMENT MORIN NICOLAS HENRY ' +
	'ROUSSEL MATHIEU GAUTIER MASSON MARCHAND DUVAL DENIS DUMONT MARIE LEMAIRE NOEL MEYER DUFOUR MEUNIER BRUN BLANCHARD ' +
	'GIRAUD JOLY RIVIERE LUCAS BRUNET GAILLARD BARBIER ARNAUD MARTINEZ GERARD ROCHE RENARD SCHMITT ROY LEROUX COLIN ' +
	'VIDAL CARON PICARD ROGER FABRE AUBERT LEMOINE RENAUD DUMAS LACROIX OLIVIER PHILIPPE BOURGEOIS PIERRE BENOIT REY ' +
	'LECLERC PAYET ROLLAND LECLERCQ GUILLAUME LECOMTE LOPEZ JEAN DUPUY GUILLOT HUBERT BERGER CARPENTIER SANCHEZ DUPUIS ' +
	'MOULIN LOUIS DESCHAMPS HUET VASSEUR PEREZ BOUCHER FLEURY ROYER KLEIN JACQUET ADAM PARIS POIRIER MARTY AUBRY GUYOT ' +
	'CARRE CHARLES RENAULT CHARPENTIER MENARD MAILLARD BARON BERTIN BAILLY HERVE SCHNEIDER FERNANDEZ LE_GALL COLLET ' +
	'LEGER BOUVIER JULIEN PREVOST MILLET PERROT DANIEL LE_ROUX COUSIN GERMAIN BRETON BESSON LANGLOIS REMY LE_GOFF ' +
	'PELLETIER LEVEQUE PERRIER LEBLANC BARRE LEBRUN MARCHAL WEBER MALLET HAMON BOULANGER JACOB MONNIER MICHAUD RODRIGUEZ ' +
	'GUICHARD GILLET ETIENNE GRONDIN POULAIN TESSIER CHEVALLIER COLLIN CHAUVIN DA_SILVA BOUCHET GAY LEMAITRE BENARD ' +
	'MARECHAL HUMBERT REYNAUD ANTOINE HOARAU PERRET BARTHELEMY CORDIER PICHON LEJEUNE GILBERT LAMY DELAUNAY PASQUIER ' +
	"CARLIER LAPORTE N'GUYEN NGUYEN SAINT-MARTIN LEFÈVRE MÉNARD HÉBERT GÉRARD"
)
	.split(' ')
	.map((s) => s.replace(/_/g, ' '));

export const FIRST_NAMES = (
	'Marie Jean Pierre Michel André Philippe Nathalie Isabelle Sylvie Catherine Françoise Martine Christine Anne ' +
	'Nicolas Christophe Stéphane Laurent Frédéric Julien David Sébastien Céline Sandrine Valérie Sophie Thomas Camille ' +
	'Julie Aurélie Émilie Claire Élise Hélène Caroline Audrey Mathieu Antoine Alexandre Guillaume Vincent Olivier ' +
	'Patrick Éric Thierry Pascal Daniel Alain Bernard Jacques Paul Louis Lucas Hugo Léa Manon Chloé Sarah Laura Pauline ' +
	'Marion Mélanie Charlotte Lucie Anaïs Jean-Pierre Jean-François Marie-Claire Anne-Sophie Jean-Marc Benoît Jérôme'
).split(' ');

/** [postal code, INSEE code, label, weight] */
export const CITIES: readonly [string, string, string, number][] = [
	['75011', '75111', 'Paris', 60],
	['13005', '13205', 'Marseille', 25],
	['69003', '69383', 'Lyon', 20],
	['31000', '31555', 'Toulouse', 14],
	['06000', '06088', 'Nice', 10],
	['44000', '44109', 'Nantes', 10],
	['34000', '34172', 'Montpellier', 10],
	['67000', '67482', 'Strasbourg', 9],
	['33000', '33063', 'Bordeaux', 10],
	['59000', '59350', 'Lille', 9],
	['35000', '35238', 'Rennes', 8],
	['51100', '51454', 'Reims', 5],
	['42000', '42218', 'Saint-Étienne', 5],
	['83000', '83137', 'Toulon', 5],
	['76600', '76351', 'Le Havre', 4],
	['38000', '38185', 'Grenoble', 6],
	['21000', '21231', 'Dijon', 5],
	['49000', '49007', 'Angers', 4],
	['30000', '30189', 'Nîmes', 4],
	['63000', '63113', 'Clermont-Ferrand', 5],
	['72000', '72181', 'Le Mans', 3],
	['13100', '13001', 'Aix-en-Provence', 5],
	['29200', '29019', 'Brest', 4],
	['37000', '37261', 'Tours', 4],
	['80000', '80021', 'Amiens', 3],
	['87000', '87085', 'Limoges', 3],
	['74000', '74010', 'Annecy', 3],
	['66000', '66136', 'Perpignan', 3],
	['57000', '57463', 'Metz', 3],
	['25000', '25056', 'Besançon', 3],
	['45000', '45234', 'Orléans', 3],
	['76000', '76540', 'Rouen', 4],
	['14000', '14118', 'Caen', 3],
	['54000', '54395', 'Nancy', 3],
	['86000', '86194', 'Poitiers', 3],
	['64000', '64445', 'Pau', 2],
	['17000', '17300', 'La Rochelle', 2],
	['20000', '2A004', 'Ajaccio', 2],
	['20200', '2B033', 'Bastia', 2],
	['97400', '97411', 'Saint-Denis', 3],
	['97200', '97209', 'Fort-de-France', 2],
	['97110', '97120', 'Pointe-à-Pitre', 2],
	['97300', '97302', 'Cayenne', 1],
	['97600', '97611', 'Mamoudzou', 1],
	['92100', '92012', 'Boulogne-Billancourt', 4],
	['93200', '93066', 'Saint-Denis', 3],
	['94000', '94028', 'Créteil', 3],
	['78000', '78646', 'Versailles', 3]
];

/** [code, label, weight, isAdeli] (TRE_G15 / R95); weights follow the RPPS/ADELI volumes roughly. */
export const PROFESSIONS: readonly [string, string, number, boolean][] = [
	['10', 'Médecin', 250, false],
	['60', 'Infirmier', 300, false],
	['70', 'Masseur-Kinésithérapeute', 100, false],
	['21', 'Pharmacien', 80, false],
	['40', 'Chirurgien-Dentiste', 45, false],
	['50', 'Sage-Femme', 25, false],
	['80', 'Pédicure-Podologue', 15, false],
	['91', 'Orthophoniste', 30, true],
	['92', 'Orthoptiste', 6, true],
	['93', 'Psychologue', 80, true],
	['71', 'Ostéopathe', 30, true],
	['94', 'Ergothérapeute', 15, true],
	['95', 'Diététicien', 12, true],
	['96', 'Psychomotricien', 12, true],
	['28', 'Opticien-Lunetier', 20, true],
	['26', 'Audioprothésiste', 5, true],
	['98', 'Manipulateur ERM', 20, true],
	['86', 'Technicien de laboratoire médical', 10, true]
];

/** Médecin specialties [code, label as in the extract, weight]. */
export const SPECIALTIES: readonly [string, string, number][] = [
	['SM54', 'Médecine générale', 45],
	['SM53', 'Spécialiste en Médecine Générale', 15],
	['SM04', 'Cardiologie et maladies vasculaires', 4],
	['SM42', 'Psychiatrie', 5],
	['SM02', 'Anesthésie-réanimation', 4],
	['SM40', 'Pédiatrie', 3],
	['SM38', 'Ophtalmologie', 3],
	['SM20', 'Gynécologie-obstétrique', 3],
	['SM44', 'Radio-diagnostic', 3],
	['SM15', 'Dermatologie et vénéréologie', 2],
	['SM24', 'Gastro-entérologie et hépatologie', 2],
	['SM39', 'Oto-rhino-laryngologie', 2],
	['SM48', 'Rhumatologie', 1],
	['SM32', 'Neurologie', 1],
	['SM41', 'Pneumologie', 1],
	['SM16', 'Endocrinologie et métabolisme', 1]
];

const SYLLABLES =
	'ba be bi bo bou ca ce ch co cou da de di do dou fa fe fi fo ga gi go gu la le li lo lou ma me mi mo mou na ne ni no pa pe pi po ra re ri ro rou sa se si so ta te ti to tou va ve vi vo'.split(
		' '
	);
const ENDINGS = [
	'',
	't',
	'n',
	'l',
	'r',
	'x',
	'z',
	'ier',
	'aud',
	'eau',
	'in',
	'on',
	'and',
	'ard',
	'et',
	'ot',
	'ier',
	'ac'
];

/** A deterministic pseudo-random generator (mulberry32). */
export function rng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Long-tail surname #i (2–4 syllables + ending), upper case like the extract. */
export function tailSurname(i: number): string {
	const r = rng(i + 7919);
	const n = 2 + Math.floor(r() * 3);
	let s = '';
	for (let k = 0; k < n; k++) s += SYLLABLES[Math.floor(r() * SYLLABLES.length)];
	return (s + ENDINGS[Math.floor(r() * ENDINGS.length)]).toUpperCase();
}

/** Long-tail commune #i: `Saint-Xxx`, `Xxx-sur-Yyy`… with a plausible postal/INSEE code. */
export function tailCity(i: number): [string, string, string] {
	const r = rng(i + 104729);
	const word = () => {
		const w =
			SYLLABLES[Math.floor(r() * SYLLABLES.length)]! +
			SYLLABLES[Math.floor(r() * SYLLABLES.length)]! +
			(r() < 0.5 ? 'ac' : 'ville');
		return w[0]!.toUpperCase() + w.slice(1);
	};
	const shape = Math.floor(r() * 3);
	const label = shape === 0 ? `Saint-${word()}` : shape === 1 ? `${word()}-sur-${word()}` : word();
	const dep = String(1 + Math.floor(r() * 95))
		.padStart(2, '0')
		.replace(/^20$/, '21');
	const commune = String(1 + Math.floor(r() * 899)).padStart(3, '0');
	return [
		`${dep}${String(Math.floor(r() * 10) * 100).padStart(3, '0')}`,
		`${dep}${commune}`,
		label
	];
}

/** Picks from weighted items with a precomputed cumulative table. */
export function weighted<T>(items: readonly T[], weight: (t: T) => number): (r: number) => T {
	const cumulative: number[] = [];
	let sum = 0;
	for (const it of items) cumulative.push((sum += weight(it)));
	return (r) => {
		const x = r * sum;
		let lo = 0;
		let hi = cumulative.length - 1;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if ((cumulative[mid] as number) < x) lo = mid + 1;
			else hi = mid;
		}
		return items[lo] as T;
	};
}
