import type { Handle } from '@sveltejs/kit';

/** Server-Timing on every answer: what the benchmarks read, and what browsers' dev tools show. */
export const timing: Handle = async ({ event, resolve }) => {
	const start = performance.now();
	const response = await resolve(event);
	try {
		response.headers.set('server-timing', `app;dur=${(performance.now() - start).toFixed(2)}`);
	} catch {
		/* immutable headers (e.g. a fetched response passed through): nothing to add */
	}
	return response;
};
