import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { ApiError } from '../api/client.js';

/**
 * Puts the server's per-field sentences beside the fields and focuses the first of them in form
 * order. `fieldNames` lists the form's fields in screen order; `map` turns a server field path
 * (e.g. "admin.password") into a form field name, and unmapped paths are matched by name as is.
 * Returns true when at least one field got a message.
 */
export function applyServerFieldErrors<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  fieldNames: readonly Path<T>[],
  map: Partial<Record<string, Path<T>>> = {},
): boolean {
  if (!(error instanceof ApiError)) return false;
  const found: { field: Path<T>; message: string }[] = [];
  for (const [serverPath, message] of Object.entries(error.fields)) {
    const field = map[serverPath] ?? fieldNames.find((name) => name === serverPath);
    if (field && !found.some((entry) => entry.field === field)) found.push({ field, message });
  }
  found.sort((a, b) => fieldNames.indexOf(a.field) - fieldNames.indexOf(b.field));
  found.forEach(({ field, message }, index) => {
    setError(field, { type: 'server', message }, { shouldFocus: index === 0 });
  });
  return found.length > 0;
}
