/**
 * Evaluates the small part of CEL that Kuadrant policies in these manifests
 * use (`==`, `!=`, `&&`, `||`, `!`, `+`, member access, `has()`,
 * `endsWith/startsWith/contains/split`, `requestBodyJSON()`), in three values:
 * a result, or UNKNOWN when it depends on something only known at request
 * time (fetched metadata, an unsupported construct).
 */
export const UNKNOWN: unique symbol = Symbol('unknown');
export type CelValue = string | number | boolean | null | CelValue[] | { [k: string]: CelValue } | typeof UNKNOWN;

/** Where identifiers and `requestBodyJSON` get their values. */
export interface CelContext {
  /** Value at a dotted path such as ['auth', 'identity', 'tier']; undefined when absent, UNKNOWN when not knowable. */
  lookup(path: readonly string[]): CelValue | undefined;
  /** Value at a JSON pointer of the request body; undefined when absent. */
  bodyJson(pointer: string): CelValue | undefined;
}

type Node =
  | { t: 'lit'; v: CelValue }
  | { t: 'path'; p: string[] }
  | { t: 'call'; fn: string; target?: Node; args: Node[] }
  | { t: 'index'; target: Node; key: Node }
  | { t: 'un'; op: string; a: Node }
  | { t: 'bin'; op: string; a: Node; b: Node }
  | { t: 'list'; items: Node[] };

const TOKEN = /\s*(?:("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(==|!=|<=|>=|&&|\|\||[-+!<>().,[\]?:]))/y;

function tokenize(src: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < src.length) {
    if (/^\s*$/.test(src.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(src);
    if (!m) throw new Error(`unsupported CEL near "${src.slice(TOKEN.lastIndex, TOKEN.lastIndex + 20)}"`);
    out.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
  }
  return out;
}

function unquote(token: string): string {
  return token.slice(1, -1).replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) =>
    e.length > 1 ? String.fromCharCode(parseInt(e.slice(1), 16)) : ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[e] ?? e);
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: string[]) {}

  public parseAll(): Node {
    const node = this.or();
    if (this.i < this.tokens.length) throw new Error(`unexpected "${this.tokens[this.i]}"`);
    return node;
  }

  private peek(): string | undefined { return this.tokens[this.i]; }
  private take(expected?: string): string {
    const token = this.tokens[this.i++];
    if (token === undefined || (expected !== undefined && token !== expected)) throw new Error(`expected ${expected ?? 'more'}`);
    return token;
  }

  private or(): Node { return this.binary(['||'], () => this.and()); }
  private and(): Node { return this.binary(['&&'], () => this.cmp()); }
  private cmp(): Node { return this.binary(['==', '!=', '<', '<=', '>', '>=', 'in'], () => this.add()); }
  private add(): Node { return this.binary(['+', '-'], () => this.unary()); }

  private binary(ops: string[], next: () => Node): Node {
    let a = next();
    while (ops.includes(this.peek() ?? '')) {
      const op = this.take();
      a = { t: 'bin', op, a, b: next() };
    }
    return a;
  }

  private unary(): Node {
    if (this.peek() === '!' || this.peek() === '-') return { t: 'un', op: this.take(), a: this.unary() };
    return this.postfix(this.primary());
  }

  private args(): Node[] {
    this.take('(');
    const args: Node[] = [];
    while (this.peek() !== ')') {
      args.push(this.or());
      if (this.peek() === ',') this.take();
    }
    this.take(')');
    return args;
  }

  private primary(): Node {
    const token = this.take();
    if (token === '(') { const e = this.or(); this.take(')'); return e; }
    if (token === '[') {
      const items: Node[] = [];
      while (this.peek() !== ']') { items.push(this.or()); if (this.peek() === ',') this.take(); }
      this.take(']');
      return { t: 'list', items };
    }
    if (token[0] === '"' || token[0] === "'") return { t: 'lit', v: unquote(token) };
    if (/^\d/.test(token)) return { t: 'lit', v: Number(token) };
    if (token === 'true' || token === 'false') return { t: 'lit', v: token === 'true' };
    if (token === 'null') return { t: 'lit', v: null };
    if (this.peek() === '(') return { t: 'call', fn: token, args: this.args() };
    return { t: 'path', p: [token] };
  }

  private postfix(node: Node): Node {
    for (;;) {
      if (this.peek() === '.') {
        this.take();
        const name = this.take();
        if (this.peek() === '(') node = { t: 'call', fn: name, target: node, args: this.args() };
        else node = node.t === 'path' ? { t: 'path', p: [...node.p, name] } : { t: 'index', target: node, key: { t: 'lit', v: name } };
      } else if (this.peek() === '[') {
        this.take();
        const key = this.or();
        this.take(']');
        node = node.t === 'path' && key.t === 'lit' && typeof key.v === 'string' ? { t: 'path', p: [...node.p, key.v] } : { t: 'index', target: node, key };
      } else {
        return node;
      }
    }
  }
}

