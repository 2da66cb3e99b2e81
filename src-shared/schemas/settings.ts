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
