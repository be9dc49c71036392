import { endpoint, readJson } from '$lib/server/route';
import { setLocale } from '$lib/server/services/auth';

/** The language switch: saved on the user, so it follows them to every device. */
export const PUT = endpoint(async ({ db, actor }, { request, locals }) => {
	const body = (await readJson(request, locals.locale, 1_000)) as { locale?: unknown } | null;
	return { locale: await setLocale(db, actor, body?.locale) };
});
