import { endpoint, readJson } from '$lib/server/route';
import { setCertificate } from '$lib/server/services/crews';

/** {userId, skill, certificateNo, expiresOn}: sets a technician's certificate for a skill. */
export const PUT = endpoint(async (ctx, { request, locals }) =>
	setCertificate(ctx, await readJson(request, locals.locale, 10_000))
);

/** {userId, skill}: removes it. */
export const DELETE = endpoint(async (ctx, { request, locals }) =>
	setCertificate(ctx, await readJson(request, locals.locale, 10_000), true)
);
