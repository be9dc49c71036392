/** A signed-in API client that times each request from both ends. */
export interface Timed<T> {
	status: number;
	body: T;
	clientMs: number;
	/** The server's own `server-timing: app;dur=…`, or NaN when the header is missing. */
	serverMs: number;
}

export interface Session {
	username: string;
	get<T = unknown>(path: string): Promise<Timed<T>>;
}

const serverDur = (header: string | null) => {
	const m = header && /(?:^|,)\s*app;dur=([\d.]+)/.exec(header);
	return m ? Number(m[1]) : NaN;
};

export async function signIn(baseUrl: string, username: string, password = 'demo1234'): Promise<Session> {
	const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: baseUrl },
		body: JSON.stringify({ username, password })
	});
	const text = await res.text();
	if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${text}`);
	const cookie = res.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.join('; ');
	if (!cookie) throw new Error(`login ${username}: no cookie`);
	return {
		username,
		async get<T>(path: string): Promise<Timed<T>> {
			const t = performance.now();
			const r = await fetch(baseUrl + path, { headers: { cookie } });
			const raw = await r.text();
			const clientMs = performance.now() - t;
			if (r.status !== 200) throw new Error(`GET ${path} as ${username}: ${r.status} ${raw.slice(0, 300)}`);
			return {
				status: r.status,
				body: JSON.parse(raw) as T,
				clientMs,
				serverMs: serverDur(r.headers.get('server-timing'))
			};
		}
	};
}
