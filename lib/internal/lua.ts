/**
 * A Lua double-quoted string literal whose value is the UTF-8 encoding of
 * `value`. Printable ASCII stays readable; quotes and backslashes are escaped
 * and every other byte becomes a three-digit decimal escape, so the literal is
 * plain ASCII, a single line, and has no long-bracket form to break out of.
 */
export function luaString(value: string): string {
  if (typeof value !== 'string') throw new Error(`luaString: expected a string, got ${typeof value}`);
  const bytes = Buffer.from(value, 'utf8');
  // Lone UTF-16 surrogates have no UTF-8 form; Buffer would turn them into U+FFFD silently.
  if (bytes.toString('utf8') !== value) throw new Error(`luaString: ${JSON.stringify(value)} is not well-formed Unicode`);
  let out = '"';
  for (const byte of bytes) {
    if (byte === 0x22) out += '\\"';
    else if (byte === 0x5c) out += '\\\\';
    else if (byte >= 0x20 && byte <= 0x7e) out += String.fromCharCode(byte);
    else out += `\\${String(byte).padStart(3, '0')}`;
  }
  return `${out}"`;
}
