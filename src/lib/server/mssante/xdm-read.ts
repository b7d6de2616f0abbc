/**
 * Reading a received IHE_XDM archive (ECO.2.1.2, ECO.3.1.1–3.1.3): every submission set's
 * METADATA.XML, each document with its hash (SHA-1) and size checked, the patient from the CDA and
 * from the metadata, cross-checked. Real-world deviations are tolerated (xdm-cda-ins.md §1.2): an
 * extra top folder, any letter case, backslash paths, no IHE_XDM level, ebRIM 2.1 association
 * types, missing URI or size. Problems become French warnings; only an unsafe or unreadable
 * archive throws (XdmError XDM_UNSAFE / XDM_INVALID).
 */
import { XdmError, ERROR_CODES } from '../errors.ts';
import {
	readZip,
	normaliseEntryName,
	DEFAULT_ZIP_LIMITS,
	type ZipEntry,
	type ZipLimits
} from './zip-safe.ts';
import {
	readMetadata,
	type MetadataDocumentEntry,
	type MetadataPatientInfo
} from './metadata-read.ts';
import { readCda, type CdaInfo, type DocumentPatient } from './cda-read.ts';
import { isInsKeyValid, isInsOid, insOidLabel } from './ins.ts';
import { isPdf } from './pdf.ts';
import { renderStructuredBody } from './narrative.ts';
import { sha1Hex } from './ids.ts';

export interface XdmPatient {
	ins?: string;
	oid?: string;
	oidLabel?: string;
	birthName?: string;
	firstName?: string;
	sex?: string;
	birthDate?: string;
	birthPlace?: string;
}

export interface XdmDocument {
	uniqueId?: string;
	typeCode?: string;
	typeLabel?: string;
	title?: string;
	mimeType?: string;
	/** Path of the document inside the archive, when found. */
	path?: string;
	hashOk: boolean;
	sizeOk: boolean;
	patient: XdmPatient;
	/** Header of the CDA, for the reading view (undefined when the file is not a CDA). */
	cda?: CdaInfo;
	/** The document as it would be shown: the decoded N1 body (PDF…) or the raw file. */
	content?: { mediaType: string; bytes: Uint8Array; isPdf: boolean };
	/** Inert HTML of a structured (N3) body, for the reading view. */
	narrativeHtml?: string;
	/** The raw document file (the CDA), for "télécharger le CDA". */
	file?: Uint8Array;
	warnings: string[];
}

export interface XdmSubmissionSet {
	path: string;
	patientId?: string;
	patient?: XdmPatient;
	title?: string;
	documents: XdmDocument[];
}

export interface XdmReadResult {
	submissionSets: XdmSubmissionSet[];
	warnings: string[];
}

export interface XdmReadOptions {
	limits?: ZipLimits;
}

const dirOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');

function findDocumentEntry(
	entries: Map<string, ZipEntry>,
	dir: string,
	meta: MetadataDocumentEntry,
	single: boolean
): ZipEntry | undefined {
	const prefix = dir ? `${dir}/` : '';
	if (meta.uri) {
		const uri = normaliseEntryName(meta.uri);
		return uri === undefined ? undefined : entries.get(`${prefix}${uri}`.toUpperCase());
	}
	// No URI slot (legacy archives): the entry's id as a file name, else the folder's only document.
	const byId = entries.get(`${prefix}${meta.entryUuid}.XML`.toUpperCase());
	if (byId) return byId;
	if (!single) return undefined;
	const candidates = [...entries.entries()].filter(
		([key]) =>
			dirOf(key) === dir.toUpperCase() &&
			key.endsWith('.XML') &&
			!key.endsWith('/METADATA.XML') &&
			key !== 'METADATA.XML'
	);
	return candidates.length === 1 ? candidates[0]![1] : undefined;
}

const norm = (s: string | undefined) =>
	(s ?? '')
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toUpperCase()
		.replace(/\s+/g, ' ')
		.trim();

function crossCheck(
	cda: DocumentPatient,
	meta: MetadataPatientInfo,
	metaIns: string | undefined,
	warnings: string[]
) {
	if (cda.ins && metaIns && cda.ins !== metaIns) {
		warnings.push("L'INS du document diffère de celle des métadonnées de l'archive.");
	}
	const pairs: [string | undefined, string | undefined, string][] = [
		[cda.birthName, meta.birthName, 'nom de naissance'],
		[cda.firstName, meta.firstName, 'premier prénom'],
		[cda.birthDate, meta.birthDate, 'date de naissance'],
		[cda.sex === 'UN' ? 'U' : cda.sex, meta.sex, 'sexe'],
		[cda.birthPlace, meta.birthPlace, 'lieu de naissance']
	];
	const differing = pairs
		.filter(([a, b]) => a && b && norm(a) !== norm(b))
		.map(([, , label]) => label);
	if (differing.length > 0) {
		warnings.push(
			`Traits du patient différents entre le document et les métadonnées : ${differing.join(', ')}.`
		);
	}
}

