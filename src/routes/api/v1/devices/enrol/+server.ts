import { json, type RequestHandler } from '@sveltejs/kit';
import { errorResponse } from '$lib/server/http';
import { readJson } from '$lib/server/route';
import { enrolThisBrowser } from '$lib/server/device-cookie';

/** {code, next?}: the device side of enrolment; sets the device cookie and says where to go. */
export const POST: RequestHandler = async (event) => {
	try {
		const body = await readJson(event.request, event.locals.locale, 2_000);
		return json(await enrolThisBrowser(event, body));
	} catch (e) {
		return errorResponse(e, event.locals.locale);
	}
};
