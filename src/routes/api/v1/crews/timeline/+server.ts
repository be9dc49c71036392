import { endpoint } from '$lib/server/route';
import { paramsOf } from '$lib/server/services/list';
import { crewTimeline } from '$lib/server/services/dispatch';

/** ?from=YYYY-MM-DD&days=14&companyId=: every crew's bookings and load per day. */
export const GET = endpoint((ctx, { url }) => crewTimeline(ctx, paramsOf(url)));
