/** What the patient pages and the composer's health fields receive (no server types). */
export interface PatientFormValues {
	statut: string;
	nom_naissance: string;
	prenoms: string;
	nom_utilise: string;
	prenom_utilise: string;
	sexe: string;
	date_naissance: string;
	lieu_naissance: string;
	ins: string;
	ins_oid: string;
}

export interface PatientRow {
	id: string;
	/** "PAT-TROIS Dominique Marie-Louise" */
	name: string;
	usedName: string | null;
	birthDate: string;
	sex: string;
	status: string;
	statusLabel: string;
	isQualified: boolean;
	/** Matricule INS, only for a qualified identity. */
	ins: string | null;
	insLabel: string | null;
}

export interface AuthorFormValues {
	rpps: string;
	nom: string;
	prenom: string;
	profession: string;
	organisation: string;
	finess: string;
	siret: string;
}

export interface HealthFormValues {
	patientId: string;
	withDocument: boolean;
	type: string;
	title: string;
	actDate: string;
	confidentiality: string;
	replaces: string;
	writeToPatient: boolean;
	patientCannotReply: boolean;
}

export interface HealthComposerData {
	patients: PatientRow[];
	documentTypes: { code: string; label: string }[];
	hasAuthor: boolean;
	/** Title of the document being replaced, when "Remplacer ce document" opened the composer. */
	replacing: { title: string; version: number } | null;
}
