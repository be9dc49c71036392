import { endpoint } from '$lib/server/route';
import { unitHistory } from '$lib/server/services/unit-history';

/** One unit's whole life: header, maintenance plan, counts and the timeline, oldest entry first. */
export const GET = endpoint((ctx, { params }) => unitHistory(ctx, params.id));
