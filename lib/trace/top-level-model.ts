/**
 * The model router's reading of a request body, ported from the Lua the
 * library generates (lib/unified/model-router-lua.ts, `read_model`): the body
 * must be one JSON object; its top-level "model" must be a string and appear
 * once; a "model" nested anywhere else is ignored. Byte for byte the same
 * answers, including which error wins when a body has several.
 */
export type ModelReading =
  | { readonly model: Buffer; readonly unmeteredStream: boolean }
  | { readonly code: 'missing_body' | 'invalid_json' | 'duplicate_model' | 'invalid_model' | 'missing_model'; readonly message: string };

const MAX_DEPTH = 1000;
const ESCAPES: Record<number, number> = { 34: 34, 92: 92, 47: 47, 98: 8, 102: 12, 110: 10, 114: 13, 116: 9 };
const LITERALS: Record<number, string> = { 116: 'true', 102: 'false', 110: 'null' };

function isSpace(c: number | undefined): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function skipSpace(s: Buffer, pos: number): number {
  while (isSpace(s[pos])) pos++;
  return pos;
}

function hex4(s: Buffer, i: number): number | undefined {
  const digits = s.subarray(i, i + 4).toString('latin1');
  return /^[0-9A-Fa-f]{4}$/.test(digits) ? parseInt(digits, 16) : undefined;
}

function utf8(cp: number): number[] {
  return [...Buffer.from(String.fromCodePoint(cp), 'utf8')];
}

/** Reads the JSON string whose quote is at i: [position after it, decoded bytes] or [undefined, why]. */
function readString(s: Buffer, i: number, keep: boolean): [number, number[]] | [undefined, string] {
  const out: number[] = [];
  let pos = i + 1;
  for (;;) {
    const c = s[pos];
    if (c === undefined) return [undefined, 'unterminated string'];
    if (c === 34) return [pos + 1, out];
    if (c < 32) return [undefined, 'control character in a string'];
    if (c !== 92) {
      if (keep) out.push(c);
      pos++;
      continue;
    }
    const e = s[pos + 1];
    pos += 2;
    if (e !== undefined && ESCAPES[e] !== undefined) {
      if (keep) out.push(ESCAPES[e]);
      continue;
    }
    let cp = e === 117 ? hex4(s, pos) : undefined;
    if (cp === undefined) return [undefined, 'invalid escape in a string'];
    pos += 4;
    if (cp >= 0xd800 && cp <= 0xdfff) {
      const low = cp <= 0xdbff && s[pos] === 92 && s[pos + 1] === 117 ? hex4(s, pos + 2) : undefined;
      if (low === undefined || low < 0xdc00 || low > 0xdfff) return [undefined, 'unpaired surrogate in a \\u escape'];
      cp = 0x10000 + (cp - 0xd800) * 0x400 + (low - 0xdc00);
      pos += 6;
    }
    if (keep) out.push(...utf8(cp));
  }
}

function skipNumber(s: Buffer, i: number): number | undefined {
  let pos = i;
  if (s[pos] === 45) pos++;
  const first = pos;
  while (s[pos] !== undefined && s[pos] >= 48 && s[pos] <= 57) pos++;
  if (pos === first) return undefined;
  if (s[first] === 48 && pos - first > 1) return undefined; // leading zero
  const digits = (from: number): number => {
    let p = from;
    while (s[p] !== undefined && s[p] >= 48 && s[p] <= 57) p++;
    return p;
  };
  if (s[pos] === 46) {
    const end = digits(pos + 1);
    if (end === pos + 1) return undefined;
    pos = end;
  }
  if (s[pos] === 101 || s[pos] === 69) {
    let start = pos + 1;
    if (s[start] === 43 || s[start] === 45) start++;
    const end = digits(start);
    if (end === start) return undefined;
    pos = end;
  }
  return pos;
}

