import { endpoint, readJson } from '$lib/server/route';
import { revokeDevice, updateDeviceSettings } from '$lib/server/services/devices';

/** {version, views?, rotateSeconds?}: a wall display's settings. */
export const PUT = endpoint(async (ctx, { params, request, locals }) =>
	updateDeviceSettings(ctx, params.id, await readJson(request, locals.locale, 10_000))
);

/** {version}: revokes the device; its cookie and any worker signed in at it stop at once. */
export const DELETE = endpoint(async (ctx, { params, request, locals }) =>
	revokeDevice(ctx, params.id, await readJson(request, locals.locale, 10_000))
);
