import { z } from 'zod';
import { PERMISSION_NAMES } from '../permissions.js';
import { displayName, username } from '../schemas/user.js';
import { mutation, query } from './define.js';

const id = z.string().min(1).max(64);
const version = z.number().int().positive();

export const userSummary = z.strictObject({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.strictObject({ id: z.string(), name: z.string(), label: z.string() }),
  active: z.boolean(),
  mustChangePassword: z.boolean(),
  /** Set while failed sign-ins keep the account locked. */
  lockedUntil: z.string().nullable(),
  twoFactorEnabled: z.boolean(),
  /** For a patient-role user: the record they may see. */
  patient: z.strictObject({ id: z.string(), mrn: z.string(), name: z.string() }).nullable(),
  createdAt: z.string(),
  version,
});
export type UserSummary = z.infer<typeof userSummary>;

export const roleSummary = z.strictObject({
  id: z.string(),
  name: z.string(),
  label: z.string(),
  isSystem: z.boolean(),
  permissions: z.array(z.enum(PERMISSION_NAMES)),
  activeUsers: z.number().int(),
  version,
});
export type RoleSummary = z.infer<typeof roleSummary>;

const roleName = z
  .string()
  .trim()
  .toLowerCase()
  .min(3, 'A role name has at least 3 characters')
  .max(40, 'A role name has at most 40 characters')
  .regex(/^[a-z][a-z0-9_]*$/, 'Use lower-case letters, digits and underscores, starting with a letter');
const roleLabel = z.string().trim().min(2, 'Give the role a label of at least 2 characters').max(60, 'Keep the label under 60 characters');
const permissionList = z.array(z.enum(PERMISSION_NAMES)).max(PERMISSION_NAMES.length);

/** What an administrator is shown once, and never again: the user's next sign-in replaces it. */
const withTemporaryPassword = z.strictObject({ user: userSummary, temporaryPassword: z.string() });

export const usersContract = {
  'users.list': query({
    summary: 'Users with their role and status, searched by name or username',
    access: ['users.manage'],
    reads: ['users', 'roles', 'sign_in_throttle', 'patients'],
    input: z.strictObject({
      search: z.string().trim().max(80, 'Search with at most 80 characters').optional(),
      status: z.enum(['active', 'inactive', 'all']).optional(),
    }),
    output: z.array(userSummary),
  }),
  'users.create': mutation({
    summary: 'Create a user with a one-time temporary password',
    access: ['users.manage'],
    input: z.strictObject({ username, displayName, roleId: id, patientId: id.optional() }),
    output: withTemporaryPassword,
  }),
  'users.changeRole': mutation({
    summary: 'Give a user another role',
    access: ['users.manage'],
    input: z.strictObject({ id, roleId: id, version }),
    output: userSummary,
  }),
  'users.setActive': mutation({
    summary: 'Deactivate a user (ending their sessions at once) or reactivate them',
    access: ['users.manage'],
    input: z.strictObject({ id, active: z.boolean(), version }),
    output: userSummary,
  }),
  'users.resetPassword': mutation({
    summary: 'Issue a one-time temporary password; the user must choose a new one at sign-in',
    access: ['users.manage'],
    input: z.strictObject({ id, version }),
    output: withTemporaryPassword,
  }),
  'users.unlock': mutation({
    summary: 'Lift the lock that failed sign-ins put on an account',
    access: ['users.manage'],
    input: z.strictObject({ id }),
    output: userSummary,
  }),
  'users.linkPatient': mutation({
    summary: 'Link a patient-role user to their patient record, or unlink them',
    access: ['users.manage'],
    input: z.strictObject({ id, patientId: id.nullable(), version }),
    output: userSummary,
  }),
  'users.resetTwoFactor': mutation({
    summary: 'Remove a user’s two-factor sign-in, e.g. after a lost phone; they enrol again',
    access: ['users.manage'],
    input: z.strictObject({ id, version }),
    output: userSummary,
  }),
  'roles.list': query({
    summary: 'Roles with their permissions',
    access: ['users.manage'],
    reads: ['roles', 'role_permissions', 'users'],
    input: z.strictObject({}),
    output: z.array(roleSummary),
  }),
  'roles.create': mutation({
    summary: 'Create a custom role',
    access: ['users.manage'],
    input: z.strictObject({ name: roleName, label: roleLabel, permissions: permissionList }),
    output: roleSummary,
  }),
  'roles.update': mutation({
    summary: 'Rename a role or change its permissions; applies to its users’ next call',
    access: ['users.manage'],
    input: z.strictObject({ id, label: roleLabel, permissions: permissionList, version }),
    output: roleSummary,
  }),
};
