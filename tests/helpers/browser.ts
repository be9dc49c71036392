import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';

/**
 * Real headless Chromium (Debian's package, never a downloaded one) against the server that
 * tests/helpers/server-setup.ts started. One browser per test file; each test makes its own
 * contexts, so cookies never leak between tests.
 */
export const PASSWORD = 'demo1234';
export const SCREENSHOTS = join(import.meta.dirname, '..', 'e2e', 'screenshots');

const ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-quic',
	'--no-first-run',
	'--disable-component-update',
	'--disable-sync'
];

/** The UI's own messages, so assertions follow the translations instead of copying them. */
const messages = (locale: 'zh-CN' | 'en') =>
	JSON.parse(
		readFileSync(
			join(import.meta.dirname, '..', '..', 'src', 'lib', 'i18n', 'messages', `${locale}.json`),
			'utf8'
		)
	) as Record<string, string>;
export const zh = messages('zh-CN');
export const en = messages('en');

export type Device = 'desktop' | 'phone';

const DEVICES = {
	desktop: { viewport: { width: 1366, height: 850 } },
	phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }
} as const;

export interface Session {
	readonly browser: Browser;
	readonly baseUrl: string;
	/** A fresh context (no cookies) on the given device, Chinese browser language by default. */
	context(device?: Device, locale?: string): Promise<BrowserContext>;
	/** A page of a fresh context, signed in through the real login form. */
	signedIn(username: string, device?: Device): Promise<Page>;
}

/** Launches Chromium for this file (beforeAll) and closes it afterwards. */
export function useBrowser(): Session {
	let browser: Browser | undefined;
	const baseUrl = inject('baseUrl');
	beforeAll(async () => {
		browser = await chromium.launch({
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: ARGS
		});
	});
	afterAll(async () => {
		await browser?.close();
	});
	const session: Session = {
		get browser() {
			if (!browser) throw new Error('browser not launched yet');
			return browser;
		},
		baseUrl,
		async context(device = 'desktop', locale = 'zh-CN') {
			const ctx = await session.browser.newContext({
				...DEVICES[device],
				baseURL: baseUrl,
				locale,
				timezoneId: 'Asia/Shanghai'
			});
			ctx.setDefaultTimeout(15_000);
			return ctx;
		},
		async signedIn(username, device = 'desktop') {
			const page = await (await session.context(device)).newPage();
			await open(page, '/login');
			await signIn(page, username);
			await page.waitForURL((u) => u.pathname !== '/login');
			await ready(page);
			return page;
		}
	};
	return session;
}

/**
 * Waits until the page's scripts have loaded and hydrated it: the filter forms and the
 * language switch only react once Svelte has attached their handlers.
 */
export async function ready(page: Page): Promise<void> {
	await page.waitForLoadState('networkidle');
}

/** A full page load of `path`, hydrated. */
export async function open(page: Page, path: string) {
	const res = await page.goto(path);
	await ready(page);
	return res;
}

/** Fills and submits the login form on the current page (which must be /login). */
export async function signIn(page: Page, username: string, password = PASSWORD): Promise<void> {
	await page.locator('input[name=username]').fill(username);
	await page.locator('input[name=password]').fill(password);
	await page.locator('form button[type=submit]').click();
}

/** Saves tests/e2e/screenshots/<name>.png (overwritten each run; the files are committed). */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
	mkdirSync(SCREENSHOTS, { recursive: true });
	// Fonts must be in before the picture, or CJK text may show as blanks.
	await page.evaluate(() => document.fonts.ready);
	await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage, animations: 'disabled' });
}

/** The trimmed texts of every match of a locator. */
export async function texts(page: Page, selector: string): Promise<string[]> {
	return (await page.locator(selector).allInnerTexts()).map((t) => t.trim());
}

/** Signs in through the JSON API and returns the session cookie header for fetch. */
export async function apiSession(baseUrl: string, username: string, password = PASSWORD): Promise<string> {
	const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ username, password })
	});
	if (!res.ok) throw new Error(`API login as ${username} failed: ${res.status} ${await res.text()}`);
	const cookie = res.headers.getSetCookie().find((c) => c.startsWith('session='));
	if (!cookie) throw new Error('API login set no session cookie');
	return cookie.split(';')[0];
}

/** The cells of one column of a list page, found by the column's label (data-label). */
export function column(page: Page, label: string) {
	return page.locator(`[data-testid=list-row] td[data-label="${label}"]`);
}

/** A money text such as "¥1,234.50" or "CN¥1,234.50" as a number. */
export function amount(text: string): number {
	return Number(text.replace(/[^\d.-]/g, ''));
}
