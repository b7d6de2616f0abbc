/**
 * Demo mail of the lab: French, realistic, entirely fictional (no real patient; the XDM patient
 * carries a test INS). Each message says in whose mailbox and folder it is stored. Replies carry
 * Message-ID / In-Reply-To / References (ECO.2.2.1, ECO.2.2.2); bodies are text/plain or
 * multipart/alternative with equivalent text and HTML (ECO.2.2.4).
 */
import type { MailComposerOptions } from 'nodemailer/lib/mail-composer';
import { CABINET_DOMAIN, LAB_DOMAIN } from '../lab-settings.ts';
import { buildPdf, buildPng, buildXdmZip } from './attachments.ts';

export interface SeedMessage {
	/** Mailbox the message is appended to. */
	owner: string;
	folder: 'INBOX' | 'Sent';
	flags: string[];
	date: Date;
	mail: MailComposerOptions;
}

const JEANNE = { name: 'Dr Jeanne MARTIN', address: `jeanne.martin@${LAB_DOMAIN}` };
const PAUL = { name: 'Dr Paul DURAND', address: `paul.durand@${LAB_DOMAIN}` };
const CLAIRE = { name: 'Claire NGUYEN', address: `claire.nguyen@${LAB_DOMAIN}` };
const SECRETARIAT = {
	name: 'Secrétariat — Cabinet médical Martin',
	address: `secretariat@${CABINET_DOMAIN}`
};
const LGC = { name: 'Logiciel de cabinet', address: `lgc@${CABINET_DOMAIN}` };
const LABO = { name: 'Laboratoire de biologie (démo)', address: `resultats@${LAB_DOMAIN}` };

const id = (n: string) => `<seed-${n}@lab.mssante.test>`;
const day = (iso: string) => new Date(iso);

function html(paragraphs: string[]): string {
	return `<!doctype html><html><body>${paragraphs.map((p) => `<p>${p}</p>`).join('')}</body></html>`;
}

/** A message both in the sender's Sent folder and the recipient's INBOX. */
function exchanged(
	message: Omit<SeedMessage, 'owner' | 'folder' | 'flags'>,
	inboxFlags: string[]
): SeedMessage[] {
	const from = message.mail.from as { address: string };
	const to = message.mail.to as { address: string };
	return [
		{ ...message, owner: from.address, folder: 'Sent', flags: ['\\Seen'] },
		{ ...message, owner: to.address, folder: 'INBOX', flags: inboxFlags }
	];
}

