/**
 * Typed errors thrown by services and mapped to HTTP only at the edge (route.ts, http.ts).
 * `code` is stable for API clients; messages.ts picks the user's-language message by code.
 */
export type ErrorCode =
	| 'unauthenticated'
	| 'invalid_credentials'
	| 'forbidden'
	| 'not_found'
	| 'invalid'
	| 'conflict'
	| 'rate_limited'
	| 'bad_origin';

export interface FieldIssue {
	path: string;
	message: string;
}

export class AppError extends Error {
	constructor(
		readonly code: ErrorCode,
		readonly status: number,
		message: string,
		readonly details?: unknown
	) {
		super(message);
		this.name = new.target.name;
	}
}

export class UnauthenticatedError extends AppError {
	constructor(message = 'Sign-in required') {
		super('unauthenticated', 401, message);
	}
}

/** A failed sign-in: one message whatever was wrong (unknown user, password, disabled account). */
export class InvalidCredentialsError extends AppError {
	constructor() {
		super('invalid_credentials', 401, 'Wrong username or password');
	}
}

/** ForbiddenError's generic message; any other message is already the user's-language reason. */
export const FORBIDDEN = 'You do not have permission for this';

export class ForbiddenError extends AppError {
	constructor(message = FORBIDDEN) {
		super('forbidden', 403, message);
	}
}

export class NotFoundError extends AppError {
	constructor(message = 'Not found') {
		super('not_found', 404, message);
	}
}

export class ValidationError extends AppError {
	constructor(
		message: string,
		readonly issues: FieldIssue[] = []
	) {
		super('invalid', 400, message, { issues });
	}
}

/** A stale write: carries the row as it is now so the user can see the other change and retry. */
export class ConflictError extends AppError {
	constructor(
		message: string,
		readonly current?: unknown
	) {
		super('conflict', 409, message, { current });
	}
}

export class RateLimitedError extends AppError {
	constructor(
		message: string,
		readonly retryAfterSeconds: number
	) {
		super('rate_limited', 429, message, { retryAfterSeconds });
	}
}
