import { z } from 'zod';
import { mutation, query } from './define.js';

const id = z.string().min(1).max(64);

export const emergencyGrant = z.strictObject({
  id: z.string(),
  user: z.strictObject({ id: z.string(), username: z.string(), displayName: z.string(), roleLabel: z.string() }),
  patient: z.strictObject({ id: z.string(), mrn: z.string(), name: z.string() }),
  reason: z.string(),
  grantedAt: z.string(),
  expiresAt: z.string(),
  review: z.strictObject({ by: z.string(), at: z.string(), note: z.string().nullable() }).nullable(),
});
export type EmergencyGrant = z.infer<typeof emergencyGrant>;

export const emergencyContract = {
  'emergency.open': mutation({
    summary: 'Break glass: open one patient’s clinical record for an hour, giving a reason; reviewed by an administrator',
    // Staff whose role does not read clinical records; never a patient, whose own record is theirs anyway.
    access: ['clinical.emergency'],
    input: z.strictObject({
      patientId: id,
      reason: z.string().trim().min(10, 'Describe the emergency in at least 10 characters').max(500, 'Keep the reason under 500 characters'),
    }),
    output: emergencyGrant,
  }),
  'emergency.accessTo': query({
    summary: 'Whether you may read this patient’s clinical record now, and why',
    access: 'signed-in',
    reads: ['emergency_access', 'role_permissions'],
    input: z.strictObject({ patientId: id }),
    output: z.strictObject({ allowed: z.boolean(), via: z.enum(['role', 'own_record', 'emergency']).nullable(), until: z.string().nullable() }),
  }),
  'emergency.mine': query({
    summary: 'Your emergency accesses that are still open',
    access: 'signed-in',
    reads: ['emergency_access'],
    input: z.strictObject({}),
    output: z.array(emergencyGrant),
  }),
  'emergency.list': query({
    summary: 'Emergency accesses for review, newest first',
    access: ['audit.read'],
    reads: ['emergency_access'],
    input: z.strictObject({ status: z.enum(['unreviewed', 'all']).optional() }),
    output: z.array(emergencyGrant),
  }),
  'emergency.review': mutation({
    summary: 'Mark an emergency access as reviewed, with an optional note',
    access: ['audit.read'],
    input: z.strictObject({ id, note: z.string().trim().max(500, 'Keep the note under 500 characters').optional() }),
    output: emergencyGrant,
  }),
};
