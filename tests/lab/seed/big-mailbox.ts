/**
 * Fills one mailbox with many realistic messages for benchmarks (npm run lab -- seed-big).
 * Writes Maildir files directly (cur/, with S= size in the name so Dovecot need not stat them,
 * mtime = received date), hands them to the `dovecot` user, then lets Dovecot index the folder
 * once with doveadm. IMAP APPEND would take minutes for 100 000 messages; this takes seconds.
 * All content is synthetic (invented names, no patient data).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import type { LabInfo } from '../lab.ts';
import { LAB_DOMAIN, labPaths, mailHome } from '../lab-settings.ts';
import { run } from '../process-utils.ts';
import { buildPdf } from './attachments.ts';

export interface BigSeedResult {
	user: string;
	folder: string;
	count: number;
	bytes: number;
	writeMs: number;
	indexMs: number;
}

export interface BigSeedOptions {
	info: LabInfo;
	count: number;
	/** Default: bench@lab.mssante.test */
	user?: string;
	log?: (line: string) => void;
}

const FIRST = [
	'Jeanne',
	'Paul',
	'Claire',
	'Louis',
	'Emma',
	'Hugo',
	'Léa',
	'Nathan',
	'Chloé',
	'Karim',
	'Inès',
	'Yann',
	'Sophie',
	'Marc',
	'Aïcha',
	'Thomas'
];
const LAST = [
	'Martin',
	'Bernard',
	'Dubois',
	'Durand',
	'Lefèvre',
	'Moreau',
	'Nguyen',
	'Girard',
	'Bonnet',
	'Lambert',
	'Fontaine',
	'Rousseau',
	'Benali',
	'Garnier',
	'Chevalier',
	'Perrin'
];
const DOMAINS = [
	'ch-demo.mssante.test',
	'clinique-exemple.mssante.test',
	'labo-demo.mssante.test',
	LAB_DOMAIN,
	'pharmacie-test.mssante.test'
];
const SUBJECTS = [
	'Compte rendu de consultation',
	'Résultats de biologie',
	'Adressage pour avis spécialisé',
	'Compte rendu opératoire',
	'Lettre de liaison de sortie',
	'Demande de rendez-vous',
	'Ordonnance de kinésithérapie',
	'Bilan orthophonique',
	'Compte rendu d’imagerie',
	'RE: Suivi post-opératoire',
	'Réunion de concertation pluridisciplinaire',
	'TR: Protocole de soins'
];
const PARAGRAPHS = [
	'Je vous remercie de m’avoir adressé votre patient, que j’ai vu ce jour en consultation.',
	'L’examen clinique est sans particularité ; la tension artérielle est à 128/76 mmHg.',
	'Je propose une réévaluation dans trois mois, avec un bilan biologique préalable.',
	'Vous trouverez ci-joint le compte rendu détaillé ainsi que les résultats des examens.',
	'N’hésitez pas à me recontacter pour toute question complémentaire.',
	'Le traitement habituel est poursuivi sans modification.'
];

/** Deterministic pseudo-random numbers, so two runs produce comparable mailboxes. */
function rng(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state * 1_664_525 + 1_013_904_223) >>> 0;
		return state / 2 ** 32;
	};
}

function pick<T>(list: T[], random: () => number): T {
	return list[Math.floor(random() * list.length)] as T;
}

function ascii(s: string): string {
	return s
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase();
}

function encodeHeader(value: string): string {
	return /^[\x20-\x7e]*$/.test(value)
		? value
		: `=?UTF-8?B?${Buffer.from(value).toString('base64')}?=`;
}

function base64Lines(data: Buffer): string {
	return data.toString('base64').replace(/(.{76})/g, '$1\r\n');
}

interface Attachments {
	pdf: string;
	large: string;
}

