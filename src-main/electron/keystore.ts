import { safeStorage } from 'electron';
import type { KeyProtection } from '../core/store.js';

/** Linux backends that keep the secret in the user's keyring; anything else (basic_text, unknown) is a fixed key in the app. */
const LINUX_KEYRING_BACKENDS = new Set(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']);

/** The OS key store could not unwrap the database key (keyring reset, profile copied to another account). */
export class OsKeyStoreError extends Error {}

/**
 * How this workstation protects the database key. Must run after app 'ready': before it, Linux
 * reports no backend and Windows reports no encryption. basic_text "encrypts" with a key compiled
 * into Chromium, which protects nothing, so the user is asked for a passphrase instead.
 */
export function keyProtection(): KeyProtection {
  if (!safeStorage.isEncryptionAvailable()) return { kind: 'ask' };
  if (process.platform === 'linux' && !LINUX_KEYRING_BACKENDS.has(safeStorage.getSelectedStorageBackend())) return { kind: 'ask' };
  return {
    kind: 'os',
    os: {
      // safeStorage takes strings; base64 carries the raw key bytes through it unchanged.
      encrypt: (plain) => safeStorage.encryptString(plain.toString('base64')),
      decrypt: (blob) => {
        let plain: Buffer;
        try {
          plain = Buffer.from(safeStorage.decryptString(blob), 'base64');
        } catch {
          plain = Buffer.alloc(0);
        }
        if (plain.length === 0) throw new OsKeyStoreError('This computer’s key store could not unlock the clinic database.');
        return plain;
      },
    },
  };
}
