import { schema } from '../db';
import { yuan } from './catalog';
import { CITIES, type City } from './cities';
import { pad, type CustomerRef, type SeedCtx } from './context';
import {
	CONTACT_TITLES,
	CUSTOMER_KINDS_WEIGHTED,
	customerName,
	jitter,
	landline,
	mobile,
	personName,
	siteName,
	streetAddress,
	taxNo,
	type CustomerKind
} from './names';
import { addDays } from './time';

interface PlannedSite {
	name: string;
	city: City;
	district: string;
	address: string;
	lat: number;
	lng: number;
}

interface PlannedCustomer {
	ref: CustomerRef;
	companyId: number;
	code: string;
	city: City;
	phone: string;
	taxNo: string | null;
	creditLimit: number;
	followUpIn: number | null;
	sites: PlannedSite[];
	contacts: { name: string; title: string; phone: string; email: string | null }[];
}

const COMPANY_SHARE = [38, 30, 32];
const CREDIT_YUAN: Record<CustomerKind, [number, number]> = {
	developer: [2_000_000, 50_000_000],
	contractor: [1_000_000, 20_000_000],
	property: [300_000, 5_000_000],
	government: [1_000_000, 30_000_000],
	hospital: [1_000_000, 15_000_000],
	other: [300_000, 8_000_000]
};

/**
 * Customers are planned in memory first: the orders pick them, and a customer's creation date
 * then precedes its first order. Ids come when `insertCustomers` writes them.
 */
export function planCustomers(ctx: SeedCtx, n: number): PlannedCustomer[] {
	const rng = ctx.rng.fork('customers');
	const total = COMPANY_SHARE.reduce((a, b) => a + b, 0);
	const out: PlannedCustomer[] = [];
	const names = new Set<string>();
	for (const company of ctx.companies) {
		const count = Math.max(company.salesReps.length, Math.round((n * COMPANY_SHARE[company.index]) / total));
		for (let j = 0; j < count; j++) {
			const kind = rng.weighted(CUSTOMER_KINDS_WEIGHTED);
			const city = CITIES[rng.weighted(company.market)];
			let name = customerName(rng, kind, city);
			for (let tries = 0; names.has(name) && tries < 20; tries++) name = customerName(rng, kind, city);
			if (names.has(name)) name = `${name}（${j + 1}）`;
			names.add(name);
			const sites: PlannedSite[] = [];
			const siteCount = rng.weighted([
				[1, 55],
				[2, 30],
				[3, 15]
			] as const);
			for (let k = 0; k < siteCount; k++) {
				const siteCity = k === 0 || rng.chance(0.7) ? city : CITIES[rng.weighted(company.market)];
				const district = rng.pick(siteCity.districts);
				sites.push({
					name: siteName(rng, kind, siteCity, district),
					city: siteCity,
					district,
					address: streetAddress(rng, district),
					...jitter(rng, siteCity)
				});
			}
			const [lo, hi] = CREDIT_YUAN[kind];
			const ownerId = company.salesReps[j % company.salesReps.length];
			const ref: CustomerRef = {
				id: 0,
				name,
				kind,
				ownerId,
				termsDays: rng.pick([30, 30, 45, 60, 90]),
				sites: [],
				orders: 0
			};
			company.customers.push(ref);
			out.push({
				ref,
				companyId: company.id,
				code: `C-${company.code}-${pad(j + 1, 5)}`,
				city,
				phone: landline(rng, city),
				taxNo: kind === 'government' ? null : taxNo(rng),
				creditLimit: yuan(Math.round(rng.float(lo, hi) / 100_000) * 100_000),
				followUpIn: rng.chance(0.4) ? rng.int(-10, 30) : null,
				sites,
				contacts: Array.from({ length: rng.int(1, 2) }, () => ({
					name: personName(rng),
					title: rng.pick(CONTACT_TITLES),
					phone: mobile(rng),
					email: rng.chance(0.5) ? `contact${rng.digits(5)}@example.cn` : null
				}))
			});
			// Sites get ids on insert; the refs are filled then.
			ref.sites = sites.map((s) => ({ id: 0, city: s.city, cityName: s.city.city, lat: s.lat, lng: s.lng }));
		}
	}
	return out;
}

const FOLLOW_UPS: ['visit' | 'call' | 'complaint' | 'note', string][] = [
	['visit', '拜访项目现场，客户计划下季度追加两台货梯'],
	['call', '电话回访，确认井道土建进度'],
	['visit', '陪同客户参观工厂样梯'],
	['call', '客户询问能量回馈装置的节能数据，已发送资料'],
	['complaint', '客户反映安装队进场时间推迟，已协调调度'],
	['complaint', '物业投诉维保响应慢，已升级处理'],
	['note', '客户采购负责人变更，新联系人已录入'],
	['note', '招标文件已下载，投标截止日前完成报价']
];

/** Writes customers, their sites and contacts; createdAt before each customer's first order. */
export function insertCustomers(
	ctx: SeedCtx,
	planned: PlannedCustomer[],
	firstOrderDay: Map<CustomerRef, string>
): void {
	const { load, clock } = ctx;
	const rng = ctx.rng.fork('customer-dates');
	const rows = planned.map((p) => {
		const first = firstOrderDay.get(p.ref) ?? clock.day(-rng.int(1, 200));
		const createdAt = clock.at(addDays(first, -rng.int(3, 90)), rng.float(9, 17));
		return {
			companyId: p.companyId,
			code: p.code,
			name: p.ref.name,
			kind: p.ref.kind,
			ownerId: p.ref.ownerId,
			city: p.city.city,
			phone: p.phone,
			taxNo: p.taxNo,
			creditLimit: p.creditLimit,
			paymentTermsDays: p.ref.termsDays,
			nextFollowUpOn: p.followUpIn === null ? null : clock.day(p.followUpIn),
			createdAt,
			updatedAt: createdAt
		};
	});
	const ids = load.insert(schema.customers, rows);
	planned.forEach((p, i) => (p.ref.id = ids[i]));
	const siteRows = planned.flatMap((p) =>
		p.sites.map((s) => ({
			customerId: p.ref.id,
			name: s.name,
			province: s.city.province,
			city: s.city.city,
			district: s.district,
			address: s.address,
			lat: s.lat,
			lng: s.lng
		}))
	);
	const siteIds = load.insert(schema.sites, siteRows);
	let k = 0;
	for (const p of planned) for (const s of p.ref.sites) s.id = siteIds[k++];
	load.add(
		schema.contacts,
		planned.flatMap((p) => p.contacts.map((c) => ({ customerId: p.ref.id, ...c })))
	);
	const followUps = planned.flatMap((p) => {
		if (!rng.chance(0.5)) return [];
		const [kind, note] = rng.pick(FOLLOW_UPS);
		return [
			{
				customerId: p.ref.id,
				kind,
				note,
				authorId: p.ref.ownerId,
				at: clock.at(clock.day(-rng.int(1, 120)), rng.float(9, 18))
			}
		];
	});
	load.add(schema.customerFollowUps, followUps);
	ctx.counts.customers = planned.length;
	ctx.counts.sites = siteRows.length;
}
