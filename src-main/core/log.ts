/**
 * What may be logged of an error: its type, code and stack frames, never its message, which can
 * quote what a user typed or a row's content (error.stack begins with the message).
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const code = (error as { code?: unknown }).code;
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  return [typeof code === 'string' ? `${error.name} (${code})` : error.name, ...frames].join('\n');
}
