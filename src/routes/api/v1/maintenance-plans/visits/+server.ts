import { endpoint } from '$lib/server/route';
import { paramsOf } from '$lib/server/services/list';
import { upcomingVisits } from '$lib/server/services/maintenance-plans';

/** ?day=&companyId=: visits per day over the coming 14 days, and one day's visits. */
export const GET = endpoint((ctx, { url }) => upcomingVisits(ctx, paramsOf(url)));
