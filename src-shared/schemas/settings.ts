import { z } from 'zod';
import { currencyCode } from '../money.js';
import { timeZone } from '../time.js';

export const clinicName = z.string().trim().min(2, 'Enter the clinic’s name (at least 2 characters)').max(120, 'Keep the clinic’s name under 120 characters');

/** Put in front of every new medical record number, e.g. P- gives P-000123. */
export const mrnPrefix = z
  .string()
  .trim()
  .max(8, 'Keep the MRN prefix to 8 characters')
  .regex(/^[A-Z0-9-]*$/, 'Use capital letters, digits and dashes in the MRN prefix');

export const clinicSettings = z.strictObject({
  clinicName,
  timeZone,
  currency: currencyCode,
});
export type ClinicSettings = z.infer<typeof clinicSettings>;

export const securityPolicy = z.strictObject({
  /** The workstation locks after this long without use; the password opens it again. */
  idleLockMinutes: z.number().int('Use whole minutes').min(1, 'Lock after at least 1 minute').max(240, 'Lock after at most 240 minutes (4 hours)'),
  requireTwoFactorForAdmins: z.boolean(),
});
export type SecurityPolicy = z.infer<typeof securityPolicy>;

export const registrySettings = z.strictObject({ mrnPrefix });
export type RegistrySettings = z.infer<typeof registrySettings>;
