import { z } from 'zod';
import { clinicSettings } from '../schemas/settings.js';
import { displayName, newPassword, username } from '../schemas/user.js';
import { mutation, query } from './define.js';

export const storeState = z.enum(['needs_setup', 'locked', 'ready']);
export type StoreState = z.infer<typeof storeState>;

export const setupContract = {
  'setup.status': query({
    reads: ['settings'],
    summary: 'Whether this workstation has a clinic yet, and whether its store is unlocked',
    access: 'public',
    input: z.strictObject({}),
    output: z.strictObject({
      state: storeState,
      clinicName: z.string().nullable(),
      /** True where the key store cannot protect the key by itself and a passphrase must be typed. */
      passphraseRequired: z.boolean(),
    }),
  }),
  'setup.createClinic': mutation({
    summary: 'First run: create the encrypted store, the clinic and its first administrator',
    access: 'public',
    input: z.strictObject({
      clinic: clinicSettings,
      admin: z.strictObject({ username, displayName, password: newPassword }),
      /** Only where setup.status says passphraseRequired. */
      passphrase: newPassword.optional(),
    }),
    output: z.strictObject({
      /** Shown once: it unlocks the database if the passphrase or this computer's key store is lost. */
      recoveryKey: z.string(),
    }),
  }),
  'setup.unlock': mutation({
    summary: 'Open the encrypted store with the passphrase or the recovery key',
    access: 'public',
    input: z.strictObject({
      method: z.enum(['passphrase', 'recovery_key']),
      secret: z.string().min(1, 'Enter the passphrase or recovery key').max(256, 'That is too long to be a passphrase'),
    }),
    output: z.null(),
  }),
};
