import { endpoint } from '$lib/server/route';
import { installationJob } from '$lib/server/services/installation-job';

/** One installation job: facts, site, crew, units, stage percents and the progress log with photo ids. */
export const GET = endpoint((ctx, { params }) => installationJob(ctx, params.id));
