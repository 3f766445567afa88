import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LUA_TEST_DIR, runLuaJit, utf8 } from './luajit';

export type Header = [string, string];

/** One request given to the generated router. */
export interface RouterRequest {
  /** Every request header, `:path` included. */
  readonly headers: Header[];
  /** Request body; undefined: no body at all. */
  readonly body?: string | Buffer;
  /** getBytes() throws, as a broken buffer would. */
  readonly broken?: boolean;
}

/** What the router did with a request, as the Lua runner reports it. */
export interface Outcome {
  readonly name: string;
  readonly error?: string;
  readonly status?: string;
  readonly responseHeaders?: Record<string, string>;
  readonly responseBody?: string;
  readonly headers: Header[];
  readonly logs: string[];
  readonly bodyCalls: number;
}

/** Results of one LuaJIT run: outcomes by case name, and the globals the script left behind. */
export interface RouterRun {
  readonly outcomes: Map<string, Outcome>;
  readonly globals: string[];
}

function netstring(value: string | Buffer): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  return Buffer.concat([Buffer.from(`${bytes.length}:`), bytes, Buffer.from(',')]);
}

function encode(requests: Record<string, RouterRequest>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, r] of Object.entries(requests)) {
    parts.push(netstring(name), netstring(r.broken ? 'broken' : r.body === undefined ? 'none' : 'bytes'), netstring(r.body ?? ''),
      netstring(String(r.headers.length)), ...r.headers.flatMap(([n, v]) => [netstring(n), netstring(v)]));
  }
  return Buffer.concat(parts);
}

/** Runs `envoy_on_request` of `luaSource` for every request, in one LuaJIT process, against the Envoy stub. */
export function runModelRouter(luaSource: string, requests: Record<string, RouterRequest>): RouterRun {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-router-lua-'));
  try {
    const router = path.join(tmp, 'router.lua');
    const cases = path.join(tmp, 'cases.bin');
    fs.writeFileSync(router, luaSource);
    fs.writeFileSync(cases, encode(requests));
    const lines = runLuaJit([path.join(LUA_TEST_DIR, 'run-model-router.lua'), router, cases]).trim().split('\n');
    const outcomes = new Map<string, Outcome>();
    for (const line of lines.slice(0, -1)) {
      const outcome = JSON.parse(line) as Outcome;
      outcomes.set(utf8(outcome.name), outcome);
    }
    return { outcomes, globals: JSON.parse(lines[lines.length - 1]).globals };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Values of header `name` after the script ran (UTF-8). */
export function headerValues(outcome: Outcome, name: string): string[] {
  return outcome.headers.filter(([n]) => n === name.toLowerCase()).map(([, v]) => utf8(v));
}
