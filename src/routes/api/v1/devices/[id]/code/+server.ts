import { endpoint } from '$lib/server/route';
import { renewEnrolCode } from '$lib/server/services/devices';

/** A fresh one-time enrolment code for the device (e.g. to move it to a new PC). */
export const POST = endpoint((ctx, { params }) => renewEnrolCode(ctx, params.id));
