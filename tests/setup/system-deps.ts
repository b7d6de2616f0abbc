/**
 * The Debian packages the tests need besides the lab's own (which `npm run lab` installs itself):
 * Chromium for the end-to-end tests, xmllint and Saxon-HE for the CDA / XDM conformance tests.
 * Installed with apt-get when running as root, otherwise the exact command is printed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { userInfo } from 'node:os';

export const TEST_PACKAGES = [
	'chromium',
	'libxml2-utils',
	'libsaxonhe-java',
	'default-jre-headless'
] as const;

export function isInstalled(pkg: string): boolean {
	const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
	return result.status === 0 && result.stdout.includes('install ok installed');
}

/** Installs what is missing; returns the packages that were installed. */
export function ensureDebianPackages(
	packages: readonly string[],
	log: (line: string) => void = console.log
): string[] {
	const missing = packages.filter((pkg) => !isInstalled(pkg));
	if (missing.length === 0) return [];
	const command = `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing.join(' ')}`;
	if (userInfo().uid !== 0) {
		throw new Error(
			`Missing Debian packages: ${missing.join(', ')}. Install them as root:\n  ${command}`
		);
	}
	log(`Installing Debian packages: ${missing.join(', ')}`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
	execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
		stdio: 'inherit',
		env
	});
	return missing;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	ensureDebianPackages(TEST_PACKAGES);
}
