import { request as httpRequest } from 'node:http';

/**
 * A tiny HTTP client for the http tests: keeps the cookies the server sets (the `session`
 * cookie above all), never follows redirects, and can connect from a chosen loopback
 * address (127.x.y.z) so tests that fail sign-ins on purpose do not trip each other's
 * per-address throttle.
 */
export interface HttpResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	text: string;
	/** The parsed JSON body; throws if it is not JSON. */
	json<T = any>(): T;
	header(name: string): string | undefined;
}

export interface RequestOptions {
	headers?: Record<string, string>;
	/** Sent as JSON with content-type application/json. */
	json?: unknown;
	/** Sent as application/x-www-form-urlencoded. */
	form?: Record<string, string>;
	/** Sent as is. */
	body?: string | Buffer;
}

export const DEMO_PASSWORD = 'demo1234';

export class HttpClient {
	readonly cookies = new Map<string, string>();

	constructor(
		readonly baseUrl: string,
		readonly localAddress?: string
	) {}

	get session(): string | undefined {
		return this.cookies.get('session');
	}

	request(method: string, path: string, opts: RequestOptions = {}): Promise<HttpResponse> {
		const url = new URL(path, this.baseUrl);
		const headers: Record<string, string> = { ...opts.headers };
		let body: string | Buffer | undefined = opts.body;
		if (opts.json !== undefined) {
			body = JSON.stringify(opts.json);
			headers['content-type'] ??= 'application/json';
		} else if (opts.form) {
			body = new URLSearchParams(opts.form).toString();
			headers['content-type'] ??= 'application/x-www-form-urlencoded';
		}
		if (this.cookies.size > 0 && !Object.keys(headers).some((h) => h.toLowerCase() === 'cookie'))
			headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
		if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
		return new Promise((resolve, reject) => {
			const req = httpRequest(
				{
					method,
					hostname: url.hostname,
					port: url.port,
					path: url.pathname + url.search,
					headers,
					localAddress: this.localAddress
				},
				(res) => {
					const chunks: Buffer[] = [];
					res.on('data', (c: Buffer) => chunks.push(c));
					res.on('error', reject);
					res.on('end', () => {
						this.keepCookies(res.headers['set-cookie']);
						const text = Buffer.concat(chunks).toString('utf8');
						resolve({
							status: res.statusCode ?? 0,
							headers: res.headers,
							text,
							json: () => JSON.parse(text),
							header: (name) => {
								const v = res.headers[name.toLowerCase()];
								return Array.isArray(v) ? v.join(', ') : v;
							}
						});
					});
				}
			);
			req.on('error', reject);
			if (body !== undefined) req.write(body);
			req.end();
		});
	}

	get(path: string, headers?: Record<string, string>) {
		return this.request('GET', path, { headers });
	}

	post(path: string, json?: unknown, headers?: Record<string, string>) {
		return this.request('POST', path, { json, headers });
	}

	put(path: string, json?: unknown, headers?: Record<string, string>) {
		return this.request('PUT', path, { json, headers });
	}

	/**
	 * A form post as a browser sends it without JavaScript: same-origin Origin header (so
	 * SvelteKit's CSRF check passes) and Accept text/html (else SvelteKit answers as for
	 * `use:enhance`, in JSON).
	 */
	form(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
		return this.request('POST', path, { form: fields, headers: { origin: this.baseUrl, accept: 'text/html', ...headers } });
	}

	/** Signs in through the API; throws unless it worked. */
	async login(username: string, password = DEMO_PASSWORD): Promise<HttpResponse> {
		const res = await this.post('/api/v1/auth/login', { username, password });
		if (res.status !== 200 || !this.session) throw new Error(`sign-in as ${username} failed: ${res.status} ${res.text}`);
		return res;
	}

	/** A new client with the same cookies: the same browser in another tab. */
	clone(): HttpClient {
		const c = new HttpClient(this.baseUrl, this.localAddress);
		for (const [k, v] of this.cookies) c.cookies.set(k, v);
		return c;
	}

	private keepCookies(setCookie: string[] | undefined) {
		for (const line of setCookie ?? []) {
			const [pair, ...attrs] = line.split(';');
			const eq = pair.indexOf('=');
			const name = pair.slice(0, eq).trim();
			const value = pair.slice(eq + 1).trim();
			const expired = attrs.some((a) => {
				const [k, v] = a.split('=').map((s) => s.trim());
				if (k.toLowerCase() === 'max-age') return Number(v) <= 0;
				if (k.toLowerCase() === 'expires') return new Date(v).getTime() <= Date.now();
				return false;
			});
			if (expired || value === '') this.cookies.delete(name);
			else this.cookies.set(name, value);
		}
	}
}

/** A signed-in client. */
export async function signedIn(baseUrl: string, username: string, localAddress?: string): Promise<HttpClient> {
	const c = new HttpClient(baseUrl, localAddress);
	await c.login(username);
	return c;
}

/** The shape every API error has. */
export function isErrorBody(body: unknown): body is { error: { code: string; message: string } } {
	const e = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
	return !!e && typeof e.code === 'string' && e.code.length > 0 && typeof e.message === 'string' && e.message.length > 0;
}

/** A loopback source address of its own for each test file (all of 127.0.0.0/8 reaches the server). */
export function loopback(n: number): string {
	return `127.0.${Math.floor(n / 250)}.${(n % 250) + 2}`;
}
