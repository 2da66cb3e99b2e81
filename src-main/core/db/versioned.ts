import type { UpdateResult } from 'kysely';
import { AppError } from '../../../src-shared/errors.js';

/** Another desk saved first: the user must see their change before making this one. */
export function staleVersionError(what: string): AppError {
  return new AppError('CONFLICT', `Someone else changed the ${what} while you were editing. Reload to see their change, then make yours again.`);
}

/** Every versioned update is `... WHERE id = ? AND version = ?`; none updated means a stale version. */
export function expectVersionedUpdate(result: UpdateResult, what: string): void {
  if (result.numUpdatedRows === 0n) throw staleVersionError(what);
}
