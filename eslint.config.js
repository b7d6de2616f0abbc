// Type-aware ESLint with the Svelte plugin, and the house-style layering rules as
// no-restricted-imports: who may import which library and which folder.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

/** @param {string} pkg @param {string} where */
const only = (pkg, where) => ({
	name: pkg,
	message: `${pkg} is imported only in ${where} (house style).`
});
/** @param {string[]} group @param {string} where */
const onlyPattern = (group, where) => ({
	group,
	message: `Only ${where} may import this (house style).`
});

const PROTOCOL_LIBRARIES = [
	only('imapflow', 'src/lib/server/mail/imap/'),
	only('nodemailer', 'src/lib/server/mail/smtp/'),
	only('mailparser', 'src/lib/server/mail/mime/'),
	only('node-forge', 'certs/'),
	only('pkijs', 'certs/'),
	only('meilisearch', 'search/')
];

const FRAMEWORK = [
	onlyPattern(
		['$app/*', '$env/*', '@sveltejs/kit', '@sveltejs/kit/*'],
		'the SvelteKit app (src/routes, hooks)'
	)
];

/**
 * @param {string[]} [exceptions] libraries this folder may import
 * @param {{ group: string[]; message: string }[]} [patterns] extra forbidden import patterns
 * @returns {import('eslint').Linter.RuleEntry}
 */
const restrict = (exceptions = [], patterns = []) => [
	'error',
	{
		paths: PROTOCOL_LIBRARIES.filter((p) => !exceptions.includes(p.name)),
		patterns
	}
];

export default ts.config(
	{
		ignores: ['build/', '.svelte-kit/', 'node_modules/', 'var/', 'test-results/', 'docs/']
	},
	js.configs.recommended,
	...ts.configs.recommendedTypeChecked,
	...svelte.configs.recommended,
	{
		languageOptions: {
			globals: { ...globals.node, ...globals.browser },
			parserOptions: {
				project: './tsconfig.eslint.json',
				extraFileExtensions: ['.svelte'],
				tsconfigRootDir: import.meta.dirname
			}
		},
		rules: {
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
			],
			'@typescript-eslint/consistent-type-imports': 'error',
			'no-empty': ['error', { allowEmptyCatch: false }],
			// The app is served at the root: hrefs need no base-path resolve().
			'svelte/no-navigation-without-resolve': 'off',
			'no-restricted-imports': restrict()
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts'],
		languageOptions: { parserOptions: { parser: ts.parser } }
	},
	{
		files: ['**/*.js'],
		...ts.configs.disableTypeChecked
	},
	// Pages and components never reach server code.
	{
		files: ['src/routes/**/*.svelte', 'src/lib/components/**', 'src/lib/*.ts', 'src/lib/i18n/**'],
		rules: {
			'no-restricted-imports': restrict(
				[],
				[onlyPattern(['#lib/server/*', '**/server/*'], 'server code')]
			)
		}
	},
	// Framework-free folders: plain Node, options objects, no SvelteKit.
	{
		files: ['search/**'],
		rules: { 'no-restricted-imports': restrict(['meilisearch'], FRAMEWORK) }
	},
	{
		files: ['certs/**'],
		rules: { 'no-restricted-imports': restrict(['node-forge', 'pkijs'], FRAMEWORK) }
	},
	{
		files: ['annuaire-import/**', 'src/lib/server/mssante/**'],
		rules: { 'no-restricted-imports': restrict([], FRAMEWORK) }
	},
	{
		files: ['src/lib/server/mail/imap/**'],
		rules: { 'no-restricted-imports': restrict(['imapflow']) }
	},
	{
		files: ['src/lib/server/mail/smtp/**'],
		rules: { 'no-restricted-imports': restrict(['nodemailer']) }
	},
	{
		files: ['src/lib/server/mail/mime/**'],
		rules: { 'no-restricted-imports': restrict(['mailparser']) }
	},
	// The lab and the tests drive real servers with whatever client they need.
	{ files: ['tests/**'], rules: { 'no-restricted-imports': 'off' } }
);
