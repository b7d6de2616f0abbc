/** The `read --json` shape of the command contract (issue 6): no document bytes, nulls explicit. */
import type { XdmReadResult } from './xdm-read.ts';

export function toJsonSummary(r: XdmReadResult) {
	return {
		submissionSets: r.submissionSets.map((s) => ({
			patientId: s.patientId ?? null,
			documents: s.documents.map((d) => ({
				uniqueId: d.uniqueId ?? null,
				typeCode: d.typeCode ?? null,
				title: d.title ?? null,
				mimeType: d.mimeType ?? null,
				hashOk: d.hashOk,
				patient: {
					ins: d.patient.ins ?? null,
					oid: d.patient.oid ?? null,
					birthName: d.patient.birthName ?? null,
					firstName: d.patient.firstName ?? null,
					sex: d.patient.sex ?? null,
					birthDate: d.patient.birthDate ?? null,
					birthPlace: d.patient.birthPlace ?? null
				},
				warnings: d.warnings
			}))
		})),
		// Document warnings are repeated at the top so a caller that reads only these misses nothing.
		warnings: [
			...new Set([
				...r.warnings,
				...r.submissionSets.flatMap((s) => s.documents.flatMap((d) => d.warnings))
			])
		]
	};
}
