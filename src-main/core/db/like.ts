/** A LIKE pattern matching the text anywhere, with its own % and _ taken literally (use with ESCAPE '\\'). */
export function likeContaining(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}
