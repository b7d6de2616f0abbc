import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		adapter: adapter({ out: 'build' }),
		typescript: {
			config(tsconfig) {
				tsconfig.compilerOptions.allowImportingTsExtensions = true;
				return tsconfig;
			}
		},
		csrf: { trustedOrigins: [] },
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'frame-src': ['self', 'blob:'],
				'frame-ancestors': ['none'],
				'form-action': ['self'],
				'base-uri': ['none'],
				'object-src': ['none']
			}
		}
	}
};

export default config;