export function demoMessages(): SeedMessage[] {
	const referralText = [
		'Cher confrère,',
		"Je vous adresse Mme A., 58 ans, pour avis cardiologique : dyspnée d'effort depuis trois mois, souffle systolique au foyer aortique.",
		'ECG joint : rythme sinusal, pas de trouble de repolarisation. Traitement actuel : ramipril 5 mg.',
		'Bien confraternellement,',
		'Dr Jeanne Martin — médecine générale'
	];
	const thread = ['thread-1', 'thread-2', 'thread-3', 'thread-4'].map(id);
	return [
		...exchanged(
			{
				date: day('2026-11-03T09:12:00+01:00'),
				mail: {
					from: JEANNE,
					to: PAUL,
					subject: 'Adressage — avis cardiologique pour Mme A.',
					messageId: id('referral'),
					text: referralText.join('\n\n'),
					html: html(referralText),
					attachments: [
						{
							filename: 'courrier-adressage.pdf',
							content: buildPdf(['Courrier d adressage (démo)', ...referralText]),
							contentType: 'application/pdf'
						}
					]
				}
			},
			['\\Seen']
		),
		...exchanged(
			{
				date: day('2026-11-10T17:40:00+01:00'),
				mail: {
					from: PAUL,
					to: JEANNE,
					subject: 'RE: Adressage — avis cardiologique pour Mme A.',
					messageId: id('referral-reply'),
					inReplyTo: id('referral'),
					references: [id('referral')],
					text: "Chère consœur,\n\nJ'ai vu Mme A. ce jour. Échocardiographie : rétrécissement aortique modéré, FEVG conservée. Je propose un contrôle dans six mois.\n\nCompte rendu au format PDF ci-joint.\n\nBien à vous,\nDr Paul Durand",
					attachments: [
						{
							filename: 'compte-rendu-echographie.pdf',
							content: buildPdf([
								'Compte rendu d echocardiographie (démo)',
								'RA modéré, FEVG 60 %'
							]),
							contentType: 'application/pdf'
						}
					]
				}
			},
			[]
		),
		...exchanged(
			{
				date: day('2026-11-15T10:31:00+01:00'),
				mail: {
					from: PAUL,
					to: JEANNE,
					subject: 'Compte rendu de consultation (document structuré)',
					messageId: id('xdm'),
					text: 'Veuillez trouver ci-joint le compte rendu de consultation au format IHE XDM.\n\nDr Paul Durand',
					attachments: [
						{ filename: 'IHE_XDM.ZIP', content: buildXdmZip(), contentType: 'application/zip' }
					]
				}
			},
			['\\Flagged']
		),
		{
			owner: JEANNE.address,
			folder: 'INBOX',
			flags: ['\\Flagged'],
			date: day('2026-11-18T07:05:00+01:00'),
			mail: {
				from: LABO,
				to: JEANNE,
				subject: "Résultats d'analyses — dossier 2026-DEMO-0042",
				messageId: id('lab-result'),
				text: [
					'Résultats validés (patient fictif, dossier 2026-DEMO-0042)',
					'',
					'Hémoglobine ........ 13,8 g/dL   (12,0 - 16,0)',
					'Créatinine ......... 78 µmol/L   (45 - 90)',
					'DFG (CKD-EPI) ...... 84 mL/min/1,73 m²',
					"HbA1c .............. 7,4 %  (*) au-dessus de l'objectif",
					'',
					'Biologiste : Dr B. Exemple'
				].join('\n')
			}
		},
		...exchanged(
			{
				date: day('2026-10-20T14:02:00+02:00'),
				mail: {
					from: JEANNE,
					to: CLAIRE,
					subject: 'Bilan orthophonique pour Léo, 6 ans',
					messageId: thread[0],
					text: 'Bonjour,\n\nPourriez-vous recevoir Léo (6 ans) pour un bilan du langage oral ? Les parents vous appelleront.\n\nCordialement,\nDr Martin',
					html: html([
						'Bonjour,',
						'Pourriez-vous recevoir <b>Léo (6 ans)</b> pour un bilan du langage oral ? Les parents vous appelleront.',
						'Cordialement,<br>Dr Martin'
					])
				}
			},
			['\\Seen']
		),
		...exchanged(
			{
				date: day('2026-10-21T08:45:00+02:00'),
				mail: {
					from: CLAIRE,
					to: JEANNE,
					subject: 'RE: Bilan orthophonique pour Léo, 6 ans',
					messageId: thread[1],
					inReplyTo: thread[0],
					references: [thread[0] ?? ''],
					text: "Bonjour Docteur,\n\nC'est noté, premier rendez-vous le 4 novembre.\n\nClaire Nguyen, orthophoniste"
				}
			},
			['\\Seen']
		),
		...exchanged(
			{
				date: day('2026-11-05T18:20:00+01:00'),
				mail: {
					from: CLAIRE,
					to: JEANNE,
					subject: 'RE: Bilan orthophonique pour Léo, 6 ans',
					messageId: thread[2],
					inReplyTo: thread[1],
					references: [thread[0] ?? '', thread[1] ?? ''],
					text: 'Bonjour,\n\nBilan réalisé : retard de parole, rééducation proposée (30 séances). Schéma de synthèse joint.\n\nClaire Nguyen',
					attachments: [
						{ filename: 'schema-bilan.png', content: buildPng(), contentType: 'image/png' }
					]
				}
			},
			['\\Seen', '\\Answered']
		),
		...exchanged(
			{
				date: day('2026-11-06T09:02:00+01:00'),
				mail: {
					from: JEANNE,
					to: CLAIRE,
					subject: 'RE: Bilan orthophonique pour Léo, 6 ans',
					messageId: thread[3],
					inReplyTo: thread[2],
					references: [thread[0] ?? '', thread[1] ?? '', thread[2] ?? ''],
					text: 'Merci pour ce retour rapide, je fais la prescription.\n\nDr Martin'
				}
			},
			[]
		),
		...exchanged(
			{
				date: day('2026-11-19T11:15:00+01:00'),
				mail: {
					from: PAUL,
					to: SECRETARIAT,
					subject: 'Demande de rendez-vous de contrôle pour Mme A.',
					messageId: id('secretariat-rdv'),
					text: 'Bonjour,\n\nMerci de proposer à Mme A. un rendez-vous avec le Dr Martin dans trois semaines.\n\nSecrétariat du Dr Durand',
					html: html([
						'Bonjour,',
						'Merci de proposer à Mme A. un rendez-vous avec le Dr Martin <em>dans trois semaines</em>.',
						'Secrétariat du Dr Durand'
					])
				}
			},
			[]
		),
		{
			owner: SECRETARIAT.address,
			folder: 'INBOX',
			flags: ['\\Seen'],
			date: day('2026-11-20T06:00:00+01:00'),
			mail: {
				from: LGC,
				to: SECRETARIAT,
				subject: 'Rappel automatique : 3 courriers en attente de signature',
				messageId: id('lgc-reminder'),
				text: 'Message automatique du logiciel de cabinet.\n\n3 courriers attendent la signature du Dr Martin.'
			}
		}
	];
}
