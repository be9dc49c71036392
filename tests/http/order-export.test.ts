import { describe, expect, it, beforeAll, inject } from 'vitest';
import { HttpClient, signedIn, isErrorBody, loopback } from '../helpers/http-client';

/**
 * The orders exports over HTTP: a file to save (attachment, named orders-<stamp>.<ext>), the
 * list's own query parameters, JSON errors in the user's language, 401 without a session.
 */
const baseUrl = inject('baseUrl');
const address = loopback(67);

describe('order exports over HTTP', () => {
	let admin: HttpClient;
	let scoped: HttpClient;

	beforeAll(async () => {
		admin = await signedIn(baseUrl, 'admin', address);
		scoped = await signedIn(baseUrl, 'scoped1', address);
	});

	it('answers XLSX as an attachment', async () => {
		const res = await admin.get('/orders/export.xlsx?status=approved&sort=totalAmount&dir=desc');
		expect(res.status).toBe(200);
		expect(res.header('content-type')).toBe(
			'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
		);
		expect(res.header('content-disposition')).toMatch(/^attachment; filename="orders-\d{8}-\d{4}\.xlsx"/);
		expect(res.header('cache-control')).toContain('no-store');
		expect(res.text.startsWith('PK')).toBe(true); // a zip
	});

	it('answers CSV with a BOM, the list’s rows and its filter', async () => {
		const res = await admin.get('/orders/export.csv?companyId=1&minYuan=0&page=3');
		expect(res.status).toBe(200);
		expect(res.header('content-type')).toBe('text/csv; charset=utf-8');
		expect(res.header('content-disposition')).toMatch(/^attachment; filename="orders-\d{8}-\d{4}\.csv"/);
		expect(res.text.charCodeAt(0)).toBe(0xfeff);
		const lines = res.text.trim().split('\r\n');
		expect(lines[0]).toContain('编号');
		const list = (await admin.get('/api/v1/orders?companyId=1&pageSize=1')).json();
		expect(list.totalCapped).toBeFalsy();
		expect(lines.length - 1).toBe(list.total);
	});

	it('exports only what the user may see', async () => {
		const res = await scoped.get('/orders/export.csv');
		expect(res.status).toBe(200);
		const list = (await scoped.get('/api/v1/orders?pageSize=1')).json();
		expect(res.text.trim().split('\r\n').length - 1).toBe(list.total);
	});

	it('refuses a bad amount range with 400 in the user’s language', async () => {
		const res = await admin.get('/orders/export.csv?minYuan=500&maxYuan=100');
		expect(res.status).toBe(400);
		const body = res.json();
		expect(isErrorBody(body)).toBe(true);
		expect(body.error.code).toBe('invalid');
		expect(body.error.message).toBe('最低金额不能高于最高金额。');
	});

	it('answers 401 without a session', async () => {
		const anon = new HttpClient(baseUrl, address);
		for (const path of ['/orders/export.xlsx', '/orders/export.csv?status=approved']) {
			const res = await anon.get(path);
			expect(res.status).toBe(401);
			expect(res.json().error.code).toBe('unauthenticated');
		}
	});
});
