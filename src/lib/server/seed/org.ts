import { schema, type Conn } from '../db';
import { BUILT_IN_ROLES } from '../../domain/permissions';
import { CITIES } from './cities';
import { COMPANIES, CREWS, GROUP_NAME } from './companies';
import { mobile, personName } from './names';
import type { CompanyRef, SeedCtx } from './context';

/**
 * Creates the built-in roles that are missing (by code) and leaves existing ones alone, so an
 * admin's edits survive; returns code → id of every role. Safe inside a transaction.
 */
export async function ensureRoles(db: Conn): Promise<Record<string, number>> {
	await db
		.insert(schema.roles)
		.values(
			BUILT_IN_ROLES.map((r) => ({
				code: r.code,
				name: r.name,
				nameEn: r.nameEn,
				scope: r.scope,
				permissions: [...r.permissions]
			}))
		)
		.onConflictDoNothing({ target: schema.roles.code });
	const all = await db.select({ id: schema.roles.id, code: schema.roles.code }).from(schema.roles);
	return Object.fromEntries(all.map((r) => [r.code, r.id]));
}

interface StaffDef {
	username: string;
	name: string;
	roles: string[];
	home: string;
	/** Company codes granted; 'all' for the whole group. */
	grants: 'all' | string[];
	locale?: 'zh-CN' | 'en';
	/** Shop-floor workers: the badge that signs them in at a terminal (with the demo PIN). */
	badge?: string;
}

/** The demo accounts; the usernames are relied on by the docs and the tests. */
const STAFF: StaffDef[] = [
	{ username: 'admin', name: '周建国', roles: ['admin'], home: 'SH', grants: 'all' },
	{ username: 'sales1', name: '王伟', roles: ['sales'], home: 'SH', grants: ['SH'] },
	{ username: 'sales2', name: '李娜', roles: ['sales'], home: 'SH', grants: ['SH'] },
	{ username: 'sales3', name: '张敏', roles: ['sales'], home: 'SZ', grants: ['SZ'] },
	{ username: 'sales4', name: '刘洋', roles: ['sales'], home: 'SZ', grants: ['SZ'] },
	{ username: 'sales5', name: '陈静', roles: ['sales'], home: 'GZ', grants: ['GZ'] },
	{ username: 'sales6', name: '杨帆', roles: ['sales'], home: 'GZ', grants: ['GZ'] },
	{ username: 'approver1', name: '赵丽华', roles: ['approver'], home: 'SH', grants: 'all' },
	{ username: 'approver2', name: '黄志强', roles: ['approver'], home: 'GZ', grants: 'all', locale: 'en' },
	{ username: 'planner1', name: '吴海涛', roles: ['planner'], home: 'SH', grants: 'all' },
	{ username: 'shopfloor1', name: '孙强', roles: ['shopfloor'], home: 'SH', grants: 'all', badge: 'B10001' },
	{ username: 'shopfloor2', name: '钱丽', roles: ['shopfloor'], home: 'SH', grants: ['SH'], badge: 'B10002' },
	{ username: 'shopfloor3', name: '冯涛', roles: ['shopfloor'], home: 'SH', grants: ['SH'], badge: 'B10003' },
	{ username: 'dispatcher1', name: '徐晓东', roles: ['dispatcher'], home: 'SH', grants: 'all' },
	{ username: 'storekeeper1', name: '郑红梅', roles: ['storekeeper'], home: 'SZ', grants: 'all' },
	{ username: 'finance1', name: '马秀兰', roles: ['finance'], home: 'SH', grants: 'all' },
	{ username: 'manager1', name: '朱国强', roles: ['manager'], home: 'SH', grants: 'all' },
	// A manager responsible for exactly one company of the group: sees it and nothing else.
	{ username: 'scoped1', name: '胡建华', roles: ['manager'], home: 'SZ', grants: ['SZ'] }
];

/** installerN belongs to crew floor((N-1)/2): two technicians per crew. */
export const TECHNICIANS = 12;

export function seedOrg(ctx: SeedCtx, passwordHash: string, pinHash: string): void {
	const { load, rng } = ctx;
	const [groupId] = load.insert(schema.companyGroups, [{ name: GROUP_NAME }]);
	const companyIds = load.insert(
		schema.companies,
		COMPANIES.map((c) => ({
			groupId,
			code: c.code,
			name: c.name,
			nameEn: c.nameEn,
			city: CITIES[c.city].city,
			address: c.address,
			taxNo: c.taxNo,
			phone: c.phone
		}))
	);
	ctx.companies = COMPANIES.map((c, index): CompanyRef => ({
		id: companyIds[index],
		code: c.code,
		index,
		city: CITIES[c.city],
		market: c.market,
		salesReps: [],
		warehouses: [],
		items: new Map(),
		crews: [],
		routings: new Map(),
		customers: []
	}));
	load.add(
		schema.branches,
		COMPANIES.flatMap((c, i) =>
			c.branches.map((b) => ({
				companyId: companyIds[i],
				code: b.code,
				name: b.name,
				city: CITIES[b.city].city,
				lat: CITIES[b.city].lat,
				lng: CITIES[b.city].lng
			}))
		)
	);
	ctx.counts.companies = COMPANIES.length;

	const byCode = new Map(ctx.companies.map((c) => [c.code, c]));
	const staff: StaffDef[] = [...STAFF];
	const techRng = rng.fork('technicians');
	for (let n = 1; n <= TECHNICIANS; n++) {
		const crew = CREWS[Math.floor((n - 1) / 2)];
		staff.push({
			username: `installer${n}`,
			name: n === 1 ? '何永刚' : personName(techRng),
			roles: ['installer'],
			home: crew.company,
			grants: 'all'
		});
	}
	const phoneRng = rng.fork('staff-phones');
	const userIds = load.insert(
		schema.users,
		staff.map((s) => ({
			username: s.username,
			displayName: s.name,
			email: `${s.username}@huati-elevator.example.cn`,
			phone: mobile(phoneRng),
			passwordHash,
			badgeCode: s.badge ?? null,
			pinHash: s.badge ? pinHash : null,
			locale: s.locale ?? 'zh-CN',
			homeCompanyId: byCode.get(s.home)!.id
		}))
	);
	const userRoles: { userId: number; roleId: number }[] = [];
	const grants: { userId: number; companyId: number }[] = [];
	staff.forEach((s, i) => {
		const userId = userIds[i];
		ctx.users[s.username] = userId;
		for (const r of s.roles) userRoles.push({ userId, roleId: ctx.roles[r] });
		const codes = s.grants === 'all' ? COMPANIES.map((c) => c.code) : s.grants;
		for (const code of codes) grants.push({ userId, companyId: byCode.get(code)!.id });
		if (s.roles.includes('sales')) byCode.get(s.home)!.salesReps.push(userId);
	});
	load.add(schema.userRoles, userRoles);
	load.add(schema.userCompanyGrants, grants);
	ctx.counts.users = staff.length;
}
