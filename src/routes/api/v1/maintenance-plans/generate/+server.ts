import { endpoint } from '$lib/server/route';
import { generateVisitsNow } from '$lib/server/services/maintenance-plans';

/** Generates the due maintenance visits now: {created, plans}. */
export const POST = endpoint((ctx) => generateVisitsNow(ctx));