/** The top-level "model" of `body` (undefined: no body), or the error the router answers with. */
export function readTopLevelModel(body: Buffer | undefined): ModelReading {
  if (body === undefined || body.length === 0) return { code: 'missing_body', message: 'the request needs a JSON body with a "model"' };
  const s = body;
  const invalid = (why: string, at: number): ModelReading =>
    ({ code: 'invalid_json', message: `the request body is not valid JSON: ${why} at byte offset ${at}` });
  let pos = skipSpace(s, 0);
  if (s[pos] !== 123) return { code: 'invalid_json', message: 'the request body must be a JSON object' };
  const closers = [125];
  let expect: 'first_key' | 'key' | 'colon' | 'value' | 'first_value' | 'next' = 'first_key';
  let model: Buffer | undefined;
  let seen = false;
  let isModel = false;
  let member: string | undefined;
  let inner: string | undefined;
  let stream = false;
  let includeUsage = false;
  pos++;
  while (closers.length > 0) {
    pos = skipSpace(s, pos);
    const c = s[pos];
    const depth = closers.length;
    if (c === undefined) return invalid('unexpected end', pos);
    if (expect === 'next') {
      if (c === 44) expect = closers[depth - 1] === 125 ? 'key' : 'value';
      else if (c === closers[depth - 1]) closers.pop();
      else return invalid("expected ',' or a closing bracket", pos);
      pos++;
    } else if ((expect === 'first_key' && c === 125) || (expect === 'first_value' && c === 93)) {
      closers.pop();
      expect = 'next';
      pos++;
    } else if (expect === 'first_key' || expect === 'key') {
      if (c !== 34) return invalid('expected a member name', pos);
      const inOptions = depth === 2 && member === 'stream_options' && closers[1] === 125;
      const [after, name] = readString(s, pos, depth === 1 || inOptions);
      if (after === undefined) return invalid(name, pos);
      const text = Buffer.from(name).toString('latin1');
      if (depth === 1) {
        member = text;
        if (text === 'stream_options') includeUsage = false;
      }
      if (inOptions) inner = text;
      if (depth === 1 && Buffer.from(name).toString('latin1') === 'model') {
        if (seen) return { code: 'duplicate_model', message: 'the request body has more than one top-level "model"' };
        seen = true;
        isModel = true;
      }
      expect = 'colon';
      pos = after;
    } else if (expect === 'colon') {
      if (c !== 58) return invalid("expected ':'", pos);
      expect = 'value';
      pos++;
    } else {
      if (isModel && c !== 34) return { code: 'invalid_model', message: '"model" must be a string' };
      const atStream = depth === 1 && member === 'stream';
      const atUsage = depth === 2 && member === 'stream_options' && closers[1] === 125 && inner === 'include_usage';
      let yes = false;
      if (c === 34) {
        const [after, text] = readString(s, pos, isModel);
        if (after === undefined) return invalid(text, pos);
        if (isModel) model = Buffer.from(text);
        expect = 'next';
        pos = after;
      } else if (c === 123 || c === 91) {
        if (depth >= MAX_DEPTH) return invalid(`nesting deeper than ${MAX_DEPTH} levels`, pos);
        closers.push(c + 2);
        expect = c === 123 ? 'first_key' : 'first_value';
        pos++;
      } else {
        const word = LITERALS[c];
        const after = word && s.subarray(pos, pos + word.length).toString('latin1') === word ? pos + word.length : skipNumber(s, pos);
        if (after === undefined) return invalid('unexpected character', pos);
        yes = word === 'true' && after === pos + 4;
        expect = 'next';
        pos = after;
      }
      if (atStream) stream = yes;
      if (atUsage) includeUsage = yes;
      isModel = false;
    }
  }
  pos = skipSpace(s, pos);
  if (pos < s.length) return invalid('unexpected data after the JSON object', pos);
  if (!seen || model === undefined) return { code: 'missing_model', message: 'the request body has no top-level "model"' };
  return { model, unmeteredStream: stream && !includeUsage };
}
