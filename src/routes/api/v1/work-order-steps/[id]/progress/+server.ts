import { endpoint, readJson } from '$lib/server/route';
import { reportStepProgress } from '$lib/server/services/step-progress';

/** {action: 'start'|'pause'|'finish', version}: the step as it is after the change. */
export const POST = endpoint(async (ctx, { params, request, locals }) =>
	reportStepProgress(ctx, params.id, await readJson(request, locals.locale, 10_000))
);
