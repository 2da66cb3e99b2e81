import { contract, type InputOf, type OutputOf, type ProcedureName } from '../../src-shared/contract/index.js';
import type { ErrorCode, FieldErrors } from '../../src-shared/errors.js';
import { transport } from './transport.js';

/** A refusal from the main side, with the sentence to show and, for forms, one per field. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldErrors;

  constructor(code: ErrorCode, message: string, fields: FieldErrors = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.fields = fields;
  }
}

/** Calls a procedure by name; arguments and result are typed from the contract. */
export async function call<N extends ProcedureName>(name: N, input: InputOf<N>): Promise<OutputOf<N>> {
  const envelope = await transport.invoke(name, input);
  if (!envelope.ok) throw new ApiError(envelope.error.code, envelope.error.message, envelope.error.fields);
  return envelope.value as OutputOf<N>;
}

export function queryKey<N extends ProcedureName>(name: N, input?: InputOf<N>): readonly [N, InputOf<N> | Record<string, never>] {
  return [name, input ?? {}];
}

/** The query procedures to fetch again after a commit touched these tables. */
export function proceduresReading(tables: readonly string[]): ProcedureName[] {
  const changed = new Set(tables);
  return (Object.keys(contract) as ProcedureName[]).filter((name) => {
    const reads = (contract[name] as { reads?: readonly string[] }).reads;
    return reads?.some((table) => changed.has(table)) ?? false;
  });
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'Something unexpected went wrong. Please try again.';
}
