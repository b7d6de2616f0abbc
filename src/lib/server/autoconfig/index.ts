/**
 * The administrators' autoconfiguration (ECO.1.1.9): fetch the operator's settings for a mailbox
 * address, or take manual ones, and run the connection test with the probe's rules. One audit
 * entry per test, with the probe's refusal code (weak TLS, untrusted certificate…). Results are
 * shown for the administrator to apply to the server configuration (MSS_IMAP_* / MSS_SMTP_*).
 */
import {
	fetchAutoconfig,
	resolveOverrideFromEnv,
	testSettings,
	type AutoconfigSettings
} from '../../../../certs/autoconfig.ts';
import { formatProbeReport } from '../../../../certs/probe-report.ts';
import { audit } from '../audit/index.ts';
import { getConfig } from '../config.ts';
import { isAppError } from '../errors.ts';

export type { AutoconfigSettings };

export interface ConnectionTest {
	settings: AutoconfigSettings;
	isOk: boolean;
	imap: { isOk: boolean; report: string };
	smtp: { isOk: boolean; report: string };
	/** The lines of the server configuration these settings give. */
	envLines: string[];
}

function envLines(s: AutoconfigSettings): string[] {
	return [
		`MSS_IMAP_HOST=${s.imap.host}`,
		`MSS_IMAP_PORT=${s.imap.port}`,
		`MSS_IMAP_SECURITY=${s.imap.security}`,
		`MSS_SMTP_HOST=${s.smtp.host}`,
		`MSS_SMTP_PORT=${s.smtp.port}`,
		`MSS_SMTP_SECURITY=${s.smtp.security}`
	];
}

/** ECO.1.1.9 steps 1 and 2: the settings published for the address's domain. */
export async function discover(actor: string, address: string): Promise<AutoconfigSettings> {
	const config = getConfig();
	try {
		const settings = await fetchAutoconfig({
			address,
			anchors: config.trustAnchors,
			// Tests only: sends autoconfig.<domain> to a local HTTPS server (TLS name kept).
			resolve: resolveOverrideFromEnv(process.env.AUTOCONFIG_TEST_RESOLVE)
		});
		audit({
			actor,
			action: 'settings',
			request: `autoconfig ${address.split('@')[1] ?? ''}`,
			outcome: 'ok',
			answer: `imap ${settings.imap.host}:${settings.imap.port}, smtp ${settings.smtp.host}:${settings.smtp.port}`
		});
		return settings;
	} catch (error) {
		audit({
			actor,
			action: 'settings',
			request: `autoconfig ${address.split('@')[1] ?? ''}`,
			outcome: 'failure',
			answer: isAppError(error) ? error.code : 'INTERNAL'
		});
		throw error;
	}
}

/** ECO.1.1.9 step 3: the connection test, with the same rules as every IMAP/SMTP connection. */
export async function connectionTest(
	actor: string,
	settings: AutoconfigSettings
): Promise<ConnectionTest> {
	const config = getConfig();
	const result = await testSettings(settings, {
		anchors: config.trustAnchors,
		dataDir: config.dataDir
	});
	audit({
		actor,
		action: 'trust',
		request: `test de connexion imap ${settings.imap.host}:${settings.imap.port}, smtp ${settings.smtp.host}:${settings.smtp.port}`,
		outcome: result.isOk ? 'ok' : 'failure',
		answer: result.isOk
			? 'CONFORME'
			: [result.imap.failure?.code, result.smtp.failure?.code].filter(Boolean).join(' ')
	});
	return {
		settings,
		isOk: result.isOk,
		imap: { isOk: result.imap.isOk, report: formatProbeReport(result.imap) },
		smtp: { isOk: result.smtp.isOk, report: formatProbeReport(result.smtp) },
		envLines: envLines(settings)
	};
}
