import { describe, expect, it, beforeAll } from 'vitest';
import { drivers, useDatabase, actorOf } from './db';
import type { Actor } from '../../src/lib/server/authz';
import {
	deleteSavedFilter,
	listSavedFilters,
	saveFilter,
	MAX_SAVED_FILTERS
} from '../../src/lib/server/services/saved-filters';
import {
	ForbiddenError,
	NotFoundError,
	UnauthenticatedError,
	ValidationError
} from '../../src/lib/server/errors';

async function validation(p: Promise<unknown>): Promise<ValidationError> {
	try {
		await p;
	} catch (e) {
		expect(e).toBeInstanceOf(ValidationError);
		return e as ValidationError;
	}
	throw new Error('expected a ValidationError, but it resolved');
}

describe.each(drivers)('saved filters (%s)', (driver) => {
	const t = useDatabase(driver);
	let admin: Actor;
	let manager: Actor;
	let shopfloor: Actor;

	beforeAll(async () => {
		admin = await actorOf(t.db, 'admin', { locale: 'en' });
		manager = await actorOf(t.db, 'manager1', { locale: 'en' });
		shopfloor = await actorOf(t.db, 'shopfloor1', { locale: 'en' });
	});

	it('saves, lists and applies only the user’s own filters', async () => {
		const mine = await saveFilter(
			{ db: t.db, actor: admin },
			{ list: 'orders', name: '  Urgent  ', query: { priority: 'urgent' } }
		);
		expect(mine).toMatchObject({ list: 'orders', name: 'Urgent', query: { priority: 'urgent' } });
		await saveFilter(
			{ db: t.db, actor: manager },
			{ list: 'orders', name: 'Urgent', query: { priority: 'normal' } }
		);
		await saveFilter(
			{ db: t.db, actor: admin },
			{ list: 'approvals', name: 'Overdue', query: { overdue: 'true' } }
		);

		const adminOrders = await listSavedFilters({ db: t.db, actor: admin }, 'orders');
		expect(adminOrders.map((f) => [f.name, f.query])).toEqual([['Urgent', { priority: 'urgent' }]]);
		const managerOrders = await listSavedFilters({ db: t.db, actor: manager }, 'orders');
		expect(managerOrders.map((f) => f.query)).toEqual([{ priority: 'normal' }]);
		expect((await listSavedFilters({ db: t.db, actor: admin }, 'approvals')).map((f) => f.name)).toEqual([
			'Overdue'
		]);
		// No list: every list the user may read.
		expect((await listSavedFilters({ db: t.db, actor: admin })).map((f) => [f.list, f.name])).toEqual([
			['approvals', 'Overdue'],
			['orders', 'Urgent']
		]);
	});

	it('deletes only the user’s own filters: another’s reads as not found', async () => {
		const [theirs] = await listSavedFilters({ db: t.db, actor: manager }, 'orders');
		await expect(deleteSavedFilter({ db: t.db, actor: admin }, theirs.id)).rejects.toBeInstanceOf(
			NotFoundError
		);
		expect(await listSavedFilters({ db: t.db, actor: manager }, 'orders')).toHaveLength(1);
		expect(await deleteSavedFilter({ db: t.db, actor: manager }, theirs.id)).toEqual({ id: theirs.id });
		expect(await listSavedFilters({ db: t.db, actor: manager }, 'orders')).toHaveLength(0);
		await expect(deleteSavedFilter({ db: t.db, actor: manager }, theirs.id)).rejects.toBeInstanceOf(
			NotFoundError
		);
	});

	it('overwrites a filter saved under the same name', async () => {
		const ctx = { db: t.db, actor: admin };
		const first = await saveFilter(ctx, { list: 'orders', name: 'Big', query: { minYuan: '100000' } });
		const second = await saveFilter(ctx, {
			list: 'orders',
			name: 'Big',
			query: { minYuan: '500000', status: 'approved' }
		});
		expect(second.id).toBe(first.id);
		const big = (await listSavedFilters(ctx, 'orders')).filter((f) => f.name === 'Big');
		expect(big).toEqual([
			{ id: first.id, list: 'orders', name: 'Big', query: { minYuan: '500000', status: 'approved' } }
		]);
	});

	it('keeps at most 50 per user and list, and overwriting at the limit still works', async () => {
		const ctx = { db: t.db, actor: manager };
		for (let i = 0; i < MAX_SAVED_FILTERS; i++)
			await saveFilter(ctx, { list: 'approvals', name: `F${i}`, query: { q: String(i) } });
		const e = await validation(saveFilter(ctx, { list: 'approvals', name: 'One more', query: {} }));
		expect(e.message).toBe('You can keep at most 50 saved filters per list; delete some first.');
		expect(await saveFilter(ctx, { list: 'approvals', name: 'F7', query: { q: 'seven' } })).toMatchObject({
			name: 'F7'
		});
		expect(await listSavedFilters(ctx, 'approvals')).toHaveLength(MAX_SAVED_FILTERS);
		// Another list and another user have their own 50.
		await saveFilter(ctx, { list: 'orders', name: 'Fine', query: {} });
		await saveFilter({ db: t.db, actor: admin }, { list: 'approvals', name: 'Also fine', query: {} });
	});

	it('validates the name, the list and the query with clear messages in the user’s language', async () => {
		const ctx = { db: t.db, actor: admin };
		const name = 'The filter name must be 1 to 60 characters.';
		expect((await validation(saveFilter(ctx, { list: 'orders', name: '   ', query: {} }))).message).toBe(
			name
		);
		expect(
			(await validation(saveFilter(ctx, { list: 'orders', name: 'x'.repeat(61), query: {} }))).message
		).toBe(name);
		expect(await saveFilter(ctx, { list: 'orders', name: '名'.repeat(60), query: {} })).toMatchObject({
			name: '名'.repeat(60)
		});

		const list = await validation(saveFilter(ctx, { list: 'customers', name: 'A', query: {} }));
		expect(list.message).toBe('The list must be orders or approvals.');
		expect(list.issues).toEqual([{ path: 'list', message: list.message }]);

		const query = 'The filter must be at most 30 text parameters of at most 200 characters each.';
		const many = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`p${i}`, 'x']));
		const thirty = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`p${i}`, 'x']));
		expect((await validation(saveFilter(ctx, { list: 'orders', name: 'A', query: many }))).message).toBe(
			query
		);
		expect(await saveFilter(ctx, { list: 'orders', name: 'Thirty', query: thirty })).toMatchObject({
			name: 'Thirty'
		});
		for (const bad of [
			{ q: 'x'.repeat(201) },
			{ q: { nested: 'x' } },
			{ q: 1 },
			['a'],
			'q=x',
			null,
			{ '': 'x' },
			{ 'not a name': 'x' }
		]) {
			const e = await validation(saveFilter(ctx, { list: 'orders', name: 'A', query: bad }));
			expect(e.message).toBe(query);
			expect(e.issues).toEqual([{ path: 'query', message: query }]);
		}
		expect(
			await saveFilter(ctx, { list: 'orders', name: 'Long', query: { q: 'x'.repeat(200) } })
		).toMatchObject({ name: 'Long' });
		// A JSON body's "__proto__" key is dropped, never stored or applied.
		const proto = await saveFilter(ctx, {
			list: 'orders',
			name: 'Proto',
			query: JSON.parse('{"__proto__":"x","q":"a"}')
		});
		expect(Object.keys(proto.query)).toEqual(['q']);

		const zh = await validation(
			saveFilter({ db: t.db, actor: { ...admin, locale: 'zh-CN' } }, { list: 'orders', name: '', query: {} })
		);
		expect(zh.message).toBe('筛选名称须为 1 到 60 个字符。');
		const both = await validation(saveFilter(ctx, { list: 'x', name: '', query: 'y' }));
		expect(both.issues.map((i) => i.path).sort()).toEqual(['list', 'name', 'query']);
	});

	it('needs a user who may read the list', async () => {
		await expect(listSavedFilters({ db: t.db, actor: null }, 'orders')).rejects.toBeInstanceOf(
			UnauthenticatedError
		);
		await expect(
			saveFilter({ db: t.db, actor: null }, { list: 'orders', name: 'A', query: {} })
		).rejects.toBeInstanceOf(UnauthenticatedError);
		const canReadOrders = shopfloor.permissions.has('orders.read');
		if (!canReadOrders) {
			await expect(listSavedFilters({ db: t.db, actor: shopfloor }, 'orders')).rejects.toBeInstanceOf(
				ForbiddenError
			);
			await expect(
				saveFilter({ db: t.db, actor: shopfloor }, { list: 'orders', name: 'A', query: {} })
			).rejects.toBeInstanceOf(ForbiddenError);
		}
		const e = await validation(listSavedFilters({ db: t.db, actor: admin }, 'nope'));
		expect(e.message).toContain('The list must be orders or approvals.');
	});
});
