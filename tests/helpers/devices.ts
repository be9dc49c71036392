import type { Browser, BrowserContext, Page } from 'playwright-core';
import { apiSession } from './browser';

/** Registering and enrolling terminals and wall displays for browser tests, through the real API. */
const SH = 1;

export async function post(baseUrl: string, path: string, cookie: string, body: unknown) {
	const res = await fetch(`${baseUrl}${path}`, {
		method: 'POST',
		headers: { cookie, 'content-type': 'application/json', origin: baseUrl },
		body: JSON.stringify(body)
	});
	return { res, body: await res.json() };
}

/** Registers a device as planner1 and enrols it; answers its cookie value. */
export async function enrolDevice(baseUrl: string, device: Record<string, unknown>): Promise<string> {
	const planner = await apiSession(baseUrl, 'planner1');
	const { body } = await post(baseUrl, '/api/v1/devices', planner, { companyId: SH, ...device });
	if (!body.code) throw new Error(`device registration failed: ${JSON.stringify(body)}`);
	const { res } = await post(baseUrl, '/api/v1/devices/enrol', '', { code: body.code });
	const cookie = res.headers.getSetCookie().find((c) => c.startsWith('device='));
	if (!cookie) throw new Error('enrolment set no device cookie');
	return cookie.split(';')[0].slice('device='.length);
}

export async function wallContext(baseUrl: string, browser: Browser, width = 1920, height = 1080) {
	const token = await enrolDevice(baseUrl, {
		kind: 'wall',
		name: '总装车间看板',
		settings: { views: ['centres', 'orders', 'alerts'], rotateSeconds: 20 }
	});
	const ctx = await browser.newContext({ viewport: { width, height }, baseURL: baseUrl, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
	ctx.setDefaultTimeout(15_000);
	await ctx.addCookies([{ name: 'device', value: token, url: baseUrl, httpOnly: true, sameSite: 'Lax' }]);
	return ctx;
}


/** The wall page in a device context, live, with a mark that a reload would lose. */
export async function openWall(ctx: BrowserContext, query = '?view=centres'): Promise<Page> {
	const page = await ctx.newPage();
	await page.goto(`/wall/production${query}`);
	await page.locator('[data-testid=live-status][data-status=live]').waitFor();
	await page.evaluate(() => ((window as unknown as { __kept: number }).__kept = 1));
	return page;
}

export const tile = (page: Page, centre: number) => page.locator(`[data-testid=centre-tile][data-centre="${centre}"]`);
export const doneCount = async (page: Page, centre: number) =>
	Number(await tile(page, centre).getByTestId('plan-done').getAttribute('data-done'));
