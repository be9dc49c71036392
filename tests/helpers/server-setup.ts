import type { TestProject } from 'vitest/node';
import { startAppServer } from './app-server';

declare module 'vitest' {
	export interface ProvidedContext {
		baseUrl: string;
		databaseUrl: string | null;
	}
}

/** One server for the whole project; tests reach it with inject('baseUrl'). */
export default async function setup(project: TestProject) {
	const server = await startAppServer();
	project.provide('baseUrl', server.url);
	project.provide('databaseUrl', server.databaseUrl);
	return () => server.stop();
}
