import { schema } from '../db';
import type { InvoiceStatus, OrderStatus } from '../../domain/statuses';
import { nextNumber, pad, type SeedCtx } from './context';
import type { BuiltOrder } from './orders';
import type { Rng } from './random';
import { addDays, daysBetween, minDay } from './time';

/** Deposit on approval, the main part before shipment, the rest after handover. */
const SHARES = [0.3, 0.6, 0.1];

/** How many instalments an order's status has reached. */
const REACHED: Partial<Record<OrderStatus, number>> = {
	approved: 1,
	in_production: 1,
	shipped: 2,
	installing: 2,
	handed_over: 3,
	closed: 3,
	cancelled: 1
};

type InvoiceRow = typeof schema.invoices.$inferInsert;

/** Instalment invoices and the payments received on them, for approved and later orders. */
export function seedFinance(ctx: SeedCtx, rng: Rng, orders: BuiltOrder[]): void {
	const { clock } = ctx;
	const invoices: InvoiceRow[] = [];
	const payments: {
		invoice: number;
		companyId: number;
		amount: number;
		method: 'bank_transfer' | 'acceptance_bill' | 'other';
		receivedOn: string;
		reference: string;
	}[] = [];
	const yesterday = clock.day(-1);
	for (const o of orders) {
		const s = o.sk.status;
		let reached = REACHED[s] ?? 0;
		if (s === 'cancelled' && !o.t.cancelledAfterApproval) reached = 0;
		if (reached === 0) continue;
		const net = o.subtotal - o.discountAmount;
		const nets = [Math.round(net * SHARES[0]), Math.round(net * SHARES[1])];
		nets.push(net - nets[0] - nets[1]);
		const taxes = [Math.round(o.taxAmount * SHARES[0]), Math.round(o.taxAmount * SHARES[1])];
		taxes.push(o.taxAmount - taxes[0] - taxes[1]);
		const issueDays = [
			clock.dayOf(o.t.approvedAt!),
			o.t.shipDay ? addDays(o.t.shipDay, -rng.int(0, 5)) : null,
			o.t.handoverDay ? minDay(addDays(o.t.handoverDay, rng.int(0, 5)), yesterday) : null
		];
		// An order in production may already have its second invoice drafted.
		const drafts = s === 'in_production' && rng.chance(0.3) ? 1 : 0;
		for (let i = 0; i < reached + drafts; i++) {
			const draft = i >= reached;
			const issuedOn = draft ? null : issueDays[i]!;
			const dueOn = issuedOn ? addDays(issuedOn, o.sk.customer.termsDays) : null;
			const total = nets[i] + taxes[i];
			let status: InvoiceStatus = draft ? 'draft' : 'issued';
			let paid = 0;
			if (s === 'cancelled') status = 'void';
			else if (issuedOn) {
				// Old invoices are mostly paid; recent ones often not yet; some go overdue.
				const age = daysBetween(issuedOn, clock.today);
				const pPaid = s === 'closed' ? 1 : age > 120 ? 0.9 : age > 45 ? 0.7 : 0.35;
				if (rng.chance(pPaid)) paid = total;
				else if (rng.chance(0.25)) paid = Math.round(total * rng.float(0.3, 0.7));
				status = paid === total && total > 0 ? 'paid' : paid > 0 ? 'partially_paid' : 'issued';
			}
			const index = invoices.length;
			const year = (issuedOn ?? clock.today).slice(0, 4);
			const company = o.sk.company;
			invoices.push({
				companyId: company.id,
				number: `INV-${company.code}-${year}-${pad(nextNumber(ctx, `INV-${company.code}-${year}`), 6)}`,
				orderId: o.id!,
				customerId: o.sk.customer.id,
				status,
				instalmentNo: i + 1,
				instalmentCount: 3,
				issuedOn,
				dueOn,
				netAmount: nets[i],
				taxAmount: taxes[i],
				totalAmount: total,
				paidAmount: paid,
				createdAt: clock.at(issuedOn ?? clock.day(-1), 10),
				updatedAt: clock.at(issuedOn ?? clock.day(-1), 10)
			});
			if (paid > 0) {
				const split =
					paid === total && rng.chance(0.15) ? [Math.round(paid / 2), paid - Math.round(paid / 2)] : [paid];
				for (const amount of split) {
					const latest = Math.max(0, daysBetween(issuedOn!, yesterday));
					const receivedOn = addDays(issuedOn!, Math.min(latest, rng.int(3, o.sk.customer.termsDays + 20)));
					const method = rng.weighted([
						['bank_transfer', 70],
						['acceptance_bill', 25],
						['other', 5]
					] as const);
					payments.push({
						invoice: index,
						companyId: company.id,
						amount,
						method,
						receivedOn,
						reference: `${method === 'acceptance_bill' ? 'CD' : 'BT'}${receivedOn.replace(/-/g, '')}${rng.digits(6)}`
					});
				}
			}
		}
	}
	const ids = ctx.load.insert(schema.invoices, invoices);
	ctx.load.add(
		schema.payments,
		payments.map((p) => ({
			companyId: p.companyId,
			invoiceId: ids[p.invoice],
			amount: p.amount,
			method: p.method,
			receivedOn: p.receivedOn,
			reference: p.reference
		}))
	);
	ctx.counts.invoices += invoices.length;
	ctx.counts.payments += payments.length;
}