function readDocument(
	entries: Map<string, ZipEntry>,
	dir: string,
	meta: MetadataDocumentEntry,
	single: boolean,
	ssIns?: string
): XdmDocument {
	const warnings: string[] = [];
	const doc: XdmDocument = {
		uniqueId: meta.uniqueId,
		typeCode: meta.typeCode,
		typeLabel: meta.typeLabel,
		title: meta.title,
		mimeType: meta.mimeType,
		hashOk: false,
		sizeOk: false,
		patient: {},
		warnings
	};
	const metaIns = meta.patientId && isInsOid(meta.patientId.oid) ? meta.patientId : undefined;
	const file = findDocumentEntry(entries, dir, meta, single);
	if (!file) {
		warnings.push('Document introuvable dans l’archive.');
	} else {
		doc.path = file.path;
		doc.file = file.data;
		if (meta.hash === undefined) warnings.push('Empreinte (hash) absente des métadonnées.');
		else if (sha1Hex(file.data) === meta.hash) doc.hashOk = true;
		else warnings.push("L'empreinte (hash) du document ne correspond pas : il a pu être altéré.");
		if (meta.size === undefined) doc.sizeOk = true;
		else if (meta.size === file.data.byteLength) doc.sizeOk = true;
		else warnings.push('La taille du document ne correspond pas aux métadonnées.');
	}
	if (file && (meta.mimeType === 'text/xml' || /\.xml$/i.test(file.path))) {
		try {
			const cda = readCda(file.data, file.path);
			doc.cda = cda;
			warnings.push(...cda.warnings);
			doc.typeCode ??= cda.typeCode;
			doc.typeLabel ??= cda.typeLabel;
			doc.title ??= cda.title;
			doc.uniqueId ??= cda.id;
			const { ins, oid, birthName, firstName, sex, birthDate, birthPlace } = cda.patient;
			doc.patient = {
				...{ ins, oid, oidLabel: insOidLabel(oid ?? ''), birthName, firstName },
				// HL7 v3 writes UN where the INS traits (and v2 PID-8) say U.
				...{ sex: sex === 'UN' ? 'U' : sex, birthDate, birthPlace }
			};
			crossCheck(cda.patient, meta.sourcePatient, metaIns?.id ?? ssIns, warnings);
			if (cda.body.isStructured) doc.narrativeHtml = renderStructuredBody(file.data, file.path);
			if (cda.body.bytes)
				doc.content = {
					mediaType: cda.body.mediaType,
					bytes: cda.body.bytes,
					isPdf: cda.body.isPdf
				};
		} catch (e) {
			if (!(e instanceof XdmError)) throw e;
			warnings.push(e.message);
		}
	} else if (file) {
		const pdf = isPdf(file.data);
		if (meta.mimeType === 'application/pdf' && !pdf) {
			warnings.push(
				"Le document se présente comme un PDF mais n'en est pas un : il ne sera pas affiché."
			);
		} else {
			doc.content = {
				mediaType: meta.mimeType ?? 'application/octet-stream',
				bytes: file.data,
				isPdf: pdf
			};
		}
	}
	if (!doc.patient.birthName) {
		// Not a CDA (or no recordTarget): the metadata traits are all we have.
		const p = meta.sourcePatient;
		doc.patient = {
			...(metaIns ? { ins: metaIns.id, oid: metaIns.oid, oidLabel: insOidLabel(metaIns.oid) } : {}),
			birthName: p.birthName,
			firstName: p.firstName,
			sex: p.sex,
			birthDate: p.birthDate,
			birthPlace: p.birthPlace
		};
	}
	return doc;
}

export function readXdmPackage(zip: Uint8Array, options: XdmReadOptions = {}): XdmReadResult {
	const { entries, warnings } = readZip(zip, options.limits ?? DEFAULT_ZIP_LIMITS);
	const metadataKeys = [...entries.keys()]
		.filter((k) => k === 'METADATA.XML' || k.endsWith('/METADATA.XML'))
		.sort();
	if (metadataKeys.length === 0) {
		throw new XdmError(
			ERROR_CODES.XDM_INVALID,
			"Archive IHE_XDM sans METADATA.XML : ce n'est pas une archive XDM."
		);
	}
	const result: XdmReadResult = { submissionSets: [], warnings };
	const patients = new Set<string>();
	for (const key of metadataKeys) {
		const entry = entries.get(key)!;
		const dir = dirOf(entry.path);
		let meta;
		try {
			meta = readMetadata(entry.data, entry.path);
		} catch (e) {
			if (!(e instanceof XdmError)) throw e;
			warnings.push(e.message);
			continue;
		}
		for (const a of meta.associations) {
			if (
				a.type !== 'HasMember' &&
				a.type !== 'RPLC' &&
				!a.type.endsWith(':XFRM') &&
				!a.type.endsWith(':APND')
			) {
				warnings.push(`Type d'association inconnu dans ${entry.path}.`);
			}
		}
		const ss = meta.submissionSets[0];
		const pid = ss?.patientId ?? meta.documents[0]?.patientId;
		const ssIns = pid && isInsOid(pid.oid) ? pid.id : undefined;
		if (pid && isInsOid(pid.oid) && !isInsKeyValid(pid.id)) {
			warnings.push(
				"La clé du matricule INS des métadonnées est fausse : vérifiez l'identité du patient."
			);
		}
		const single = meta.documents.length === 1;
		const set: XdmSubmissionSet = {
			path: dir,
			patientId: pid?.raw,
			patient: pid ? { ins: pid.id, oid: pid.oid, oidLabel: insOidLabel(pid.oid) } : undefined,
			title: ss?.title,
			documents: meta.documents.map((d) => readDocument(entries, dir, d, single, ssIns))
		};
		if (pid) patients.add(`${pid.id}|${pid.oid}`);
		for (const d of set.documents) {
			if (d.patient.ins && ssIns && d.patient.ins !== ssIns) {
				d.warnings.push("L'INS du document diffère de l'identifiant patient de la soumission.");
			}
		}
		result.submissionSets.push(set);
	}
	if (patients.size > 1)
		warnings.push('Cette archive concerne plusieurs patients (un seul attendu par message).');
	return result;
}
