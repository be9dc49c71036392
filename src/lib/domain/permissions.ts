/**
 * What each action needs. Roles are rows in the database (an admin can edit them); these are
 * the permission names they may hold and the built-in roles the first start creates.
 */
export const PERMISSIONS = [
	'dashboard.read',
	'orders.read',
	'orders.write',
	'approvals.read',
	'approvals.decide',
	'approvals.policy',
	'production.read',
	'production.plan',
	'production.report',
	'installation.read',
	'installation.dispatch',
	'installation.report',
	'service.read',
	'service.write',
	'stock.read',
	'stock.write',
	'customers.read',
	'customers.write',
	'catalog.read',
	'catalog.write',
	'finance.read',
	'finance.write',
	'audit.read',
	'admin.users',
	'admin.settings'
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export type DataScope = 'company' | 'own';

export interface RoleDefinition {
	code: string;
	name: string;
	nameEn: string;
	scope: DataScope;
	permissions: Permission[];
}

const READ_ALL: Permission[] = [
	'dashboard.read',
	'orders.read',
	'approvals.read',
	'production.read',
	'installation.read',
	'service.read',
	'stock.read',
	'customers.read',
	'catalog.read',
	'finance.read'
];

export const BUILT_IN_ROLES: RoleDefinition[] = [
	{
		code: 'admin',
		name: '系统管理员',
		nameEn: 'Administrator',
		scope: 'company',
		permissions: [...PERMISSIONS]
	},
	{
		code: 'sales',
		name: '销售代表',
		nameEn: 'Sales rep',
		scope: 'own',
		permissions: [
			'dashboard.read',
			'orders.read',
			'orders.write',
			'approvals.read',
			'customers.read',
			'customers.write',
			'catalog.read',
			'installation.read',
			'service.read'
		]
	},
	{
		code: 'approver',
		name: '审批人',
		nameEn: 'Approver',
		scope: 'company',
		permissions: [
			'dashboard.read',
			'orders.read',
			'approvals.read',
			'approvals.decide',
			'customers.read',
			'catalog.read',
			'finance.read'
		]
	},
	{
		code: 'planner',
		name: '生产计划员',
		nameEn: 'Production planner',
		scope: 'company',
		permissions: [
			'dashboard.read',
			'orders.read',
			'production.read',
			'production.plan',
			'production.report',
			'stock.read',
			'catalog.read'
		]
	},
	{
		code: 'shopfloor',
		name: '车间工人',
		nameEn: 'Shop-floor worker',
		scope: 'company',
		permissions: ['dashboard.read', 'production.read', 'production.report']
	},
	{
		code: 'dispatcher',
		name: '安装调度员',
		nameEn: 'Installation dispatcher',
		scope: 'company',
		permissions: [
			'dashboard.read',
			'orders.read',
			'installation.read',
			'installation.dispatch',
			'service.read',
			'service.write',
			'customers.read'
		]
	},
	{
		code: 'installer',
		name: '安装/维保技术员',
		nameEn: 'Installer / technician',
		scope: 'company',
		permissions: [
			'dashboard.read',
			'installation.read',
			'installation.report',
			'service.read',
			'service.write',
			'stock.read'
		]
	},
	{
		code: 'storekeeper',
		name: '仓库管理员',
		nameEn: 'Storekeeper',
		scope: 'company',
		permissions: ['dashboard.read', 'stock.read', 'stock.write', 'production.read', 'catalog.read']
	},
	{
		code: 'finance',
		name: '财务',
		nameEn: 'Finance',
		scope: 'company',
		permissions: [
			'dashboard.read',
			'orders.read',
			'customers.read',
			'finance.read',
			'finance.write',
			'approvals.read',
			'approvals.decide'
		]
	},
	{
		code: 'manager',
		name: '经理',
		nameEn: 'Manager',
		scope: 'company',
		permissions: [...READ_ALL, 'audit.read', 'approvals.decide']
	},
	{
		// What a registered terminal or wall display acts as when no worker is signed in at it.
		code: 'display',
		name: '车间终端/看板',
		nameEn: 'Terminal / wall display',
		scope: 'company',
		permissions: ['production.read']
	}
];

/** A user's effective rights: the union of their roles' permissions; 'own' only if every role is 'own'. */
export function combineRoles(roles: { permissions: readonly string[]; scope: DataScope }[]): {
	permissions: Set<Permission>;
	scope: DataScope;
} {
	const permissions = new Set<Permission>();
	for (const r of roles)
		for (const p of r.permissions)
			if ((PERMISSIONS as readonly string[]).includes(p)) permissions.add(p as Permission);
	const scope: DataScope = roles.length > 0 && roles.every((r) => r.scope === 'own') ? 'own' : 'company';
	return { permissions, scope };
}
