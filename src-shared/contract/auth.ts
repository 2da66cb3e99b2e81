import { z } from 'zod';
import { PERMISSION_NAMES } from '../permissions.js';
import { enteredPassword, newPassword } from '../schemas/user.js';
import { mutation, query } from './define.js';

export const me = z.strictObject({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.strictObject({ name: z.string(), label: z.string() }),
  permissions: z.array(z.enum(PERMISSION_NAMES)),
  mustChangePassword: z.boolean(),
});
export type Me = z.infer<typeof me>;

export const authContract = {
  'auth.signIn': mutation({
    summary: 'Sign in with a username and password; starts a new session',
    access: 'public',
    input: z.strictObject({
      username: z.string().trim().toLowerCase().min(1, 'Enter your username').max(40, 'That username is too long'),
      password: enteredPassword,
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
    reads: ['users', 'roles', 'role_permissions'],
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
};
