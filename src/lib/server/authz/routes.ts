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
	'/(app)/orders/[id]/print': 'orders.read',
	'/(app)/orders/print': 'orders.read',
	'/(app)/orders/export.xlsx': 'orders.read',
	'/(app)/orders/export.csv': 'orders.read',
	'/api/v1/saved-filters': 'signed-in',
	'/api/v1/saved-filters/[id]': 'signed-in',
	'/api/v1/orders': 'orders.read',
	'/api/v1/orders/[id]': 'orders.read',
	'/(app)/orders/new': 'orders.write',
	'/(app)/orders/import': 'orders.write',
	'/api/v1/orders/import': 'orders.write',
	'/api/v1/orders/import/template': 'orders.write',
	'/(app)/orders/[id]/edit': 'orders.write',
	'/api/v1/orders/[id]/submit': 'orders.write',
	'/api/v1/orders/[id]/changes': 'orders.write',
	'/api/v1/orders/[id]/route': 'orders.read',
	'/api/v1/orders/[id]/comments': 'orders.read',
	'/api/v1/approvals/[id]/claim': 'approvals.decide',
	'/api/v1/approvals/[id]/release': 'approvals.decide',
	'/api/v1/approvals/[id]/decide': 'approvals.decide',
	'/api/v1/approval-delegations': 'approvals.decide',
	'/api/v1/approval-delegations/[id]': 'approvals.decide',
	'/api/v1/customers/[id]/sites': 'orders.write',
	'/api/v1/catalog': 'catalog.read',
	'/(app)/approvals': 'approvals.read',
	'/(app)/admin/approval-rules': 'approvals.policy',
	'/api/v1/approval-rules': 'approvals.policy',
	'/api/v1/approval-rules/[id]': 'approvals.policy',
	'/api/v1/approval-rules/[id]/move': 'approvals.policy',
	'/api/v1/approval-rules/[id]/active': 'approvals.policy',
	'/api/v1/approval-rules/try': 'approvals.policy',
	'/api/v1/approvals': 'approvals.read',
	'/(app)/production': 'production.read',
	'/(app)/production/[id]': 'production.read',
	'/api/v1/work-orders': 'production.read',
	'/api/v1/work-orders/[id]': 'production.read',
	'/api/v1/work-order-steps/[id]/progress': 'production.report',
	// Planning: the schedule (Gantt), moves and locks, shortages, routings and work centres, changes.
	'/(app)/production/schedule': 'production.read',
	'/api/v1/production/schedule': 'production.read',
	'/api/v1/production/schedule/replan': 'production.plan',
	'/api/v1/work-orders/[id]/plan': 'production.plan',
	'/api/v1/work-orders/[id]/accept-change': 'production.plan',
	'/(app)/production/shortages': 'production.read',
	'/(app)/production/work-centres': 'production.read',
	'/api/v1/work-centres': 'production.read',
	'/api/v1/work-centres/[id]': 'production.plan',
	'/(app)/production/routings': 'production.read',
	'/api/v1/routings': 'production.read',
	'/api/v1/routings/[id]': 'production.plan',
	'/(app)/production/[id]/card': 'production.read',
	'/(app)/production/cards': 'production.read',
	'/(app)/production/analytics': 'production.read',
	'/api/v1/production/analytics': 'production.read',
	// Devices: registering terminals and wall displays; a device enrols with its one-time code.
	'/(app)/production/devices': 'production.plan',
	'/api/v1/devices': 'production.plan',
	'/api/v1/devices/[id]': 'production.plan',
	'/api/v1/devices/[id]/code': 'production.plan',
	'/device': 'public',
	'/api/v1/devices/enrol': 'public',
	// Alerts (andon, late steps) and the notification centre.
	'/(app)/production/alerts': 'production.read',
	'/api/v1/alerts': 'production.read',
	'/api/v1/alerts/[id]/acknowledge': 'production.report',
	'/api/v1/alerts/[id]/close': 'production.report',
	// Shop-floor terminals (the device signs in; a worker signs in at it with badge or PIN).
	'/terminal/[station]': 'production.read',
	'/api/v1/terminal/sign-in': 'production.read',
	'/api/v1/terminal/sign-out': 'signed-in',
	'/api/v1/terminal/jobs': 'production.read',
	'/api/v1/terminal/actions': 'production.report',
	// Wall displays (a device or a signed-in person with production.read).
	'/wall/production': 'production.read',
	'/api/v1/wall/production': 'production.read',
	'/(app)/installation': 'installation.read',
	'/api/v1/installation-jobs': 'installation.read',
	'/api/v1/installation-jobs/[id]/suggestions': 'installation.read',
	'/api/v1/installation-jobs/[id]/assign': 'installation.dispatch',
	'/api/v1/installation-jobs/[id]/unassign': 'installation.dispatch',
	'/api/v1/crews': 'installation.read',
	'/api/v1/crews/timeline': 'installation.read',
	'/api/v1/crews/[id]': 'installation.dispatch',
	'/api/v1/crews/certificates': 'installation.dispatch',
	'/api/v1/installation-jobs/[id]/plan': 'installation.dispatch',
	'/(app)/installation/crews': 'installation.read',
	'/api/v1/orders/[id]/ship': 'production.plan',
	// Dispatch map
	'/(app)/installation/dispatch': 'installation.read',
	'/api/v1/installation/board': 'installation.read',
	// Installer phone app and job page
	'/(field)/field': 'installation.report',
	'/(field)/field/[id]': 'installation.report',
	'/api/v1/field/jobs': 'installation.report',
	'/api/v1/field/actions': 'installation.report',
	'/(app)/installation/[id]': 'installation.read',
	'/api/v1/installation-jobs/[id]': 'installation.read',
	'/api/v1/installation-photos/[id]': 'installation.read',
	'/(app)/service': 'service.read',
	'/api/v1/service-tickets': 'service.read',
	// Service tickets and maintenance
	'/(app)/service/new': 'service.write',
	'/(app)/service/[id]': 'service.read',
	'/(app)/service/maintenance': 'service.read',
	'/api/v1/service-tickets/[id]': 'service.read',
	'/api/v1/service-tickets/[id]/status': 'service.write',
	'/api/v1/service-tickets/[id]/assign': 'service.write',
	'/api/v1/service-tickets/[id]/technicians': 'service.read',
	'/api/v1/service-tickets/[id]/parts': 'service.read',
	'/api/v1/service-tickets/[id]/parts/[partId]': 'service.write',
	'/api/v1/service-tickets/[id]/parts/[partId]/issue': 'service.write',
	'/api/v1/units/lookup': 'service.read',
	'/api/v1/maintenance-plans': 'service.read',
	'/api/v1/maintenance-plans/[id]': 'service.write',
	'/api/v1/maintenance-plans/generate': 'service.write',
	'/api/v1/maintenance-plans/visits': 'service.read',
	// Unit lifetime
	// Any of service.read, installation.read or orders.read: the service checks (unit-history.ts).
	'/(app)/units/[id]': 'signed-in',
	'/(app)/units/scan': 'signed-in',
	'/api/v1/units/[id]/history': 'signed-in',
	'/(app)/stock': 'stock.read',
	'/api/v1/stock-items': 'stock.read',
	'/(app)/customers': 'customers.read',
	'/api/v1/customers': 'customers.read'
};

/** Endpoints outside /api that answer a file (order PDFs, exports): their errors are JSON like the API's. */
const FILE_ENDPOINTS = /^\/(?:orders\/(?:(?:[^/]+\/)?print|export\.(?:xlsx|csv))|production\/(?:[^/]+\/card|cards))$/;

export function isApiPath(pathname: string): boolean {
	return pathname.startsWith('/api/') || pathname === '/healthz' || FILE_ENDPOINTS.test(pathname);
}
