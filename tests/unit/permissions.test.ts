import { describe, expect, it } from 'vitest';
import { BUILT_IN_ROLES, PERMISSIONS, combineRoles } from '../../src/lib/domain/permissions';

const role = (code: string) => BUILT_IN_ROLES.find((r) => r.code === code)!;

describe('combineRoles', () => {
	it('gives no permission and company scope to a user without roles', () => {
		const { permissions, scope } = combineRoles([]);
		expect(permissions.size).toBe(0);
		expect(scope).toBe('company');
	});

	it('is the union of the roles’ permissions', () => {
		const { permissions } = combineRoles([role('shopfloor'), role('storekeeper')]);
		expect([...permissions].sort()).toEqual(
			[...new Set([...role('shopfloor').permissions, ...role('storekeeper').permissions])].sort()
		);
	});

	it('keeps the "own" scope only when every role is own-scoped', () => {
		expect(combineRoles([role('sales')]).scope).toBe('own');
		expect(combineRoles([role('sales'), role('sales')]).scope).toBe('own');
		expect(combineRoles([role('sales'), role('approver')]).scope).toBe('company');
	});

	it('drops permission names that do not exist', () => {
		const { permissions } = combineRoles([{ permissions: ['orders.read', 'orders.delete_everything', ''], scope: 'company' }]);
		expect([...permissions]).toEqual(['orders.read']);
	});

	it('gives the admin role every permission', () => {
		expect(combineRoles([role('admin')]).permissions.size).toBe(PERMISSIONS.length);
	});

	it('lets no built-in role but admin manage users or settings', () => {
		for (const r of BUILT_IN_ROLES.filter((r) => r.code !== 'admin')) {
			expect(r.permissions, r.code).not.toContain('admin.users');
			expect(r.permissions, r.code).not.toContain('admin.settings');
		}
	});
});
