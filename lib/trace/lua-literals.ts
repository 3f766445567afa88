/**
 * Reads Lua literal values (strings, numbers, booleans, nested table
 * constructors) out of Lua source, e.g. the tables at the top of the model
 * router the library generates. Not a Lua interpreter: expressions other than
 * literals are an error.
 */
export type LuaValue = string | number | boolean | LuaTable;
/** A table: its string-keyed fields and its positional items. */
export interface LuaTable {
  readonly fields: Map<string, LuaValue>;
  readonly items: LuaValue[];
}

const SIMPLE_ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92, '"': 34, "'": 39, '\n': 10 };

class LuaReader {
  public pos: number;
  constructor(private readonly src: string, start: number) { this.pos = start; }

  private fail(what: string): never {
    throw new Error(`Lua literal: ${what} at offset ${this.pos}`);
  }

  public space(): void {
    for (;;) {
      const m = /^(?:\s+|--\[(=*)\[[\s\S]*?\]\1\]|--[^\n]*)/.exec(this.src.slice(this.pos, this.pos + 4096));
      if (!m || m[0].length === 0) return;
      this.pos += m[0].length;
    }
  }

  public value(): LuaValue {
    this.space();
    const c = this.src[this.pos];
    if (c === '"' || c === "'") return this.string();
    if (c === '{') return this.table();
    const word = /^(?:true|false|-?(?:0x[0-9a-fA-F]+|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?))/.exec(this.src.slice(this.pos, this.pos + 64));
    if (!word) this.fail('expected a literal');
    this.pos += word[0].length;
    return word[0] === 'true' ? true : word[0] === 'false' ? false : Number(word[0]);
  }

  public string(): string {
    const quote = this.src[this.pos++];
    const bytes: number[] = [];
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined || c === '\n') this.fail('unterminated string');
      this.pos++;
      if (c === quote) return Buffer.from(bytes).toString('utf8');
      if (c !== '\\') {
        bytes.push(...Buffer.from(c, 'utf8'));
        continue;
      }
      const e = this.src[this.pos];
      if (/\d/.test(e)) {
        const digits = /^\d{1,3}/.exec(this.src.slice(this.pos))![0];
        this.pos += digits.length;
        bytes.push(Number(digits));
      } else if (e === 'x') {
        bytes.push(parseInt(this.src.slice(this.pos + 1, this.pos + 3), 16));
        this.pos += 3;
      } else if (SIMPLE_ESCAPES[e] !== undefined) {
        bytes.push(SIMPLE_ESCAPES[e]);
        this.pos++;
      } else {
        this.fail(`unsupported escape \\${e}`);
      }
    }
  }

  public table(): LuaTable {
    this.pos++; // {
    const table: LuaTable = { fields: new Map(), items: [] };
    for (;;) {
      this.space();
      if (this.src[this.pos] === '}') { this.pos++; return table; }
      if (this.src[this.pos] === '[') {
        this.pos++;
        const key = this.value();
        this.space();
        if (this.src[this.pos] !== ']') this.fail('expected ]');
        this.pos++;
        this.expect('=');
        table.fields.set(String(key), this.value());
      } else {
        const name = /^[A-Za-z_][A-Za-z0-9_]*\s*=(?!=)/.exec(this.src.slice(this.pos, this.pos + 256));
        if (name) {
          this.pos += name[0].length;
          table.fields.set(name[0].replace(/\s*=$/, ''), this.value());
        } else {
          table.items.push(this.value());
        }
      }
      this.space();
      if (this.src[this.pos] === ',' || this.src[this.pos] === ';') this.pos++;
      else if (this.src[this.pos] !== '}') this.fail('expected , or }');
    }
  }

  private expect(token: string): void {
    this.space();
    if (this.src[this.pos] !== token) this.fail(`expected ${token}`);
    this.pos++;
  }
}

/** The literal assigned by the first `local NAME = <literal>` at the start of a line; undefined when there is none. */
export function luaLocal(src: string, name: string): LuaValue | undefined {
  const m = new RegExp(`^[ \\t]*local[ \\t]+${name}[ \\t]*=`, 'm').exec(src);
  if (!m) return undefined;
  return new LuaReader(src, m.index + m[0].length).value();
}
