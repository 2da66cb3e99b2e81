import { z } from 'zod';
import { PERMISSION_NAMES } from '../permissions.js';
import { enteredPassword, newPassword } from '../schemas/user.js';
import { mutation, query } from './define.js';

/** Apps show codes as "123 456"; people type them with the space. */
const withoutSpaces = z.string().transform((value) => value.replace(/\s+/g, ''));
const secondFactorCode = withoutSpaces.pipe(z.string().min(1, 'Enter the code').max(20, 'That code is too long'));

export const me = z.strictObject({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.strictObject({ name: z.string(), label: z.string() }),
  permissions: z.array(z.enum(PERMISSION_NAMES)),
  mustChangePassword: z.boolean(),
  /** The clinic requires two-factor sign-in for this user, who has not enrolled yet. */
  mustEnrollTwoFactor: z.boolean(),
  twoFactorEnabled: z.boolean(),
  /** Locked by idleness or by the system's screen lock: only the password (or another user) opens it. */
  locked: z.boolean(),
  idleLockMinutes: z.number().int(),
  /** For a patient-role user: their own record. */
  patientId: z.string().nullable(),
});
export type Me = z.infer<typeof me>;

export const authContract = {
  'auth.signIn': mutation({
    summary: 'Sign in with a username and password; starts a new session',
    access: 'public',
    input: z.strictObject({
      username: z.string().trim().toLowerCase().min(1, 'Enter your username').max(40, 'That username is too long'),
      password: enteredPassword,
      /** The authenticator's six digits or a recovery code, for users with two-factor sign-in. */
      code: secondFactorCode.optional(),
    }),
    output: me,
  }),
  'auth.signOut': mutation({
    summary: 'End this session',
    access: 'signed-in',
    input: z.strictObject({}),
    output: z.null(),
  }),
  'auth.me': query({
    reads: ['users', 'roles', 'role_permissions', 'sessions', 'settings'],
    summary: 'Who is signed in here, with their role and permissions',
    access: 'signed-in',
    input: z.strictObject({}),
    output: me,
  }),
  'auth.changePassword': mutation({
    summary: 'Change your own password; the current one is required',
    access: 'signed-in',
    input: z.strictObject({ currentPassword: enteredPassword, newPassword }),
    output: z.null(),
  }),
  'auth.lock': mutation({
    summary: 'Lock this workstation now (idle timer, screen lock, or the user’s choice)',
    access: 'signed-in',
    input: z.strictObject({}),
    output: z.null(),
  }),
  'auth.unlock': mutation({
    summary: 'Open a locked workstation with the signed-in user’s password',
    access: 'signed-in',
    input: z.strictObject({ password: enteredPassword, code: secondFactorCode.optional() }),
    output: me,
  }),
  'auth.twoFactorBegin': mutation({
    summary: 'Start two-factor enrolment: a new secret, shown as a QR code and as text',
    access: 'signed-in',
    input: z.strictObject({}),
    output: z.strictObject({ secret: z.string(), otpauthUri: z.string(), qrSvg: z.string() }),
  }),
  'auth.twoFactorConfirm': mutation({
    summary: 'Finish enrolment with a first code; returns ten one-time recovery codes, shown once',
    access: 'signed-in',
    input: z.strictObject({
      code: withoutSpaces.pipe(z.string().regex(/^\d{6}$/, 'Enter the six digits your authenticator app shows')),
    }),
    output: z.strictObject({ recoveryCodes: z.array(z.string()) }),
  }),
  'auth.twoFactorDisable': mutation({
    summary: 'Turn off your two-factor sign-in (not where the clinic requires it)',
    access: 'signed-in',
    input: z.strictObject({ password: enteredPassword }),
    output: z.null(),
  }),
};
