import { z } from 'zod';
import { clinicSettings } from '../schemas/settings.js';
import { mutation, query } from './define.js';

const versioned = clinicSettings.extend({ version: z.number().int().positive() });

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
};
