import { beforeAll, describe, expect, inject, it } from 'vitest';
import { HttpClient, signedIn, loopback } from '../helpers/http-client';

const baseUrl = inject('baseUrl');
const address = loopback(71);

/** A multipart/form-data body with one file field, as a browser form sends it. */
function multipart(name: string, type: string, bytes: Buffer) {
	const boundary = `----eo${Date.now().toString(16)}`;
	const body = Buffer.concat([
		Buffer.from(
			`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${name}"\r\ncontent-type: ${type}\r\n\r\n`
		),
		bytes,
		Buffer.from(`\r\n--${boundary}--\r\n`)
	]);
	return { body, type: `multipart/form-data; boundary=${boundary}` };
}

describe('POST /api/v1/orders/import', () => {
	let admin: HttpClient;
	let csv: Buffer;
	const ref = `HTTP-${Date.now()}`;

	beforeAll(async () => {
		admin = await signedIn(baseUrl, 'admin', address);
		const res = await admin.get('/api/v1/orders/import/template?format=csv&lang=en');
		expect(res.status).toBe(200);
		expect(res.header('content-type')).toMatch(/^text\/csv/);
		expect(res.text.charCodeAt(0)).toBe(0xfeff);
		// The template's example order, under a reference of this run.
		csv = Buffer.from(res.text.replaceAll('PO-2026-0001', ref), 'utf8');
	});

	const send = (mode: string, body: Buffer, type = 'text/csv', name = 'orders.csv') =>
		admin.request('POST', `/api/v1/orders/import?mode=${mode}&filename=${name}`, {
			body,
			headers: { 'content-type': type }
		});

	it('serves the XLSX template in Chinese', async () => {
		const res = await admin.get('/api/v1/orders/import/template?format=xlsx&lang=zh-CN');
		expect(res.status).toBe(200);
		expect(res.header('content-type')).toBe(
			'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
		);
		expect(res.text.slice(0, 2)).toBe('PK');
	});

	it('previews the raw body, commits it, and a second commit creates nothing', async () => {
		const preview = await send('preview', csv);
		expect(preview.status).toBe(200);
		const p = preview.json();
		expect(p.issues).toEqual([]);
		expect(p.totals).toMatchObject({ orders: 1, ready: 1, lines: 2 });
		expect(p.totals.amount).toBeGreaterThan(0);

		const commit = await send('commit', csv);
		expect(commit.status).toBe(200);
		const c = commit.json();
		expect(c.created).toHaveLength(1);
		expect(c.created[0].ref).toBe(ref);
		const order = await admin.get(`/api/v1/orders/${c.created[0].id}`);
		expect(order.status).toBe(200);

		const again = await send('commit', csv);
		expect(again.status).toBe(200);
		expect(again.json()).toMatchObject({ created: [], skipped: [{ ref, id: c.created[0].id }] });
	});

	// A browser's multipart post carries its Origin (SvelteKit refuses cross-site form posts).
	it('takes multipart uploads and refuses a file with bad cells as a 400 naming each cell', async () => {
		const bad = Buffer.from(
			csv
				.toString('utf8')
				.replace(`${ref},`, `${ref}-bad,`)
				.replace(/,(yes|no),/, ',maybe,'),
			'utf8'
		);
		const { body, type } = multipart('orders.csv', 'text/csv', bad);
		const res = await admin.request('POST', '/api/v1/orders/import?mode=commit', {
			body,
			headers: { 'content-type': type, origin: baseUrl }
		});
		expect(res.status).toBe(400);
		const e = res.json().error;
		expect(e.code).toBe('invalid');
		// admin's saved language is Chinese: the reasons are too, the column as the file names it.
		expect(e.message).toMatch(/未导入任何订单/);
		expect(e.issues).toContainEqual(
			expect.objectContaining({ row: 2, column: 'Machine room', message: '请填写 是 或 否' })
		);
	});

	it('answers a renamed file and an unknown mode with a clear 400', async () => {
		const renamed = await send('preview', csv, 'application/octet-stream', 'orders.xlsx');
		expect(renamed.status).toBe(400);
		expect(renamed.json().error.message).toMatch(/不是 Excel 工作簿/);
		const mode = await send('everything', csv);
		expect(mode.status).toBe(400);
		expect(mode.json().error.code).toBe('invalid');
	});

	it('is refused without orders.write', async () => {
		const viewer = await signedIn(baseUrl, 'manager1', address);
		const res = await viewer.request('POST', '/api/v1/orders/import?mode=preview', {
			body: csv,
			headers: { 'content-type': 'text/csv' }
		});
		expect(res.status).toBe(403);
	});
});
