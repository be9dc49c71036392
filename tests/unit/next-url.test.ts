import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { safeNext } from '../../src/lib/server/auth/next-url';

const SITE = 'https://ops.example.com';
/** Where a browser goes when it follows `Location: <next>` from a page of this site. */
const landing = (next: string) => new URL(next, `${SITE}/login`);

describe('safeNext', () => {
	it('keeps a path on this site, with its query', () => {
		expect(safeNext('/orders?status=draft&page=2')).toBe('/orders?status=draft&page=2');
		expect(safeNext('/orders/17')).toBe('/orders/17');
	});

	it.each([null, undefined, '', 'orders', 'https://evil.example/', '//evil.example', '/\\evil.example', 'javascript:alert(1)'])(
		'sends %o home',
		(next) => {
			expect(safeNext(next)).toBe('/');
		}
	);

	it.each(['/\t/evil.example', '/\n/evil.example', '/\r\n/evil.example', '/\t\\evil.example', ' //evil.example'])(
		'never leads off the site for %j (browsers drop tabs and newlines from URLs)',
		(next) => {
			expect(landing(safeNext(next)).origin).toBe(SITE);
		}
	);

	it('never leads off the site, whatever the input', () => {
		fc.assert(
			fc.property(
				fc.string({ unit: fc.constantFrom('/', '\\', '\t', '\n', '\r', ' ', ':', '.', '@', '%', 'e', 'x'), maxLength: 12 }),
				fc.string({ unit: 'binary-ascii', maxLength: 20 }),
				(head, tail) => {
					expect(landing(safeNext(head + tail)).origin).toBe(SITE);
				}
			),
			{ numRuns: 2000 }
		);
	});
});
