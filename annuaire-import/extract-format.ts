/**
 * Writing extracts in the ANS layout (headers of research note §2.2–2.4, `|` separator, trailing
 * `|` on Personne_activite lines). Used by the test fixtures and the benchmark generator, never
 * by the import itself (which maps columns by name).
 */

export const MSSANTE_HEADERS = [
	'Type de BAL',
	'Adresse BAL',
	'Type Identifiant PP',
	'Identifiant PP',
	'Identification nationale PP',
	'Type identifiant structure',
	'Identification Structure',
	'Service de rattachement',
	"Civilité d'exercice",
	"Nom d'exercice",
	"Prénom d'exercice",
	'Catégorie profession',
	'Libellé de catégorie profession',
	'Code Profession',
	'Libellé Profession',
	'Code savoir-faire',
	'Libellé savoir-faire',
	'Dématérialisation',
	'Raison Sociale structure BAL',
	'Enseigne commerciale structure BAL',
	'L2COMPLEMENTLOCALISATION structure BAL',
	'L3COMPLEMENTDISTRIBUTION structure BAL',
	'L4NUMEROVOIE structure BAL',
	'L4COMPLEMENTNUMEROVOIE structure BAL',
	'NL4TYPEVOIE structure BAL',
	'L4LIBELLEVOIE structure BAL',
	'L5LIEUDITMENTION structure BAL',
	'L6LIGNEACHEMINEMENT structure BAL',
	'Code postal structure BAL',
	'Département structure BAL',
	'Pays structure BAL'
] as const;

export const ACTIVITE_HEADERS = [
	"Type d'identifiant PP",
	'Identifiant PP',
	'Identification nationale PP',
	"Code civilité d'exercice",
	"Libellé civilité d'exercice",
	'Code civilité',
	'Libellé civilité',
	"Nom d'exercice",
	"Prénom d'exercice",
	'Code profession',
	'Libellé profession',
	'Code catégorie professionnelle',
	'Libellé catégorie professionnelle',
	'Code type savoir-faire',
	'Libellé type savoir-faire',
	'Code savoir-faire',
	'Libellé savoir-faire',
	'Code mode exercice',
	'Libellé mode exercice',
	'Numéro SIRET site',
	'Numéro SIREN site',
	'Numéro FINESS site',
	'Numéro FINESS établissement juridique',
	'Identifiant technique de la structure',
	'Raison sociale site',
	'Enseigne commerciale site',
	'Complément destinataire (coord. structure)',
	'Complément point géographique (coord. structure)',
	'Numéro Voie (coord. structure)',
	'Indice répétition voie (coord. structure)',
	'Code type de voie (coord. structure)',
	'Libellé type de voie (coord. structure)',
	'Libellé Voie (coord. structure)',
	'Mention distribution (coord. structure)',
	'Bureau cedex (coord. structure)',
	'Code postal (coord. structure)',
	'Code commune (coord. structure)',
	'Libellé commune (coord. structure)',
	'Code pays (coord. structure)',
	'Libellé pays (coord. structure)',
	'Téléphone (coord. structure)',
	'Téléphone 2 (coord. structure)',
	'Télécopie (coord. structure)',
	'Adresse e-mail (coord. structure)',
	'Code Département (structure)',
	'Libellé Département (structure)',
	'Ancien identifiant de la structure',
	"Autorité d'enregistrement",
	"Code secteur d'activité",
	"Libellé secteur d'activité",
	'Code section tableau pharmaciens',
	'Libellé section tableau pharmaciens'
] as const;

export const SAVOIR_FAIRE_HEADERS = [
	"Type d'identifiant PP",
	'Identifiant PP',
	'Identification nationale PP',
	"Nom d'exercice",
	"Prénom d'exercice",
	'Code profession',
	'Libellé profession',
	'Code catégorie professionnelle',
	'Libellé catégorie professionnelle',
	'Code type savoir-faire',
	'Libellé type savoir-faire',
	'Code savoir-faire',
	'Libellé savoir-faire'
] as const;

export type Row<H extends readonly string[]> = Partial<Record<H[number], string>>;

/** One line in the given column order; absent columns are empty. */
export function formatLine<H extends readonly string[]>(
	headers: H,
	row: Row<H>,
	trailingPipe: boolean
): string {
	const values = headers.map((h) => (row as Record<string, string | undefined>)[h] ?? '');
	return values.join('|') + (trailingPipe ? '|' : '');
}

export function formatHeader(headers: readonly string[], trailingPipe: boolean): string {
	return headers.join('|') + (trailingPipe ? '|' : '');
}
