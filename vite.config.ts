import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [
		paraglideVitePlugin({
			project: './src/lib/i18n/project.inlang',
			outdir: './src/lib/paraglide',
			// The signed-in user's saved language first (hooks/locale.ts), then the cookie the
			// switch sets, then the browser's languages.
			strategy: ['custom-user', 'cookie', 'preferredLanguage', 'baseLocale']
		}),
		sveltekit(),
		{
			// `npm run dev` is live too: the app attaches Socket.IO to Vite's own HTTP server when it
			// starts, exactly as it does to server.js's in production (src/lib/server/realtime/hub.ts).
			name: 'elevator-ops-realtime',
			configureServer(server) {
				if (server.httpServer)
					(globalThis as Record<symbol, unknown>)[Symbol.for('elevator-ops.httpServer')] = server.httpServer;
			}
		}
	],
	server: { port: 3000 },
	test: {
		// One line per project in the summary; `npm test` builds first because http and e2e start the built server.
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['tests/unit/**/*.test.ts', 'src/**/*.test.ts'],
					environment: 'node',
					sequence: { groupOrder: 0 }
				}
			},
			{
				extends: true,
				test: {
					name: 'integration',
					// Projects run one after another: the machine has two cores.
					sequence: { groupOrder: 1 },
					include: ['tests/integration/**/*.test.ts'],
					environment: 'node',
					testTimeout: 60_000,
					hookTimeout: 180_000,
					// Each file opens its own database; two at a time fit the 2-core machine.
					maxWorkers: 2
				}
			},
			{
				extends: true,
				test: {
					name: 'http',
					sequence: { groupOrder: 2 },
					include: ['tests/http/**/*.test.ts'],
					environment: 'node',
					// One built server on a fresh database for the whole project (tests/helpers/server-setup.ts).
					globalSetup: ['tests/helpers/server-setup.ts'],
					testTimeout: 60_000,
					hookTimeout: 180_000,
					maxWorkers: 2
				}
			},
			{
				extends: true,
				test: {
					name: 'e2e',
					sequence: { groupOrder: 3 },
					include: ['tests/e2e/**/*.test.ts'],
					environment: 'node',
					globalSetup: ['tests/helpers/server-setup.ts'],
					testTimeout: 90_000,
					hookTimeout: 180_000,
					fileParallelism: false
				}
			},
			{
				extends: true,
				test: {
					name: 'cluster',
					sequence: { groupOrder: 4 },
					// Several server.js processes on one PostgreSQL database per file (tests/helpers/cluster.ts);
					// skipped without TEST_DATABASE_URL. One file at a time: each one loads both cores.
					include: ['tests/cluster/**/*.test.ts'],
					environment: 'node',
					testTimeout: 60_000,
					hookTimeout: 180_000,
					fileParallelism: false
				}
			}
		]
	}
});
