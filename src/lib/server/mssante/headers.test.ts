import { describe, expect, it } from 'vitest';
import {
	displaySubject,
	mssHeaders,
	pdfFileName,
	xdmSubject,
	PATIENT_MESSAGE_MAX_BYTES
} from './headers.ts';
import { MDN_ERROR_CODES, mdnErrorValue, rejectionSubject } from './mdn-codes.ts';
import { findXdmAttachments, isFromPatient } from './attachments.ts';

const corse = { birthName: 'CORSE', firstName: 'FIGATELLIX', birthDate: '1988-10-12' };

describe('message rules', () => {
	it('writes the ECO.2.1.3 subject as in the ANS example and hides its prefix in lists', () => {
		const subject = xdmSubject('ECHOGRAPHIE ABDOMINOPELVIENNE', corse);
		expect(subject).toBe('XDM/1.0/DDM+ECHOGRAPHIE ABDOMINOPELVIENNE CORSE FIGATELLIX 12/10/1988');
		expect(displaySubject(subject)).toBe(
			'ECHOGRAPHIE ABDOMINOPELVIENNE CORSE FIGATELLIX 12/10/1988'
		);
		expect(displaySubject('Bonjour')).toBe('Bonjour');
		expect(xdmSubject('a\r\nBcc: x', corse)).not.toMatch(/[\r\n]/);
	});

	it('names the PDF as in the ANS example (ECO.2.1.6)', () => {
		expect(
			pdfFileName({ actDate: '20220531', typeLabel: "CR d'imagerie médicale", patient: corse })
		).toBe('20220531_CR_d_imagerie_medicale_CORSE_FIGATELLIX.pdf');
		const long = pdfFileName({ actDate: '20220531', typeLabel: 'x'.repeat(80), patient: corse });
		expect(long.split('_')[1]).toHaveLength(40);
		expect(
			pdfFileName({
				actDate: '20220531',
				typeLabel: '../../etc',
				patient: { birthName: 'A/B', firstName: 'C' }
			})
		).toBe('20220531_etc_A_B_C.pdf');
	});

	it('sets X-MSS-CODECDA, X-MSS-INS, X-MSS-NIL and X-MSS-MES', () => {
		expect(
			mssHeaders({ cdaCodes: ['11488-4', '34112-3', '11488-4'], hasQualifiedIns: true })
		).toEqual({
			'X-MSS-CODECDA': '11488-4,34112-3',
			'X-MSS-INS': 'O'
		});
		expect(mssHeaders({ cdaCodes: ['11488-4'], hasQualifiedIns: false })['X-MSS-INS']).toBe('N');
		expect(mssHeaders({ productReference: 'REF-1', patientCannotReply: true })).toEqual({
			'X-MSS-NIL': 'REF-1',
			'X-MSS-MES': 'FIN'
		});
		expect(PATIENT_MESSAGE_MAX_BYTES).toBe(25 * 1024 * 1024);
	});

	it('has the MDN integration error codes 900–906', () => {
		expect(Object.keys(MDN_ERROR_CODES)).toEqual(['900', '901', '902', '903', '904', '905', '906']);
		expect(mdnErrorValue('902')).toBe('902^Patient inconnu');
		expect(rejectionSubject('903', 'XDM/1.0/DDM+X')).toBe(
			'[KO Intégration système !][903] XDM/1.0/DDM+X'
		);
	});

	it('finds XDM attachments in any case and marks patient senders', () => {
		const a = (filename: string) => ({
			filename,
			contentType: 'application/zip',
			content: new Uint8Array()
		});
		const found = findXdmAttachments({
			attachments: [a('IHE_XDM.zip'), a('ihe_xdm.ZIP'), a('autre.zip'), a('x.pdf')]
		});
		expect(found.map((f) => f.filename)).toEqual(['IHE_XDM.zip', 'ihe_xdm.ZIP']);
		expect(isFromPatient({ from: { address: '146026322000196@patient.mssante.fr' } })).toBe(true);
		expect(isFromPatient({ from: null })).toBe(false);
	});
});
