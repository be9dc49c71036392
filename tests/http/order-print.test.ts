import { describe, expect, it, beforeAll, inject } from 'vitest';
import { HttpClient, signedIn, isErrorBody, loopback } from '../helpers/http-client';

/**
 * The order PDFs over HTTP: an administrator gets the PDF inline, a one-company manager gets
 * 404 for another company's order (as for the detail), and bad ids are a 400 in their language.
 */
const baseUrl = inject('baseUrl');
const address = loopback(61);

describe('order printing over HTTP', () => {
	let admin: HttpClient;
	let scoped: HttpClient;
	let order: { id: number; number: string };
	let companyOneIds: number[];

	beforeAll(async () => {
		admin = await signedIn(baseUrl, 'admin', address);
		scoped = await signedIn(baseUrl, 'scoped1', address);
		const rows = (await admin.get('/api/v1/orders?companyId=1&pageSize=3&sort=number&dir=asc')).json().rows;
		expect(rows.length).toBeGreaterThan(0);
		order = rows[0];
		companyOneIds = rows.map((r: { id: number }) => r.id);
		expect((await scoped.get('/api/v1/me')).json().user.companyIds).not.toContain(1);
	});

	it('answers an order as an inline PDF named after its number', async () => {
		const res = await admin.get(`/orders/${order.id}/print`);
		expect(res.status).toBe(200);
		expect(res.header('content-type')).toBe('application/pdf');
		expect(res.header('content-disposition')).toContain(`inline; filename="${order.number}.pdf"`);
		expect(res.header('cache-control')).toContain('no-store');
		expect(res.text.startsWith('%PDF-')).toBe(true);
		expect(res.text).toMatch(/\/FontFile[23]/);
	});

	it('prints selected orders into one PDF', async () => {
		const res = await admin.get(`/orders/print?ids=${companyOneIds.join(',')}`);
		expect(res.status).toBe(200);
		expect(res.header('content-type')).toBe('application/pdf');
		expect(res.text.startsWith('%PDF-')).toBe(true);
	});

	it('reads another company’s order as not found', async () => {
		const one = await scoped.get(`/orders/${order.id}/print`);
		expect(one.status).toBe(404);
		expect(one.json().error.code).toBe('not_found');
		expect(one.text).not.toContain(order.number);
		const batch = await scoped.get(`/orders/print?ids=${companyOneIds.join(',')}`);
		expect(batch.status).toBe(404);
	});

	it('refuses malformed ids with 400 in the user’s language', async () => {
		const res = await admin.get('/orders/print?ids=1,abc');
		expect(res.status).toBe(400);
		const body = res.json();
		expect(isErrorBody(body)).toBe(true);
		expect(body.error.code).toBe('invalid');
		expect(body.error.message).toMatch(/[\u4e00-\u9fff]/); // the admin's language is Chinese
		const tooMany = await admin.get(
			`/orders/print?ids=${Array.from({ length: 101 }, (_, i) => i + 1).join(',')}`
		);
		expect(tooMany.status).toBe(400);
	});

	it('asks a signed-out browser to sign in (401), as the API does', async () => {
		const res = await new HttpClient(baseUrl, address).get(`/orders/${order.id}/print`);
		expect(res.status).toBe(401);
	});
});