function buildMessage(
	n: number,
	to: string,
	date: Date,
	random: () => number,
	att: Attachments
): string {
	const first = pick(FIRST, random);
	const last = pick(LAST, random);
	const from = `${ascii(first)}.${ascii(last)}@${pick(DOMAINS, random)}`;
	const subject = `${pick(SUBJECTS, random)} — dossier ${1000 + (n % 9000)}`;
	const paragraphs = Array.from({ length: 2 + Math.floor(random() * 4) }, () =>
		pick(PARAGRAPHS, random)
	);
	const text = [
		`Bonjour,`,
		...paragraphs,
		`Bien cordialement,`,
		`Dr ${first} ${last.toUpperCase()}`
	].join('\r\n\r\n');
	const headers = [
		`From: ${encodeHeader(`Dr ${first} ${last.toUpperCase()}`)} <${from}>`,
		`To: <${to}>`,
		`Subject: ${encodeHeader(subject)}`,
		`Date: ${date.toUTCString().replace('GMT', '+0000')}`,
		`Message-ID: <bench-${n}-${date.getTime()}@lab.mssante.test>`,
		'MIME-Version: 1.0'
	];
	const roll = random();
	const attachment =
		roll < 0.01
			? ['imagerie.pdf', att.large]
			: roll < 0.12
				? ['compte-rendu.pdf', att.pdf]
				: undefined;
	if (!attachment) {
		return [
			...headers,
			'Content-Type: text/plain; charset=utf-8',
			'Content-Transfer-Encoding: 8bit',
			'',
			text,
			''
		].join('\r\n');
	}
	const boundary = `=_bench_${n}`;
	return [
		...headers,
		`Content-Type: multipart/mixed; boundary="${boundary}"`,
		'',
		`--${boundary}`,
		'Content-Type: text/plain; charset=utf-8',
		'Content-Transfer-Encoding: 8bit',
		'',
		text,
		`--${boundary}`,
		`Content-Type: application/pdf; name="${attachment[0]}"`,
		`Content-Disposition: attachment; filename="${attachment[0]}"`,
		'Content-Transfer-Encoding: base64',
		'',
		attachment[1],
		`--${boundary}--`,
		''
	].join('\r\n');
}

export async function seedBigMailbox(options: BigSeedOptions): Promise<BigSeedResult> {
	const user = (options.user ?? `bench@${LAB_DOMAIN}`).toLowerCase();
	const log = options.log ?? (() => {});
	if (!options.info.accounts.some((a) => a.address.toLowerCase() === user)) {
		throw new Error(`--user ${user}: pas un compte du lab / not a lab account (see lab.json)`);
	}
	const paths = labPaths();
	const maildir = join(mailHome(paths, user), 'Maildir');
	for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });

	const att: Attachments = {
		pdf: base64Lines(buildPdf(['Compte rendu (banc d essai)', 'Contenu fictif.'])),
		// ~100 KB once encoded: random bytes do not compress, like a scanned image.
		large: base64Lines(randomBytes(75_000))
	};
	const random = rng(20_261_122);
	const now = Date.now();
	const threeYears = 3 * 365 * 24 * 3600 * 1000;
	const host = hostname().replace(/[/:]/g, '_');
	const stamp = Math.floor(now / 1000);
	let bytes = 0;
	log(`Écriture de ${options.count} messages dans ${maildir}…`);
	const started = performance.now();
	for (let n = 0; n < options.count; n++) {
		const date = new Date(now - Math.floor(random() * threeYears));
		const raw = Buffer.from(buildMessage(n, user, date, random, att), 'utf8');
		const flags = random() < 0.85 ? 'S' : random() < 0.5 ? 'FS' : '';
		// Maildir++ name: unique part, S=<size> so Dovecot skips stat(), :2,<flags>.
		const file = join(
			maildir,
			'cur',
			`${stamp}.M${n}P${process.pid}.${host},S=${raw.length}:2,${flags}`
		);
		writeFileSync(file, raw);
		utimesSync(file, date, date);
		bytes += raw.length;
	}
	const writeMs = Math.round(performance.now() - started);
	const home = mailHome(paths, user);
	// The domain folder too: Dovecot creates the other users' homes in it later.
	await run('chown', ['dovecot:dovecot', dirname(home)]);
	await run('chown', ['-R', 'dovecot:dovecot', home]);
	log('Indexation Dovecot (doveadm force-resync)…');
	const indexStart = performance.now();
	await run('doveadm', ['-c', paths.dovecotConf, 'force-resync', '-u', user, 'INBOX']);
	await run('doveadm', [
		'-c',
		paths.dovecotConf,
		'mailbox',
		'status',
		'-u',
		user,
		'messages',
		'INBOX'
	]);
	const indexMs = Math.round(performance.now() - indexStart);
	return { user, folder: 'INBOX', count: options.count, bytes, writeMs, indexMs };
}
