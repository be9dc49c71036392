import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import { likePattern, listQuery, optBool, optDate, optId, paramsOf } from '../../src/lib/server/services/list';

const query = listQuery(['name', 'createdAt'] as const, {
	status: optBool(),
	companyId: optId(),
	from: optDate()
});

describe('listQuery', () => {
	it('fills in page 1 and 25 rows when nothing is given', () => {
		expect(query.parse({})).toEqual({ page: 1, pageSize: 25 });
	});

	it('reads numbers and flags from query-string text', () => {
		expect(query.parse({ page: '3', pageSize: '50', sort: 'name', dir: 'desc', companyId: '2', status: 'true' })).toEqual({
			page: 3,
			pageSize: 50,
			sort: 'name',
			dir: 'desc',
			companyId: 2,
			status: true
		});
	});

	it('treats empty parameters as absent, as an emptied form field sends them', () => {
		expect(query.parse({ page: '', pageSize: '', sort: '', dir: '', q: '', companyId: '', from: '' })).toEqual({ page: 1, pageSize: 25 });
	});

	it('trims the search text', () => {
		expect(query.parse({ q: '  电梯 ' }).q).toBe('电梯');
	});

	it.each([
		['pageSize', { pageSize: '201' }],
		['pageSize', { pageSize: '0' }],
		['pageSize', { pageSize: '2.5' }],
		['pageSize', { pageSize: 'ten' }],
		['page', { page: '0' }],
		['page', { page: '-1' }],
		['page', { page: '1e400' }],
		['sort', { sort: 'password_hash' }],
		['dir', { dir: 'sideways' }],
		['q', { q: 'x'.repeat(101) }],
		['companyId', { companyId: '0' }],
		['companyId', { companyId: '2147483648' }],
		['from', { from: '2026-02-30' }],
		['from', { from: 'yesterday' }],
		['status', { status: 'yes' }]
	])('refuses a bad %s (%o), naming the field', (field, input) => {
		const r = query.safeParse(input);
		expect(r.success).toBe(false);
		expect(r.error!.issues.map((i) => i.path.join('.'))).toContain(field);
	});

	it('refuses parameters it does not know', () => {
		const r = query.safeParse({ limit: '5' });
		expect(r.success).toBe(false);
	});

	it('never lets a page size over 200 through, whatever the number', () => {
		fc.assert(
			fc.property(fc.integer({ min: 201, max: Number.MAX_SAFE_INTEGER }), (n) => {
				expect(query.safeParse({ pageSize: String(n) }).success).toBe(false);
			})
		);
	});

	it('accepts extra filters as zod schemas', () => {
		const q = listQuery(['a'] as const, { kind: z.enum(['x', 'y']).optional() });
		expect(q.parse({ kind: 'x' }).kind).toBe('x');
		expect(q.safeParse({ kind: 'z' }).success).toBe(false);
	});
});

describe('likePattern', () => {
	it('wraps the lower-cased text in %…%', () => {
		expect(likePattern('ORD-2026')).toBe('%ord-2026%');
	});

	it('takes the user’s % and _ literally', () => {
		expect(likePattern('100%')).toBe('%100\\%%');
		expect(likePattern('a_b')).toBe('%a\\_b%');
	});

	it('escapes backslashes so they cannot escape the escapes', () => {
		expect(likePattern('a\\%')).toBe('%a\\\\\\%%');
	});

	it('leaves no unescaped wildcard in any input', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'binary' }), (s) => {
				const inner = likePattern(s).slice(1, -1);
				// Walk the pattern as PostgreSQL does: a backslash escapes the next character.
				for (let i = 0; i < inner.length; i++) {
					if (inner[i] === '\\') {
						i++;
						expect(i).toBeLessThan(inner.length);
					} else expect(inner[i] === '%' || inner[i] === '_').toBe(false);
				}
			})
		);
	});
});

describe('paramsOf', () => {
	it('takes the first value of a repeated parameter', () => {
		expect(paramsOf(new URL('http://x/orders?a=1&a=2&b=3'))).toEqual({ a: '1', b: '3' });
	});

	it('decodes percent-escapes and plus signs', () => {
		expect(paramsOf(new URLSearchParams('q=%E7%94%B5%E6%A2%AF+1&x=%25'))).toEqual({ q: '电梯 1', x: '%' });
	});

	it('gives an empty object for no query string', () => {
		expect(paramsOf(new URL('http://x/orders'))).toEqual({});
	});

	it('keeps parameters named like Object.prototype members, so strict schemas can refuse them', () => {
		const p = paramsOf(new URLSearchParams('__proto__=1&constructor=2&toString=3'));
		expect(Object.keys(p).sort()).toEqual(['__proto__', 'constructor', 'toString']);
	});
});
