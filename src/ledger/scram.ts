// SCRAM-SHA-256 password verifiers (RFC 5802 / RFC 7677, PostgreSQL's stored format), computed with
// node:crypto so a role's clear-text password never appears in a SQL statement or a server log.
// Format: `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>` (base64).
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

export const SCRAM_ITERATIONS = 4096;
const SALT_BYTES = 16;

export interface ScramKeys {
  readonly salt: Buffer;
  readonly iterations: number;
  readonly storedKey: Buffer;
  readonly serverKey: Buffer;
}

// RFC 3454 C.1.2 non-ASCII spaces (→ space) and B.1 "commonly mapped to nothing" (→ removed).
const NON_ASCII_SPACE = /[\u00A0\u1680\u2000-\u200B\u202F\u205F\u3000]/gu;
const MAPPED_TO_NOTHING = /[\u00AD\u034F\u1806\u180B-\u180D\u200C\u200D\u2060\uFE00-\uFE0F\uFEFF]/gu;

/**
 * SASLprep's mapping and NFKC steps, as PostgreSQL and the `pg` client apply them. ASCII passwords are
 * unchanged; a password that normalises to nothing is used as given (PostgreSQL's fallback).
 */
export function saslPrepare(password: string): string {
  if (/^[\u0000-\u007f]*$/u.test(password)) return password;
  const prepared = password.replace(NON_ASCII_SPACE, ' ').replace(MAPPED_TO_NOTHING, '').normalize('NFKC');
  return prepared === '' ? password : prepared;
}

/** StoredKey and ServerKey for a password, salt and iteration count. */
export function scramKeys(password: string, salt: Buffer, iterations = SCRAM_ITERATIONS): ScramKeys {
  const salted = pbkdf2Sync(Buffer.from(saslPrepare(password), 'utf8'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return { salt, iterations, storedKey, serverKey };
}

export function formatVerifier(keys: ScramKeys): string {
  return `SCRAM-SHA-256$${keys.iterations}:${keys.salt.toString('base64')}$${keys.storedKey.toString('base64')}:${keys.serverKey.toString('base64')}`;
}

/** A verifier with a fresh random salt (or the given one, for tests). */
export function scramVerifier(password: string, salt: Buffer = randomBytes(SALT_BYTES)): string {
  return formatVerifier(scramKeys(password, salt));
}
