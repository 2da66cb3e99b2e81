import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { type Algorithm, hash, hashRaw, type Options, parseOptions, verify } from '@node-rs/argon2';

/**
 * OWASP's argon2id minimum (m=19 MiB, t=2, p=1), set explicitly: the package default m=4096 is
 * below it. Argon2id is 2 in the package's const enum, which isolated modules cannot reference.
 */
export const ARGON2_PARAMS = {
  algorithm: 2 as Algorithm,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
} as const satisfies Options;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_PARAMS);
}

export function verifyPassword(stored: string, password: string): Promise<boolean> {
  return verify(stored, password);
}

export function passwordNeedsRehash(stored: string): boolean {
  const used = parseOptions(stored);
  return (
    used.algorithm !== ARGON2_PARAMS.algorithm ||
    used.memoryCost !== ARGON2_PARAMS.memoryCost ||
    used.timeCost !== ARGON2_PARAMS.timeCost ||
    used.parallelism !== ARGON2_PARAMS.parallelism
  );
}

/** A 256-bit key from a typed secret, for wrapping the database key. */
export function deriveKey(secret: string, salt: Buffer): Promise<Buffer> {
  return hashRaw(secret.normalize('NFKC'), { ...ARGON2_PARAMS, salt, outputLen: 32 });
}

export interface Sealed {
  iv: string;
  tag: string;
  data: string;
}

export function seal(key: Buffer, plaintext: Buffer, associated: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associated));
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

/** Throws when the key is wrong or the sealed box was altered (GCM authentication). */
export function open(key: Buffer, sealed: Sealed, associated: string): Buffer {
  // A full 16-byte tag only: GCM would otherwise accept a shortened, weaker one.
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'), { authTagLength: 16 });
  decipher.setAAD(Buffer.from(associated));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
}

export function sha256Hex(value: string | Buffer): string {
  return createHash('sha256').update(value).digest('hex');
}

/** An opaque bearer token: 256 bits, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}
