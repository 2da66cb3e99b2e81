import type { UpdateResult } from 'kysely';
import { AppError } from '../../../src-shared/errors.js';

/**
 * Every versioned update is `... WHERE id = ? AND version = ?`; none updated means another desk
 * saved first, and the user must see their change before making this one.
 */
export function expectVersionedUpdate(result: UpdateResult, what: string): void {
  if (result.numUpdatedRows === 0n) {
    throw new AppError('CONFLICT', `Someone else changed the ${what} while you were editing. Reload to see their change, then make yours again.`);
  }
}
