/**
 * The probe's report in French, for the CLI and the administrators' connection test.
 * Framework-free.
 */
import { formatDateFr } from './chain.ts';
import type { RevocationStatus } from './crl-cache.ts';
import type { ProbeReport } from './probe.ts';

/** Server text is shown, but never raw control characters (terminal escapes). */
function clean(text: string): string {
	return Array.from(text, (c) => (c < ' ' || c === '\u007f' ? '?' : c)).join('');
}

const SOURCE_FR: Record<string, string> = {
	ocsp: 'réponse OCSP',
	download: 'téléchargée',
	cache: 'en cache',
	'cache-fallback': 'dernière LCR valide en cache (téléchargement en échec)'
};

function revocationLine(r: RevocationStatus): string {
	if (r.status === 'unchecked') return `${r.certificate} : non vérifié (${r.note ?? 'pas de LCR'})`;
	const state = r.status === 'good' ? 'non révoqué' : 'RÉVOQUÉ';
	const next = r.nextUpdate ? `, valable jusqu'au ${formatDateFr(r.nextUpdate)}` : '';
	const where = r.source === 'ocsp' ? `OCSP ${r.ocspUrl ?? '?'}` : `LCR ${r.crlUrl ?? '?'}`;
	return `${r.certificate} : ${state} (${where}, ${SOURCE_FR[r.source ?? ''] ?? r.source}${next})`;
}

export function formatProbeReport(report: ProbeReport): string {
	const { target, peer } = report;
	const lines: string[] = [];
	const row = (label: string, value: string): void => {
		lines.push(`${label.padEnd(18)}: ${value}`);
	};
	lines.push(
		`Sonde MSSanté — ${target.scheme}://${target.host}:${target.port}` +
			(target.isStartTls ? ' (STARTTLS)' : ' (TLS implicite)')
	);
	if (report.greeting) row('Accueil', clean(report.greeting));
	if (peer) {
		row('Protocole TLS', peer.protocol ?? 'inconnu');
		row('Chiffrement', peer.cipher || 'inconnu');
		const kx = peer.keyExchange;
		row(
			'Échange de clés',
			kx ? `${kx.type}${kx.name ? ' ' + kx.name : ''} (${kx.bits} bits)` : 'inconnu'
		);
		const cert = peer.certificate;
		if (cert) {
			row('Certificat', clean(cert.subject));
			row('  Émetteur', clean(cert.issuer));
			row(
				'  Validité',
				`du ${formatDateFr(cert.notBefore)} au ${formatDateFr(cert.notAfter)} (${cert.daysLeft} jours restants)`
			);
			row('  SHA-256', cert.fingerprintSha256);
			row('  Chaîne', peer.path.map((c) => clean(c.commonName ?? c.subject)).join(' → '));
		}
		for (const [i, r] of peer.revocation.entries())
			row(i === 0 ? 'Révocation' : '', revocationLine(r));
		for (const note of peer.notes) row('Remarque', clean(note));
	}
	if (report.capabilities.length > 0) row('Capacités', clean(report.capabilities.join(' ')));
	if (report.isOk) {
		row(
			'Résultat',
			'CONFORME — le serveur respecte toutes les règles TLS et de confiance MSSanté.'
		);
	} else {
		row(
			'Résultat',
			`NON CONFORME [${report.failure?.code ?? 'INTERNAL'}] — ${clean(report.failure?.message ?? '')}`
		);
	}
	return lines.join('\n') + '\n';
}
