import { endpoint, readJson } from '$lib/server/route';
import { recentActions, terminalAction } from '$lib/server/services/terminal-actions';

/** {key, stepId, action, reason?, note?, occurredAt, sentAt}: one press, applied once per key. */
export const POST = endpoint(async (ctx, { request, locals }) =>
	terminalAction(ctx, locals.device, await readJson(request, locals.locale, 4_000))
);

/** The terminal's latest actions and what became of them. */
export const GET = endpoint((ctx, { locals }) => recentActions(ctx, locals.device));
