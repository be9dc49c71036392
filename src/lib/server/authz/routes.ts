import type { Permission } from '../../domain/permissions';

/**
 * Who may reach each route, checked on every request (page load, form action, endpoint) by
 * hooks/guard.ts before the route runs; the services check again with the same permissions.
 * A route missing here is refused, and a test fails until it is added.
 */
export type Access = 'public' | 'signed-in' | Permission;

export const ROUTE_ACCESS: Record<string, Access> = {
	'/login': 'public',
	'/setup': 'public',
	'/healthz': 'public',
	'/api/v1/auth/login': 'public',

	'/logout': 'signed-in',
	'/(app)': 'signed-in',
	'/(app)/account': 'signed-in',
	'/api/v1/me': 'signed-in',
	'/api/v1/me/locale': 'signed-in',
	'/api/v1/auth/logout': 'signed-in',
	'/api/v1/auth/logout-all': 'signed-in',

	'/(app)/orders': 'orders.read',
	'/(app)/orders/[id]': 'orders.read',
	'/api/v1/orders': 'orders.read',
	'/api/v1/orders/[id]': 'orders.read',
	'/(app)/approvals': 'approvals.read',
	'/api/v1/approvals': 'approvals.read',
	'/(app)/production': 'production.read',
	'/(app)/production/[id]': 'production.read',
	'/api/v1/work-orders': 'production.read',
	'/api/v1/work-orders/[id]': 'production.read',
	'/api/v1/work-order-steps/[id]/progress': 'production.report',
	'/(app)/installation': 'installation.read',
	'/api/v1/installation-jobs': 'installation.read',
	'/(app)/service': 'service.read',
	'/api/v1/service-tickets': 'service.read',
	'/(app)/stock': 'stock.read',
	'/api/v1/stock-items': 'stock.read',
	'/(app)/customers': 'customers.read',
	'/api/v1/customers': 'customers.read'
};

export function isApiPath(pathname: string): boolean {
	return pathname.startsWith('/api/') || pathname === '/healthz';
}
