import { z } from 'zod';

export const username = z
  .string()
  .trim()
  .toLowerCase()
  .min(3, 'A username has at least 3 characters')
  .max(40, 'A username has at most 40 characters')
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'Use letters, digits, dots, dashes or underscores, starting with a letter or digit');

export const displayName = z.string().trim().min(1, 'Enter the person’s name').max(120, 'Keep the name under 120 characters');

/** NIST SP 800-63B: length only, no composition rules, never truncated. */
export const newPassword = z.string().min(10, 'A password has at least 10 characters').max(128, 'A password has at most 128 characters');

/** What a user types at sign-in: checked against the hash, so only bounded here. */
export const enteredPassword = z.string().min(1, 'Enter your password').max(128, 'That password is too long');
