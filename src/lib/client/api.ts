/**
 * The browser's calls to the JSON API: one shape for every answer, so pages handle success,
 * validation issues (400), conflicts (409, with the record as it is now) and failures alike.
 */
export interface ApiIssue {
	path: string;
	message: string;
}

export type ApiResult<T> =
	| { ok: true; data: T }
	| { ok: false; status: number; code: string; message: string; issues: ApiIssue[]; current?: unknown };

/** A JSON call: `body` is sent as JSON (POST by default when given). */
export function api<T>(url: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<ApiResult<T>> {
	return request<T>(url, {
		method,
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
}

/** Any call whose answer is the API's JSON (e.g. a file sent as the raw body). */
export async function request<T>(url: string, init: RequestInit): Promise<ApiResult<T>> {
	try {
		const res = await fetch(url, init);
		const json = await res.json().catch(() => ({}));
		if (res.ok) return { ok: true, data: json as T };
		const e = json.error ?? {};
		return {
			ok: false,
			status: res.status,
			code: e.code ?? 'error',
			message: e.message ?? res.statusText,
			issues: e.issues ?? [],
			current: e.current
		};
	} catch (err) {
		return { ok: false, status: 0, code: 'network', message: (err as Error).message, issues: [] };
	}
}
