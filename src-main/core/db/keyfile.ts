import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { deriveKey, open, type Sealed, seal } from '../crypto.js';

/**
 * The key file beside the database: the database key, wrapped once per way of unlocking it.
 * Losing this file loses the database, so it is replaced atomically and never rewritten in place.
 */
const sealed = z.strictObject({ iv: z.string(), tag: z.string(), data: z.string() });
const secretWrap = z.strictObject({
  method: z.enum(['passphrase', 'recovery_key']),
  salt: z.string(),
  sealed,
});
const osWrap = z.strictObject({ method: z.literal('os_keystore'), blob: z.string() });
const keyFileSchema = z.strictObject({
  format: z.literal(1),
  wraps: z.array(z.discriminatedUnion('method', [secretWrap, osWrap])),
});
export type KeyFile = z.infer<typeof keyFileSchema>;
export type SecretMethod = z.infer<typeof secretWrap>['method'];

/** The operating system's protected storage (Electron safeStorage in the desktop app). */
export interface OsKeyStore {
  encrypt(plain: Buffer): Buffer;
  decrypt(blob: Buffer): Buffer;
}

export class WrongSecretError extends Error {}

export function readKeyFile(path: string): KeyFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new Error(`The key file ${path} cannot be read: ${(cause as Error).message}`);
  }
  const parsed = keyFileSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`The key file ${path} is damaged or from an unknown version.`);
  return parsed.data;
}

export function writeKeyFile(path: string, file: KeyFile): void {
  const temp = `${path}.writing`;
  writeFileSync(temp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  const fd = openSync(temp, 'r');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(temp, path);
  // The rename itself must reach the disk, or a power cut can bring back the old file (or none).
  if (process.platform !== 'win32') {
    const folder = openSync(dirname(path), 'r');
    fsyncSync(folder);
    closeSync(folder);
  }
}

export async function wrapWithSecret(method: SecretMethod, secret: string, dbKey: Buffer) {
  const salt = randomBytes(16);
  const kek = await deriveKey(secret, salt);
  return { method, salt: salt.toString('base64'), sealed: seal(kek, dbKey, method) satisfies Sealed };
}

export async function unwrapWithSecret(file: KeyFile, method: SecretMethod, secret: string): Promise<Buffer> {
  const wrap = file.wraps.find((entry) => entry.method === method);
  if (!wrap || wrap.method === 'os_keystore') throw new WrongSecretError(`This database has no ${method.replace('_', ' ')} set.`);
  const kek = await deriveKey(secret, Buffer.from(wrap.salt, 'base64'));
  try {
    return open(kek, wrap.sealed, method);
  } catch {
    throw new WrongSecretError(
      method === 'passphrase' ? 'The passphrase is not correct for this database.' : 'The recovery key is not correct for this database.',
    );
  }
}

export function wrapWithOs(os: OsKeyStore, dbKey: Buffer) {
  return { method: 'os_keystore' as const, blob: os.encrypt(dbKey).toString('base64') };
}

export function unwrapWithOs(file: KeyFile, os: OsKeyStore): Buffer | null {
  const wrap = file.wraps.find((entry) => entry.method === 'os_keystore');
  if (wrap?.method !== 'os_keystore') return null;
  return os.decrypt(Buffer.from(wrap.blob, 'base64'));
}

/** Recovery keys are typed from paper: 25 characters of Crockford base32 in groups of five. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export function newRecoveryKey(): string {
  const bytes = randomBytes(25);
  const chars = Array.from(bytes, (byte) => CROCKFORD[byte & 31]).join('');
  return chars.match(/.{5}/g)?.join('-') ?? chars;
}

/** Accepts what a person types: any case, spaces or dashes, O for 0 and I/L for 1. */
export function normalizeRecoveryKey(typed: string): string {
  const cleaned = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return cleaned.match(/.{1,5}/g)?.join('-') ?? cleaned;
}