function member(value: CelValue | undefined, key: CelValue): CelValue | undefined {
  if (value === UNKNOWN || key === UNKNOWN) return UNKNOWN;
  if (value === undefined || value === null || typeof value !== 'object') return undefined;
  return (value as any)[key as any];
}

function evaluate(node: Node, ctx: CelContext): CelValue | undefined {
  switch (node.t) {
    case 'lit': return node.v;
    case 'list': return node.items.map((n) => evaluate(n, ctx) ?? UNKNOWN) as CelValue;
    case 'path': return ctx.lookup(node.p);
    case 'index': return member(evaluate(node.target, ctx), evaluate(node.key, ctx) ?? UNKNOWN);
    case 'un': {
      const a = evaluate(node.a, ctx);
      if (a === UNKNOWN || a === undefined) return UNKNOWN;
      return node.op === '!' ? !a : -(a as number);
    }
    case 'bin': return binary(node.op, node.a, node.b, ctx);
    case 'call': return call(node, ctx);
  }
}

function binary(op: string, an: Node, bn: Node, ctx: CelContext): CelValue {
  const a = evaluate(an, ctx);
  if (op === '&&' || op === '||') {
    const stop = op === '||'; // the value that decides alone
    if (a === stop) return stop;
    const b = evaluate(bn, ctx);
    if (b === stop) return stop;
    return a === !stop && b === !stop ? !stop : UNKNOWN;
  }
  const b = evaluate(bn, ctx);
  if (a === UNKNOWN || b === UNKNOWN || a === undefined || b === undefined) return UNKNOWN;
  switch (op) {
    case '==': return JSON.stringify(a) === JSON.stringify(b);
    case '!=': return JSON.stringify(a) !== JSON.stringify(b);
    case '+': return typeof a === 'string' || typeof b === 'string' ? `${a}${b}` : (a as number) + (b as number);
    case '-': return (a as number) - (b as number);
    case '<': return (a as number) < (b as number);
    case '<=': return (a as number) <= (b as number);
    case '>': return (a as number) > (b as number);
    case '>=': return (a as number) >= (b as number);
    case 'in': return Array.isArray(b) ? b.some((x) => JSON.stringify(x) === JSON.stringify(a)) : UNKNOWN;
    default: return UNKNOWN;
  }
}

function call(node: Extract<Node, { t: 'call' }>, ctx: CelContext): CelValue | undefined {
  if (!node.target && node.fn === 'has') {
    const v = node.args[0] ? evaluate(node.args[0], ctx) : UNKNOWN;
    return v === UNKNOWN ? UNKNOWN : v !== undefined;
  }
  const args = node.args.map((a) => evaluate(a, ctx));
  if (args.some((a) => a === UNKNOWN || a === undefined)) return UNKNOWN;
  if (!node.target) {
    if (node.fn === 'requestBodyJSON' && typeof args[0] === 'string') return ctx.bodyJson(args[0]);
    if (node.fn === 'size' && (typeof args[0] === 'string' || Array.isArray(args[0]))) return args[0].length;
    return UNKNOWN;
  }
  const target = evaluate(node.target, ctx);
  if (typeof target !== 'string') return UNKNOWN;
  const arg = args[0] as string;
  switch (node.fn) {
    case 'endsWith': return target.endsWith(arg);
    case 'startsWith': return target.startsWith(arg);
    case 'contains': return target.includes(arg);
    case 'split': return target.split(arg);
    case 'lowerAscii': return target.toLowerCase();
    case 'size': return target.length;
    default: return UNKNOWN;
  }
}

/** Parses and evaluates `expression`; an expression outside the subset evaluates to UNKNOWN. */
export function evaluateCel(expression: string, ctx: CelContext): CelValue | undefined {
  let ast: Node;
  try {
    ast = new Parser(tokenize(expression)).parseAll();
  } catch {
    return UNKNOWN;
  }
  return evaluate(ast, ctx);
}

/** The value of a JSON pointer (RFC 6901) in `doc`; undefined when absent. */
export function jsonPointer(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  if (!pointer.startsWith('/')) return undefined;
  let value: any = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = value[key];
  }
  return value;
}

/** Tier names compared with `auth.identity.tier` in an expression, e.g. ["free"]. */
export function tiersNamedIn(expression: string): string[] {
  const tiers: string[] = [];
  const re = /auth\.identity\.tier\s*==\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*==\s*auth\.identity\.tier/g;
  for (let m = re.exec(expression); m; m = re.exec(expression)) tiers.push(unquote(m[1] ?? m[2]));
  return tiers;
}
