import { endpoint } from '$lib/server/route';
import { paramsOf } from '$lib/server/services/list';
import { lookupUnits } from '$lib/server/services/unit-lookup';

/** ?q=: a unit by its controller QR (EOU:<serial>), serial number or address / site / customer words. */
export const GET = endpoint((ctx, { url }) => lookupUnits(ctx, paramsOf(url)));
