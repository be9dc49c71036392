import { m } from '$lib/paraglide/messages';

/** A ticket command's answer as the page needs it: done, a conflict with the ticket as it is now, or why not. */
export type Answer =
	| { ok: true; body: unknown }
	| {
			ok: false;
			status: number;
			message: string;
			current?: Current;
			issues: { path: string; message: string }[];
	  };

/** A conflict's "as it is now": the ticket and who changed it last. */
export interface Current {
	status: string;
	version: number;
	technicianName: string | null;
	lastChange: { type: string; at: string; actorName: string | null } | null;
}

export async function send(method: string, url: string, body?: unknown): Promise<Answer> {
	try {
		const res = await fetch(url, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body)
		});
		const json = await res.json().catch(() => ({}));
		if (res.ok) return { ok: true, body: json };
		return {
			ok: false,
			status: res.status,
			message: json.error?.message ?? res.statusText,
			current: json.error?.current,
			issues: json.error?.issues ?? []
		};
	} catch (e) {
		return { ok: false, status: 0, message: m.action_failed({ message: (e as Error).message }), issues: [] };
	}
}
