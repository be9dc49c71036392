import { describe, expect, it } from 'vitest';
import { open, screenshot, useBrowser, zh } from '../helpers/browser';

/**
 * The approval policy editor in Chromium: the admin's navigation link, a rule added through
 * the form (a refused step shows its message beside the field), the tester naming the rule
 * that fires, and the rule deleted again. Its condition (≥ ¥88,888,888) touches no other test.
 */
describe('approval policy editor', () => {
	const b = useBrowser();

	it('an admin adds a rule with a step editor, tries an order and deletes the rule', async () => {
		const page = await b.signedIn('admin');
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(e.message));
		await page.locator(`#main-nav a[href="/admin/approval-rules"]`).click();
		await page.waitForURL((u) => u.pathname === '/admin/approval-rules');
		await page.getByTestId('policy-rule').first().waitFor();
		expect(await page.getByTestId('no-catch-all').count()).toBe(0);
		const before = await page.getByTestId('policy-rule').count();

		await page.getByTestId('add-rule').click();
		const form = page.getByTestId('rule-form');
		await form.getByLabel(zh.policy_f_name).fill('超大订单 E2E');
		await form.getByLabel(zh.policy_f_min_amount).fill('88888888');
		await form.getByLabel(zh.policy_f_priority).fill('1');
		// Step 1: approver (preselected). Step 2: finance + manager, "all" with one role first.
		await form.getByTestId('add-step').click();
		const step2 = form.getByTestId('step').nth(1);
		await step2.getByLabel(zh.role_finance, { exact: true }).check();
		await step2.getByLabel(zh.policy_f_mode).selectOption('all');
		await form.getByTestId('save-rule').click();
		const err = form.getByTestId('error-steps.1.roleIds');
		await err.waitFor();
		expect((await err.innerText()).trim()).toBe(zh.policy_err_all_two_roles);

		// Fix it: k of n, 1 of finance and manager.
		await step2.getByLabel(zh.role_manager, { exact: true }).check();
		await step2.getByLabel(zh.policy_f_mode).selectOption('quorum');
		await step2.getByLabel(zh.policy_f_quorum, { exact: true }).fill('1');
		await form.getByTestId('save-rule').click();
		await page.getByTestId('policy-notice').waitFor();
		await expect.poll(() => page.getByTestId('policy-rule').count()).toBe(before + 1);
		const card = page.getByTestId('policy-rule').first();
		expect(await card.getByTestId('policy-conditions').innerText()).toContain('金额 ≥ ¥88,888,888');
		const chain = (await card.getByTestId('policy-chain').innerText()).trim();
		expect(chain).toBe(`${zh.role_approver} → ${zh.role_finance} + ${zh.role_manager}（2 选 1）`);

		// The tester: a huge order fires the new rule, and says why nothing earlier did.
		const tester = page.getByTestId('policy-tester');
		await tester.getByTestId('try-amount').fill('90000000');
		await tester.getByTestId('try-run').click();
		await tester.getByTestId('try-fired').waitFor();
		expect(await tester.getByTestId('try-fired').innerText()).toContain('超大订单 E2E');
		await expect.poll(async () => card.getAttribute('class')).toContain('fired');
		await screenshot(page, 'policy-editor');

		// Edit it open in the form, for the picture of the step editor; then delete it.
		await card.getByRole('button', { name: zh.policy_edit }).click();
		await form.waitFor();
		await screenshot(page, 'policy-editor-form', false);
		await page.getByRole('button', { name: zh.action_cancel }).click();
		page.once('dialog', (d) => void d.accept());
		await card.getByRole('button', { name: zh.policy_delete }).click();
		await expect.poll(() => page.getByTestId('policy-rule').count()).toBe(before);
		expect(errors).toEqual([]);
	});

	it('an approver has no link to the policy and is refused the page', async () => {
		const page = await b.signedIn('approver1');
		expect(await page.locator('#main-nav a[href="/admin/approval-rules"]').count()).toBe(0);
		const res = await open(page, '/admin/approval-rules');
		expect(res?.status()).toBe(403);
	});
});
