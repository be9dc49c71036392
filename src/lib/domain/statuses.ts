/**
 * Every status list of the domain, in one place: the schema's check constraints, the
 * validation schemas, the filters and the UI labels all read them from here.
 */
export const ORDER_STATUSES = [
	'draft',
	'submitted',
	'in_approval',
	'approved',
	'in_production',
	'shipped',
	'installing',
	'handed_over',
	'closed',
	'rejected',
	'cancelled'
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Statuses in which an approved order can still be changed or cancelled (through approval again). */
export const CHANGEABLE_STATUSES = [
	'approved',
	'in_production',
	'shipped',
	'installing'
] as const satisfies readonly OrderStatus[];

export const PRIORITIES = ['normal', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const UNIT_STATUSES = [
	'planned',
	'in_production',
	'produced',
	'shipped',
	'installing',
	'installed',
	'handed_over',
	'in_service'
] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];

export const APPROVAL_STEP_STATUSES = [
	'waiting',
	'pending',
	'approved',
	'rejected',
	'returned',
	'skipped'
] as const;
export type ApprovalStepStatus = (typeof APPROVAL_STEP_STATUSES)[number];

export const APPROVAL_MODES = ['any', 'all', 'quorum'] as const;
export type ApprovalMode = (typeof APPROVAL_MODES)[number];

export const WORK_ORDER_STATUSES = [
	'planned',
	'released',
	'in_progress',
	'paused',
	'done',
	'cancelled'
] as const;
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number];

export const STEP_STATUSES = ['pending', 'ready', 'in_progress', 'paused', 'done', 'blocked'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const INSTALLATION_STATUSES = [
	'unassigned',
	'assigned',
	'in_progress',
	'inspection',
	'handed_over',
	'cancelled'
] as const;
export type InstallationStatus = (typeof INSTALLATION_STATUSES)[number];

export const INSTALLATION_STAGES = [
	'survey',
	'guide_rails',
	'machine',
	'wiring',
	'commissioning',
	'inspection',
	'handover'
] as const;
export type InstallationStage = (typeof INSTALLATION_STAGES)[number];

export const TICKET_STATUSES = ['new', 'assigned', 'en_route', 'on_site', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_KINDS = ['fault', 'maintenance', 'inspection', 'complaint'] as const;
export type TicketKind = (typeof TICKET_KINDS)[number];

/** 'trapped' is a passenger trapped in a car: the highest priority with the shortest response target. */
export const TICKET_PRIORITIES = ['trapped', 'urgent', 'high', 'normal', 'low'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

export const MOVEMENT_KINDS = [
	'receipt',
	'issue',
	'transfer_in',
	'transfer_out',
	'adjustment',
	'count'
] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

export const INVOICE_STATUSES = ['draft', 'issued', 'partially_paid', 'paid', 'void'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export const CUSTOMER_KINDS = [
	'developer',
	'contractor',
	'property',
	'government',
	'hospital',
	'other'
] as const;
export type CustomerKind = (typeof CUSTOMER_KINDS)[number];

export const ITEM_CATEGORIES = [
	'mechanical',
	'electrical',
	'door',
	'car',
	'safety',
	'consumable',
	'spare'
] as const;
export type ItemCategory = (typeof ITEM_CATEGORIES)[number];

/** Registered shop-floor devices: a terminal belongs to a station (work centre), a wall display to a company. */
export const DEVICE_KINDS = ['terminal', 'wall'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/** Production alerts: an andon raised from a terminal, a step running late against the plan, missing material. */
export const ALERT_KINDS = ['andon', 'late_step', 'shortage'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_STATUSES = ['open', 'acknowledged', 'closed'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** Why a worker pulled the andon. */
export const ANDON_REASONS = ['material', 'quality', 'equipment', 'drawing', 'safety', 'other'] as const;
export type AndonReason = (typeof ANDON_REASONS)[number];

/** What a terminal may do to a step; 'problem' raises an andon and blocks the step. */
export const TERMINAL_ACTIONS = ['start', 'pause', 'finish', 'problem'] as const;
export type TerminalAction = (typeof TERMINAL_ACTIONS)[number];

/** The production stages a routing is made of (routing_stages.stage, work_order_steps.stage); labels `pstage_<code>`. */
export const PRODUCTION_STAGES = [
	'car_frame',
	'car_doors',
	'traction_machine',
	'control_cabinet',
	'guide_rails',
	'wiring',
	'final_test',
	'packing'
] as const;
export type ProductionStage = (typeof PRODUCTION_STAGES)[number];
