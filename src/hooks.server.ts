import { sequence } from '@sveltejs/kit/hooks';
import type { HandleServerError, ServerInit } from '@sveltejs/kit';
import { startRuntime } from '$lib/server/app';
import { ConfigError } from '$lib/server/config';
import { originGuard } from '$lib/server/hooks/origin';
import { authenticate } from '$lib/server/hooks/auth';
import { localize } from '$lib/server/hooks/locale';
import { guard } from '$lib/server/hooks/guard';
import { securityHeaders } from '$lib/server/hooks/headers';
import { timing } from '$lib/server/hooks/timing';
import { apiErrors } from '$lib/server/hooks/api-errors';

/** Opens the database, applies migrations and (embedded first run) creates demo data. */
export const init: ServerInit = async () => {
	try {
		await startRuntime();
	} catch (e) {
		if (e instanceof ConfigError) {
			console.error(`[elevator-ops] ${e.message}`);
			process.exit(78); // EX_CONFIG
		}
		throw e;
	}
};

export const handle = sequence(
	timing,
	securityHeaders,
	authenticate,
	localize,
	apiErrors,
	originGuard,
	guard
);

/** Unexpected errors: logged with an id; the user sees a short message and the id, never a stack. */
export const handleError: HandleServerError = ({ error, event, status }) => {
	const id = crypto.randomUUID().slice(0, 8);
	if (status !== 404)
		console.error(`[elevator-ops] ${id} ${event.request.method} ${event.url.pathname}`, error);
	return { message: status === 404 ? 'Not found' : 'Internal error', id };
};
