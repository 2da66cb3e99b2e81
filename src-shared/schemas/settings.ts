import { z } from 'zod';
import { currencyCode } from '../money.js';
import { timeZone } from '../time.js';

export const clinicName = z.string().trim().min(2, 'Enter the clinic’s name (at least 2 characters)').max(120, 'Keep the clinic’s name under 120 characters');

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
