import { endpoint, readJson } from '$lib/server/route';
import { listDevices, registerDevice } from '$lib/server/services/devices';

/** The terminals and wall displays of my companies, and the stations a terminal can be registered to. */
export const GET = endpoint((ctx) => listDevices(ctx));

/** {kind, name, companyId, workCentreId?, settings?}: registers a device and answers its one-time code. */
export const POST = endpoint(async (ctx, { request, locals }) => registerDevice(ctx, await readJson(request, locals.locale, 10_000)));
