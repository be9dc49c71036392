import { endpoint } from '$lib/server/route';
import { paramsOf } from '$lib/server/services/list';
import { getSchedule } from '$lib/server/services/schedule-view';

/** ?companyId&workCentreId&from&days: one work centre's jobs in sequence, its load and the last run. */
export const GET = endpoint((ctx, { url }) => getSchedule(ctx, paramsOf(url)));
