import { z } from 'zod';
import { currencyCode } from '../../../src-shared/money.js';
import { clinicName } from '../../../src-shared/schemas/settings.js';
import { displayName, newPassword, username } from '../../../src-shared/schemas/user.js';
import { timeZone } from '../../../src-shared/time.js';

/** The setup form: the shared field schemas, plus the confirmations a person types twice. */
/** Same bounds as the server's (newPassword), in words about a passphrase rather than a password. */
const passphrase = z.string().min(10, 'A passphrase has at least 10 characters').max(128, 'A passphrase has at most 128 characters');

export function setupFormSchema(passphraseRequired: boolean) {
  return z
    .object({
      clinicName,
      timeZone,
      currency: z.string().trim().min(1, 'Choose the clinic’s currency').pipe(currencyCode),
      username,
      displayName,
      password: newPassword,
      confirmPassword: z.string(),
      passphrase: passphraseRequired ? passphrase : z.string(),
      confirmPassphrase: z.string(),
    })
    .superRefine((values, ctx) => {
      if (values.password !== values.confirmPassword) {
        ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'The two passwords are not the same' });
      }
      if (passphraseRequired && values.passphrase !== values.confirmPassphrase) {
        ctx.addIssue({ code: 'custom', path: ['confirmPassphrase'], message: 'The two passphrases are not the same' });
      }
    });
}

export type SetupFormInput = z.input<ReturnType<typeof setupFormSchema>>;
export type SetupFormValues = z.output<ReturnType<typeof setupFormSchema>>;

export const SETUP_FIELDS = [
  'clinicName',
  'timeZone',
  'currency',
  'username',
  'displayName',
  'password',
  'confirmPassword',
  'passphrase',
  'confirmPassphrase',
] as const satisfies readonly (keyof SetupFormInput)[];

/** Server field paths (setup.createClinic's nested input) to form fields. */
export const SETUP_SERVER_FIELDS = {
  'clinic.clinicName': 'clinicName',
  'clinic.timeZone': 'timeZone',
  'clinic.currency': 'currency',
  'admin.username': 'username',
  'admin.displayName': 'displayName',
  'admin.password': 'password',
  passphrase: 'passphrase',
} as const;
