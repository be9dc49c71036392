import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiSession, open, screenshot, useBrowser, zh } from '../helpers/browser';

/**
 * The sales side in two browsers: a rep on a phone submits a draft and watches it; approvers on
 * desktops claim, comment and approve; the rep's page follows each step without a reload.
 */
const live = (page: Page) => page.locator('[data-testid=live-status][data-status=live]').waitFor();
const mark = (page: Page) => page.evaluate(() => ((window as unknown as { __kept: number }).__kept = 1));
const stillSameDocument = async (page: Page) =>
	expect(await page.evaluate(() => (window as unknown as { __kept?: number }).__kept)).toBe(1);

/** A draft of sales1 with a 15 % discount: the demo policy routes it to an approver, then a manager. */
async function draftOrder(baseUrl: string, discountBp = 1500): Promise<number> {
	const cookie = await apiSession(baseUrl, 'sales1');
	const get = async (path: string) => (await fetch(`${baseUrl}${path}`, { headers: { cookie } })).json();
	const [customers, catalog] = await Promise.all([
		get('/api/v1/customers?pageSize=1&companyId=1'),
		get('/api/v1/catalog')
	]);
	const model = (catalog as { id: number; code: string }[]).find((x) => x.code === 'HT-P10')!;
	const delivery = new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10);
	const res = await fetch(`${baseUrl}/api/v1/orders`, {
		method: 'POST',
		headers: { cookie, 'content-type': 'application/json', origin: baseUrl },
		body: JSON.stringify({
			companyId: 1,
			customerId: customers.rows[0].id,
			deliveryDate: delivery,
			discountBp,
			paymentTerms: '预付 30%，发货前 60%，验收后 10%',
			lines: [
				{
					modelId: model.id,
					qty: 2,
					loadKg: 1000,
					speed: 1.75,
					stops: 12,
					travelM: 34.5,
					doorType: 'center',
					doorWidthMm: 900,
					machineRoom: false,
					optionCodes: []
				}
			]
		})
	});
	const body = await res.json();
	if (!res.ok) throw new Error(JSON.stringify(body));
	return body.id;
}

describe('order approval between browsers', () => {
	const b = useBrowser();

	it('a rep on a phone submits; approvers claim, comment and approve; the rep’s page follows without a reload', async () => {
		const id = await draftOrder(b.baseUrl);
		const rep = await b.signedIn('sales1', 'phone');
		rep.on('dialog', (d) => void d.accept());
		await open(rep, `/orders/${id}`);
		await live(rep);
		// Before submitting, the rep sees where the order will go.
		await rep.getByTestId('route-preview').getByText('审批人').first().waitFor();
		await rep.getByTestId('order-submit').click();
		await rep.locator('[data-testid=order-status]', { hasText: zh.order_in_approval }).waitFor();
		await mark(rep);

		const approver = await b.signedIn('approver1');
		approver.on('dialog', (d) => void d.accept());
		await open(approver, `/orders/${id}`);
		await live(approver);
		await approver.getByTestId('claim').click();
		// The rep sees who took it, in the same document.
		await rep.getByTestId('order-holder').getByText('赵丽华').waitFor({ timeout: 5000 });

		// A rejection without a reason is refused next to the field.
		await approver.getByTestId('reject').click();
		await approver.getByTestId('reason-error').waitFor();

		await approver.getByTestId('comment-body').fill('请确认门宽 900 mm');
		await approver.getByTestId('comment-send').click();
		await rep.getByTestId('comment').filter({ hasText: '请确认门宽 900 mm' }).waitFor({ timeout: 5000 });

		await approver.getByTestId('approve').click();
		await rep.getByTestId('order-holder').getByText('经理').waitFor({ timeout: 5000 });
		await screenshot(approver, 'approval-approver');

		const manager = await b.signedIn('manager1');
		await open(manager, `/orders/${id}`);
		await manager.getByTestId('approve').click();
		await rep
			.locator('[data-testid=order-status]', { hasText: zh.order_approved })
			.waitFor({ timeout: 5000 });
		await stillSameDocument(rep);
		expect(await rep.getByTestId('approval-step').count()).toBe(2);
		await screenshot(rep, 'approval-rep-phone');
	});

	it('a rep asks to cancel an approved order; it appears in the approver’s filtered queue without a reload', async () => {
		const id = await draftOrder(b.baseUrl, 0);
		const cookie = await apiSession(b.baseUrl, 'sales1');
		const order = await (await fetch(`${b.baseUrl}/api/v1/orders/${id}`, { headers: { cookie } })).json();
		// A routine order of a returning customer: the demo policy approves it at once.
		await fetch(`${b.baseUrl}/api/v1/orders/${id}/submit`, {
			method: 'POST',
			headers: { cookie, 'content-type': 'application/json', origin: b.baseUrl },
			body: JSON.stringify({ version: order.order.version })
		});

		const approver = await b.signedIn('approver1');
		await open(approver, `/approvals?q=${encodeURIComponent(order.order.number)}`);
		await live(approver);
		await mark(approver);
		expect(await approver.getByTestId('approvals-list').getByText(order.order.number).count()).toBe(0);

		const rep = await b.signedIn('sales1', 'phone');
		await open(rep, `/orders/${id}`);
		await rep.locator('[data-testid=order-status]', { hasText: zh.order_approved }).waitFor();
		await rep.getByTestId('request-cancel').click();
		await rep.getByTestId('cancel-reason').fill('业主项目停建');
		await rep.getByTestId('cancel-send').click();
		await rep.locator('[data-testid=change][data-status=pending]').waitFor({ timeout: 5000 });

		await approver.getByTestId('approvals-list').getByText(order.order.number).first().waitFor({ timeout: 5000 });
		await stillSameDocument(approver);
		await screenshot(approver, 'approval-queue-cancellation');
	});

	it('the rep cannot decide their own order and sees no approval actions', async () => {
		const id = await draftOrder(b.baseUrl);
		const rep = await b.signedIn('sales1');
		await open(rep, `/orders/${id}`);
		expect(await rep.getByTestId('approval-actions').count()).toBe(0);
	});
});
