import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { drivers, useDatabase, actorOf, query, scalar, userId } from './db';
import { openTicket, getTicket } from '../../src/lib/server/services/tickets';
import { moveTicket } from '../../src/lib/server/services/tickets-flow';
import { assignTicket, ticketCandidates } from '../../src/lib/server/services/tickets-assign';
import { addPart, issuePart, partOptions, releasePart } from '../../src/lib/server/services/tickets-parts';
import { lookupUnits } from '../../src/lib/server/services/unit-lookup';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../src/lib/server/errors';
import { m } from '../../src/lib/paraglide/messages';
import type { Db } from '../../src/lib/server/db';
import type { Actor } from '../../src/lib/server/authz';

/**
 * Service tickets on a real database: opening from a call with auto-assignment and its reason,
 * refusals that write nothing, the status flow with versions, re-assignment, parts through the
 * stock model, and finding the unit.
 */
describe.each(drivers)('service tickets (%s)', (driver) => {
	const t = useDatabase(driver);
	let db: Db;
	let dispatcher: Actor;
	let tech: Actor;
	let scoped: Actor;
	let sh: number;
	let unit: { id: number; serial: string; address: string; city: string };
	let shTechs: Record<string, number>;
	const zh = { locale: 'zh-CN' as const };

	const call = (over: Record<string, unknown> = {}) => ({
		unitId: unit.id,
		kind: 'fault',
		priority: 'trapped',
		description: '电梯困人，轿厢内 2 人',
		reportedBy: '李先生（物业）',
		reporterPhone: '138 1234 5678',
		...over
	});
	const ticketCount = () => scalar(db, sql`select count(*) from service_tickets`);
	const eventCount = () => scalar(db, sql`select count(*) from events where entity = 'service_ticket'`);

	/** The rescue certificate of the company's technicians: valid, expired or absent, per username. */
	async function rescue(certs: Record<string, 'valid' | 'expired' | 'none'>) {
		const skill = await scalar(db, sql`select id from skills where code = 'rescue'`);
		for (const [username, state] of Object.entries(certs)) {
			const uid = shTechs[username];
			await query(db, sql`delete from technician_skills where user_id = ${uid} and skill_id = ${skill}`);
			if (state !== 'none')
				await query(
					db,
					sql`insert into technician_skills (user_id, skill_id, certificate_no, certificate_expires_on)
						values (${uid}, ${skill}, 'TS31-2024-000001', ${state === 'valid' ? '2099-12-31' : '2020-01-01'})`
				);
		}
	}

	beforeAll(async () => {
		db = t.db;
		sh = await scalar(db, sql`select id from companies where code = 'SH'`);
		dispatcher = await actorOf(db, 'dispatcher1', { locale: 'zh-CN' });
		tech = await actorOf(db, 'installer1', { locale: 'zh-CN' });
		scoped = await actorOf(db, 'scoped1'); // company SZ only
		shTechs = Object.fromEntries(
			await Promise.all(
				['installer1', 'installer2', 'installer3', 'installer4'].map(async (u) => [u, await userId(db, u)])
			)
		);
		// A unit in service in Shanghai, with a located site.
		const [u] = await query<{ id: number; serial_no: string; address: string; city: string }>(
			db,
			sql`select u.id, u.serial_no, s.address, s.city from units u join sites s on s.id = u.site_id
				where u.company_id = ${sh} and u.status in ('handed_over', 'in_service') and s.lat is not null and s.city like '上海%'
				order by u.id limit 1`
		);
		unit = { id: Number(u.id), serial: u.serial_no, address: u.address, city: u.city };
		// Hangzhou's crew (installer3/4) is ~170 km from Shanghai; only installer3 may rescue.
		await rescue({ installer1: 'expired', installer2: 'none', installer3: 'valid', installer4: 'none' });
	});

	it('opens a trapped-passenger call assigned at once to the nearest technician with a valid rescue certificate, with the reason', async () => {
		const before = await eventCount();
		const ticket = await openTicket({ db, actor: dispatcher }, call());
		expect(ticket).toMatchObject({
			status: 'assigned',
			kind: 'fault',
			priority: 'trapped',
			technicianId: shTechs.installer3,
			unitId: unit.id
		});
		expect(ticket.number).toMatch(/^ST-SH-\d{4}-\d{6}$/);
		expect(new Date(ticket.respondBy).getTime() - new Date(ticket.createdAt).getTime()).toBe(30 * 60_000);
		expect(ticket.assignmentReason).toContain('持有困人救援证');
		expect(ticket.assignmentReason).toMatch(/距离 1\d\d km/);
		expect(ticket.assignmentReason).toMatch(/手上(没有工单| \d+ 张工单)/);
		const [event] = await query<{
			type: string;
			topic: string;
			payload: { status: string; technicianId: number; lat: number };
		}>(
			db,
			sql`select type, topic, payload from events where entity = 'service_ticket' and entity_id = ${ticket.id}`
		);
		expect(event).toMatchObject({
			type: 'service_ticket.created',
			topic: 'service',
			payload: { status: 'assigned', technicianId: shTechs.installer3 }
		});
		expect(typeof event.payload.lat).toBe('number');
		expect(await eventCount()).toBe(before + 1);
		// The candidates say why the others may not take it.
		const { candidates } = await ticketCandidates({ db, actor: dispatcher }, ticket.id);
		expect(candidates[0]).toMatchObject({ userId: shTechs.installer3, eligible: true, current: true });
		const expired = candidates.find((c) => c.userId === shTechs.installer1)!;
		expect(expired.eligible).toBe(false);
		expect(expired.reason).toContain('困人救援证已于 2020-01-01 过期');
		expect(candidates.find((c) => c.userId === shTechs.installer2)!.reason).toContain('没有困人救援技能');
	});

	it('keeps a ticket nobody may take as new, saying why', async () => {
		await rescue({ installer3: 'expired' });
		try {
			const ticket = await openTicket({ db, actor: dispatcher }, call());
			expect(ticket).toMatchObject({ status: 'new', technicianId: null, crewId: null });
			expect(ticket.assignmentReason).toBe('无人可派：没有持有有效困人救援证的技术员');
		} finally {
			await rescue({ installer3: 'valid' });
		}
	});

	it('refuses an unknown unit, a unit of a company the user does not see, and a bad phone, writing nothing', async () => {
		const [tickets, events] = [await ticketCount(), await eventCount()];
		const unknown = await openTicket({ db, actor: dispatcher }, call({ unitId: 99_999_999 })).catch((e) => e);
		expect(unknown).toBeInstanceOf(ValidationError);
		expect(unknown.message).toBe(m.svc_unit_unknown({ id: 99_999_999 }, zh));
		expect(unknown.issues[0].path).toBe('unitId');
		const other = await openTicket(
			{ db, actor: { ...dispatcher, companyIds: [scoped.companyIds[0]] } },
			call()
		).catch((e) => e);
		expect(other).toBeInstanceOf(ValidationError);
		for (const phone of ['12345', '2381234567', 'abc', '']) {
			const bad = await openTicket({ db, actor: dispatcher }, call({ reporterPhone: phone })).catch((e) => e);
			expect(bad, phone).toBeInstanceOf(ValidationError);
			expect(bad.issues.map((i: { path: string }) => i.path)).toContain('reporterPhone');
		}
		const phoneMessage = await openTicket({ db, actor: dispatcher }, call({ reporterPhone: '12345' })).catch(
			(e) => e
		);
		expect(phoneMessage.issues[0].message).toBe(m.svc_phone_invalid({}, zh));
		// Landlines with area code, +86 mobiles and 400 numbers are fine.
		for (const phone of ['021-6234 5678', '+86 139 0000 1111', '0755-86001234', '400-820-8820']) {
			const ok = await openTicket(
				{ db, actor: dispatcher },
				call({ reporterPhone: phone, priority: 'low', kind: 'complaint' })
			);
			expect(ok.reporterPhone).toBe(phone);
		}
		expect(await ticketCount()).toBe(tickets + 4);
		expect(await eventCount()).toBe(events + 4);
		// Reading needs service.read; opening service.write.
		const noWrite = await openTicket({ db, actor: scoped }, call()).catch((e) => e);
		expect(noWrite).toBeInstanceOf(ForbiddenError);
	});

	it('moves through the flow to closed with the rating; wrong steps and stale versions are refused with clear messages', async () => {
		const opened = await openTicket({ db, actor: dispatcher }, call({ priority: 'urgent' }));
		const ctx = { db, actor: tech };
		// Skipping ahead: a clear message naming what can come next.
		const skip = await moveTicket(ctx, opened.id, {
			to: 'resolved',
			version: opened.version,
			resolution: 'x'
		}).catch((e) => e);
		expect(skip).toBeInstanceOf(ValidationError);
		expect(skip.message).toBe(
			m.svc_bad_transition(
				{
					from: m.ticket_assigned({}, zh),
					to: m.ticket_resolved({}, zh),
					next: `${m.ticket_en_route({}, zh)} / ${m.ticket_on_site({}, zh)}`
				},
				zh
			)
		);
		const enRoute = await moveTicket(ctx, opened.id, { to: 'en_route', version: opened.version });
		expect(enRoute).toMatchObject({ status: 'en_route', version: opened.version + 1 });
		expect(enRoute.enRouteAt).not.toBeNull();
		// The same click again with the old version: a conflict carrying the ticket as it is now and who changed it.
		const stale = await moveTicket({ db, actor: dispatcher }, opened.id, {
			to: 'en_route',
			version: opened.version
		}).catch((e) => e);
		expect(stale).toBeInstanceOf(ConflictError);
		expect(stale.current).toMatchObject({
			status: 'en_route',
			version: enRoute.version,
			lastChange: { type: 'service_ticket.en_route', actorName: tech.displayName }
		});
		const onSite = await moveTicket(ctx, opened.id, { to: 'on_site', version: enRoute.version });
		expect(onSite.arrivedAt).not.toBeNull();
		const noNote = await moveTicket(ctx, opened.id, {
			to: 'resolved',
			version: onSite.version,
			resolution: '  '
		}).catch((e) => e);
		expect(noNote).toBeInstanceOf(ValidationError);
		expect(noNote.issues[0]).toEqual({ path: 'resolution', message: m.svc_resolution_required({}, zh) });
		const resolved = await moveTicket(ctx, opened.id, {
			to: 'resolved',
			version: onSite.version,
			resolution: '更换门机皮带，试运行正常'
		});
		expect(resolved).toMatchObject({ status: 'resolved', resolution: '更换门机皮带，试运行正常' });
		for (const rating of [undefined, 0, 6, 3.5, 'x']) {
			const bad = await moveTicket(ctx, opened.id, { to: 'closed', version: resolved.version, rating }).catch(
				(e) => e
			);
			expect(bad, String(rating)).toBeInstanceOf(ValidationError);
			expect(bad.message).toContain(m.svc_rating_range({}, zh));
		}
		const closed = await moveTicket(ctx, opened.id, {
			to: 'closed',
			version: resolved.version,
			rating: 5,
			ratingComment: '师傅很专业'
		});
		expect(closed).toMatchObject({ status: 'closed', rating: 5, ratingComment: '师傅很专业' });
		expect(closed.closedAt).not.toBeNull();
		const after = await moveTicket(ctx, opened.id, { to: 'on_site', version: closed.version }).catch(
			(e) => e
		);
		expect(after).toBeInstanceOf(ValidationError);
		const types = await query<{ type: string }>(
			db,
			sql`select type from events where entity = 'service_ticket' and entity_id = ${opened.id} order by id`
		);
		expect(types.map((r) => r.type)).toEqual([
			'service_ticket.created',
			'service_ticket.en_route',
			'service_ticket.on_site',
			'service_ticket.resolved',
			'service_ticket.closed'
		]);
		const detail = await getTicket({ db, actor: dispatcher }, opened.id);
		expect(detail.history.map((h) => h.type)).toEqual(types.map((r) => r.type).reverse());
		// Another company's user: not found, not forbidden.
		await expect(getTicket({ db, actor: scoped }, opened.id)).rejects.toBeInstanceOf(NotFoundError);
	});

	it('re-assigns to an eligible technician only, with the dispatcher named in the reason', async () => {
		await rescue({ installer1: 'valid' });
		try {
			const opened = await openTicket({ db, actor: dispatcher }, call());
			const other = opened.technicianId === shTechs.installer1 ? shTechs.installer3 : shTechs.installer1;
			const uncertified = await assignTicket({ db, actor: dispatcher }, opened.id, {
				technicianId: shTechs.installer2,
				version: opened.version
			}).catch((e) => e);
			expect(uncertified).toBeInstanceOf(ValidationError);
			expect(uncertified.message).toMatch(/^不能派给.+：没有困人救援技能/);
			const stranger = await assignTicket({ db, actor: dispatcher }, opened.id, {
				technicianId: await userId(db, 'planner1'),
				version: opened.version
			}).catch((e) => e);
			expect(stranger.message).toBe(m.svc_assign_not_technician({}, zh));
			const moved = await assignTicket({ db, actor: dispatcher }, opened.id, {
				technicianId: other,
				version: opened.version
			});
			expect(moved).toMatchObject({ status: 'assigned', technicianId: other, version: opened.version + 1 });
			expect(moved.assignmentReason).toMatch(new RegExp(`^${dispatcher.displayName} 改派：持有困人救援证`));
			const onSite = await moveTicket({ db, actor: tech }, opened.id, {
				to: 'on_site',
				version: moved.version
			});
			const late = await assignTicket({ db, actor: dispatcher }, opened.id, {
				technicianId: opened.technicianId!,
				version: onSite.version
			}).catch((e) => e);
			expect(late.message).toBe(m.svc_reassign_too_late({ status: m.ticket_on_site({}, zh) }, zh));
		} finally {
			await rescue({ installer1: 'expired' });
		}
	});

	describe('parts', () => {
		type Level = { on_hand: number; reserved: number };
		const levelOf = async (itemId: number, warehouseId: number) =>
			(
				await query<Level>(
					db,
					sql`select on_hand, reserved from stock_levels where item_id = ${itemId} and warehouse_id = ${warehouseId}`
				)
			)[0];
		let item: { id: number; warehouse: number; avgCost: number };

		beforeAll(async () => {
			const [r] = await query<{ item_id: number; warehouse_id: number; avg_cost: number }>(
				db,
				sql`select l.item_id, l.warehouse_id, i.avg_cost from stock_levels l join items i on i.id = l.item_id
					where l.company_id = ${sh} and i.category = 'spare' order by l.item_id, l.warehouse_id limit 1`
			);
			item = { id: Number(r.item_id), warehouse: Number(r.warehouse_id), avgCost: Number(r.avg_cost) };
			// A known stock: 5 on hand, none reserved, in that one warehouse only for the test's item.
			await query(
				db,
				sql`update stock_levels set on_hand = 5, reserved = 0 where item_id = ${item.id} and warehouse_id = ${item.warehouse}`
			);
			await query(
				db,
				sql`update stock_levels set on_hand = 0, reserved = 0 where item_id = ${item.id} and warehouse_id <> ${item.warehouse}`
			);
		});

		it('reserves, issues and releases through the stock model; not enough free stock is refused with nothing written', async () => {
			const ctx = { db, actor: tech };
			let ticket = await openTicket({ db, actor: dispatcher }, call({ priority: 'high' }));
			const options = await partOptions(ctx, ticket.id, { q: '' });
			expect(options.some((o) => o.itemId === item.id && o.free === 5)).toBe(true);

			ticket = await addPart(ctx, ticket.id, { itemId: item.id, qty: 3, version: ticket.version });
			expect(await levelOf(item.id, item.warehouse)).toEqual({ on_hand: 5, reserved: 3 });
			const [reservation] = await query<{ status: string; reference: string; qty: number }>(
				db,
				sql`select status, reference, qty from stock_reservations where reference = ${ticket.number}`
			);
			expect(reservation).toEqual({ status: 'open', reference: ticket.number, qty: 3 });

			// 2 free left: asking 3 more is refused, and nothing changes.
			const counts = async () => [
				await scalar(db, sql`select count(*) from stock_reservations`),
				await scalar(db, sql`select count(*) from ticket_parts`),
				await eventCount()
			];
			const before = await counts();
			const short = await addPart(ctx, ticket.id, { itemId: item.id, qty: 3, version: ticket.version }).catch(
				(e) => e
			);
			expect(short).toBeInstanceOf(ValidationError);
			expect(short.message).toMatch(/^库存不足：.+ 可用 2，需要 3$/);
			expect(await counts()).toEqual(before);
			expect(await levelOf(item.id, item.warehouse)).toEqual({ on_hand: 5, reserved: 3 });
			expect((await getTicket(ctx, ticket.id)).ticket.version).toBe(ticket.version);

			ticket = await addPart(ctx, ticket.id, { itemId: item.id, qty: 2, version: ticket.version });
			expect(await levelOf(item.id, item.warehouse)).toEqual({ on_hand: 5, reserved: 5 });
			const [first, second] = (await getTicket(ctx, ticket.id)).parts;
			expect([first.qty, second.qty, first.reservationStatus]).toEqual([3, 2, 'open']);

			// Closing with reserved parts not issued is refused.
			ticket = await moveTicket(ctx, ticket.id, { to: 'on_site', version: ticket.version });
			ticket = await moveTicket(ctx, ticket.id, {
				to: 'resolved',
				version: ticket.version,
				resolution: '更换'
			});
			const pending = await moveTicket(ctx, ticket.id, {
				to: 'closed',
				version: ticket.version,
				rating: 4
			}).catch((e) => e);
			expect(pending.message).toBe(m.svc_close_parts_pending({ n: 2 }, zh));

			ticket = await issuePart(ctx, ticket.id, first.id, { version: ticket.version });
			expect(await levelOf(item.id, item.warehouse)).toEqual({ on_hand: 2, reserved: 2 });
			const [movement] = await query<{ kind: string; qty: number; unit_cost: number; reference: string }>(
				db,
				sql`select kind, qty, unit_cost, reference from stock_movements where reference = ${`ticket:${ticket.id}`}`
			);
			expect({ ...movement, unit_cost: Number(movement.unit_cost) }).toEqual({
				kind: 'issue',
				qty: -3,
				unit_cost: item.avgCost,
				reference: `ticket:${ticket.id}`
			});
			expect(await scalar(db, sql`select avg_cost from items where id = ${item.id}`)).toBe(item.avgCost);
			const again = await issuePart(ctx, ticket.id, first.id, { version: ticket.version }).catch((e) => e);
			expect(again.message).toBe(m.svc_part_already_issued({}, zh));
			const cannotDrop = await releasePart(ctx, ticket.id, first.id, { version: ticket.version }).catch(
				(e) => e
			);
			expect(cannotDrop).toBeInstanceOf(ValidationError);

			ticket = await releasePart(ctx, ticket.id, second.id, { version: ticket.version });
			expect(await levelOf(item.id, item.warehouse)).toEqual({ on_hand: 2, reserved: 0 });
			const statuses = await query<{ status: string }>(
				db,
				sql`select status from stock_reservations where reference = ${ticket.number} order by id`
			);
			expect(statuses.map((s) => s.status)).toEqual(['issued', 'released']);
			const detail = await getTicket(ctx, ticket.id);
			expect(detail.parts).toHaveLength(1);
			expect(detail.parts[0]).toMatchObject({
				qty: 3,
				reservationStatus: 'issued',
				issuedByName: tech.displayName
			});

			ticket = await moveTicket(ctx, ticket.id, { to: 'closed', version: ticket.version, rating: 4 });
			const closedParts = await addPart(ctx, ticket.id, {
				itemId: item.id,
				qty: 1,
				version: ticket.version
			}).catch((e) => e);
			expect(closedParts.message).toBe(m.svc_parts_closed({ status: m.ticket_closed({}, zh) }, zh));
		});

		it('never reserves the same last pieces twice when two tickets ask at once', async () => {
			await query(
				db,
				sql`update stock_levels set on_hand = 4, reserved = 0 where item_id = ${item.id} and warehouse_id = ${item.warehouse}`
			);
			const [a, b] = await Promise.all([
				openTicket({ db, actor: dispatcher }, call({ priority: 'high' })),
				openTicket({ db, actor: dispatcher }, call({ priority: 'high' }))
			]);
			const results = await Promise.allSettled([
				addPart({ db, actor: tech }, a.id, {
					itemId: item.id,
					qty: 3,
					warehouseId: item.warehouse,
					version: a.version
				}),
				addPart({ db, actor: tech }, b.id, {
					itemId: item.id,
					qty: 3,
					warehouseId: item.warehouse,
					version: b.version
				})
			]);
			expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
			const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
			expect(refused.reason).toBeInstanceOf(ValidationError);
			expect(await levelOf(item.id, item.warehouse)).toEqual({ on_hand: 4, reserved: 3 });
		});

		it('refuses an item of another company', async () => {
			const ticket = await openTicket({ db, actor: dispatcher }, call({ priority: 'low' }));
			const foreign = await scalar(
				db,
				sql`select id from items where company_id <> ${sh} order by id limit 1`
			);
			const e = await addPart({ db, actor: tech }, ticket.id, {
				itemId: foreign,
				qty: 1,
				version: ticket.version
			}).catch((x) => x);
			expect(e.message).toBe(m.svc_part_unknown({}, zh));
		});
	});

	describe('finding the unit', () => {
		it('finds it by the controller QR, the exact serial, the start of it, and address words', async () => {
			const ctx = { db, actor: dispatcher };
			const qr = await lookupUnits(ctx, { q: `EOU:${unit.serial}` });
			expect(qr).toMatchObject({ by: 'qr', message: null });
			expect(qr.units.map((u) => u.id)).toEqual([unit.id]);
			expect(qr.units[0]).toMatchObject({ serialNo: unit.serial, address: unit.address });
			expect(qr.units[0].openTickets.length).toBeGreaterThan(0);
			expect((await lookupUnits(ctx, { q: unit.serial.toLowerCase() })).units.map((u) => u.id)).toEqual([
				unit.id
			]);
			// The last digit left off: up to ten serials start so.
			const prefix = await lookupUnits(ctx, { q: unit.serial.slice(0, -1) });
			expect(prefix.by).toBe('serial');
			expect(prefix.units.map((u) => u.id)).toContain(unit.id);
			expect(prefix.units.every((u) => u.serialNo.startsWith(unit.serial.slice(0, -1)))).toBe(true);
			const words = await lookupUnits(ctx, { q: unit.address.slice(0, 6) });
			expect(words.by).toBe('text');
			expect(words.units.map((u) => u.id)).toContain(unit.id);
		});

		it('says clearly when nothing matches, and never shows a unit of a company the user does not see', async () => {
			const none = await lookupUnits({ db, actor: dispatcher }, { q: 'EL-1999-0000000' });
			expect(none.units).toEqual([]);
			expect(none.message).toBe(m.svc_lookup_none({ q: 'EL-1999-0000000' }, zh));
			const hidden = await lookupUnits({ db, actor: scoped }, { q: `EOU:${unit.serial}` });
			expect(hidden.units).toEqual([]);
			expect(await lookupUnits({ db, actor: dispatcher }, { q: '  ' })).toMatchObject({
				units: [],
				message: null
			});
			await expect(lookupUnits({ db, actor: dispatcher }, { q: 'x'.repeat(101) })).rejects.toBeInstanceOf(
				ValidationError
			);
		});
	});
});
