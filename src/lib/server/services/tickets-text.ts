import { m } from '../../paraglide/messages';
import type { Locale } from '../validate';
import type { TicketStatus } from '../../domain/statuses';

/** Ticket words the services put into messages, in the actor's language (the labels the pages use). */
const messages = m as unknown as Record<string, ((p: object, o: { locale: Locale }) => string) | undefined>;

export const statusLabel = (s: TicketStatus, locale: Locale): string =>
	messages[`ticket_${s}`]?.({}, { locale }) ?? s;
