import { hash, verify } from '@node-rs/argon2';

// argon2id with the parameters the Lucia guide recommends (OWASP's minimum: 19 MiB, 2 passes).
const OPTIONS = { memoryCost: 19456, timeCost: 2, outputLen: 32, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 8;

export function hashPassword(password: string): Promise<string> {
	return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password);
	} catch {
		return false; // malformed hash: never a match
	}
}
