import { fileEndpoint } from '$lib/server/file-endpoint';
import { printJobCard } from '$lib/server/services/job-cards';

/** The work order's job card (A4 PDF with its QR code), shown inline. */
export const GET = fileEndpoint((ctx, { params }) => printJobCard(ctx, params.id));
