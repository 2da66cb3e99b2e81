import { randomInt } from 'node:crypto';

/**
 * A new password is refused when it is among the commonly used ones or is the username; length
 * limits live in the shared schema. Comparison ignores case, as attackers' lists do.
 */
export function passwordProblem(password: string, common: ReadonlySet<string>, username: string): string | null {
  const folded = password.toLowerCase();
  if (common.has(folded)) return 'That password is one of the most commonly used ones; choose something less guessable, such as a few unrelated words.';
  if (folded === username.toLowerCase()) return 'A password cannot be the same as the username.';
  return null;
}

/** Temporary passwords are read aloud or copied once: unambiguous letters and digits, 4-4-4. */
const TEMP_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
export function newTemporaryPassword(): string {
  const chars = Array.from({ length: 12 }, () => TEMP_ALPHABET[randomInt(TEMP_ALPHABET.length)]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}

/**
 * The clinic must always keep at least one active user who can manage users; any change to a
 * user or role is checked against the count that would remain.
 */
export const USER_MANAGER_PERMISSION = 'users.manage';

export function leavesNoUserManager(activeManagersAfterChange: number): boolean {
  return activeManagersAfterChange < 1;
}
