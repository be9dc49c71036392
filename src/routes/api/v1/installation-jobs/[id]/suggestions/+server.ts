import { endpoint } from '$lib/server/route';
import { suggestCrews } from '$lib/server/services/dispatch';

/** The company's crews ranked for the job, each with its reasons and whether it may take it. */
export const GET = endpoint((ctx, { params }) => suggestCrews(ctx, params.id));
