import type { Permission } from './domain/permissions';

/** The main navigation: each entry shows only to users holding its permission. */
export const NAV = [
	{ href: '/', key: 'home', permission: null },
	{ href: '/orders', key: 'orders', permission: 'orders.read' },
	{ href: '/approvals', key: 'approvals', permission: 'approvals.read' },
	{ href: '/production', key: 'production', permission: 'production.read' },
	{ href: '/installation', key: 'installation', permission: 'installation.read' },
	// The installer's own phone app (its own layout, outside this shell).
	{ href: '/field', key: 'field', permission: 'installation.report' },
	{ href: '/service', key: 'service', permission: 'service.read' },
	{ href: '/units/scan', key: 'units', permission: 'service.read' },
	{ href: '/stock', key: 'stock', permission: 'stock.read' },
	{ href: '/customers', key: 'customers', permission: 'customers.read' },
	{ href: '/admin/approval-rules', key: 'policy', permission: 'approvals.policy' }
] as const satisfies readonly { href: string; key: string; permission: Permission | null }[];

export type NavKey = (typeof NAV)[number]['key'];

export function navFor(permissions: readonly string[]) {
	return NAV.filter((n) => n.permission === null || permissions.includes(n.permission));
}
