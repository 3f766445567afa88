/** A CEL string literal (single-quoted) that evaluates to `value`. */
export function celString(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r');
  return `'${escaped}'`;
}

/** A CEL double-quoted string literal, the form Kuadrant's examples use in predicates. */
export function celQuoted(value: string): string {
  return JSON.stringify(value);
}
