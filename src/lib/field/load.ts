import { error } from '@sveltejs/kit';
import { browser } from '$app/environment';
import { m } from '$lib/paraglide/messages';
import { readCache, writeCache } from './cache';

/**
 * The field pages' data comes from the JSON API in a universal load, so a page opened while the
 * network is down shows this phone's last copy instead of an error. `savedAt` is set when the
 * data is that copy (the page says how old it is).
 */
export async function apiOrCache<T>(
	fetch: typeof globalThis.fetch,
	url: string,
	userId: number,
	name: string
): Promise<{ data: T; savedAt: number | null }> {
	const fallback = () => {
		const cached = readCache<T>(userId, name);
		if (cached) return { data: cached.data, savedAt: cached.at };
		error(503, { message: m.fld_not_offline(), code: 'offline' });
	};
	let res: Response;
	try {
		res = await fetch(url);
	} catch (e) {
		if (!browser) throw e;
		return fallback();
	}
	// A gateway's error page on a weak network is no answer either.
	if (browser && res.status >= 502) return fallback();
	const body = await res.json().catch(() => null);
	if (!res.ok)
		error(res.status, {
			message: body?.error?.message ?? res.statusText,
			code: body?.error?.code ?? 'error'
		});
	if (browser) writeCache(userId, name, body);
	return { data: body as T, savedAt: null };
}
