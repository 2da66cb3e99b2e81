import { z } from 'zod';
import { clinicSettings, registrySettings, securityPolicy } from '../schemas/settings.js';
import { mutation, query } from './define.js';

const versioned = clinicSettings.extend({ version: z.number().int().positive() });
/** version 0: the policy was never saved and the defaults apply. */
const versionedSecurity = securityPolicy.extend({ version: z.number().int().min(0) });
const versionedRegistry = registrySettings.extend({ version: z.number().int().min(0) });

export const settingsContract = {
  'settings.get': query({
    reads: ['settings'],
    summary: 'The clinic’s name, time zone and currency',
    access: 'signed-in',
    input: z.strictObject({}),
    output: versioned,
  }),
  'settings.update': mutation({
    summary: 'Change the clinic’s name, time zone or currency',
    access: ['settings.manage'],
    /** version: the one the form was loaded with; a stale one means another desk saved first. */
    input: versioned,
    output: versioned,
  }),
  'settings.getSecurity': query({
    summary: 'The sign-in and lock policy: idle lock minutes, two-factor for administrators',
    access: 'signed-in',
    reads: ['settings'],
    input: z.strictObject({}),
    output: versionedSecurity,
  }),
  'settings.updateSecurity': mutation({
    summary: 'Change the sign-in and lock policy',
    access: ['settings.manage'],
    input: versionedSecurity,
    output: versionedSecurity,
  }),
  'settings.getRegistry': query({
    summary: 'Patient registry settings: the MRN prefix',
    access: 'signed-in',
    reads: ['settings'],
    input: z.strictObject({}),
    output: versionedRegistry,
  }),
  'settings.updateRegistry': mutation({
    summary: 'Change the prefix of new MRNs (existing MRNs keep theirs)',
    access: ['settings.manage'],
    input: versionedRegistry,
    output: versionedRegistry,
  }),
};
