import * as fs from 'fs';
import * as path from 'path';
import { REPO_DIR } from '../helpers';

// Folder-level imports of lib/ (type-only imports included) form no cycle: the
// layers are core < internal < credentials, providers, unified < contracts <
// planes, platform/<p> < platform < constructs, and output, validation, trace,
// cli and api beside them. Data planes and platforms see the constructs only
// through the interfaces of contracts/.
const CONSTRUCT_LAYER = ['constructs', 'planes', 'platform', 'platform/subscription', 'platform/tier-based'];

const LIB = path.join(REPO_DIR, 'lib');
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sources(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}
/** lib/platform/<p>/ is a folder of its own; every other file belongs to its first folder under lib/. */
function folderOf(file: string): string | undefined {
  const parts = path.relative(LIB, file).split(path.sep);
  if (parts[0] === '..' || parts.length === 1) return undefined; // imports/, or lib/index.ts
  return parts[0] === 'platform' && parts.length > 2 ? `platform/${parts[1]}` : parts[0];
}

const edges = new Map<string, Set<string>>();
for (const file of sources(LIB)) {
  const from = folderOf(file);
  for (const m of fs.readFileSync(file, 'utf8').matchAll(/\bfrom '(\.{1,2}\/[^']+)'/g)) {
    const to = folderOf(path.join(path.dirname(file), `${m[1]}.ts`));
    if (from && to && to !== from) edges.set(from, new Set([...(edges.get(from) ?? []), to]));
  }
}

/** Strongly connected groups of more than one folder (Tarjan). */
function cycles(): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next); low.set(v, next++); stack.push(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do { w = stack.pop()!; group.push(w); } while (w !== v);
      if (group.length > 1) found.push(group.sort());
    }
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) visit(v);
  return found;
}

test('no folder of lib/ imports, directly or not, a folder that imports it', () => {
  expect(cycles()).toEqual([]);
});

test('the analysis and output layers and the contracts import nothing of the construct layer', () => {
  const lower = ['core', 'internal', 'credentials', 'providers', 'unified', 'contracts', 'output', 'validation', 'trace'];
  const upward = lower.flatMap((f) => [...(edges.get(f) ?? [])].filter((to) => CONSTRUCT_LAYER.includes(to)).map((to) => `${f} -> ${to}`));
  expect(upward).toEqual([]);
});

test('data planes and platforms reach the constructs only through contracts/', () => {
  const strategies = ['planes', 'platform/subscription', 'platform/tier-based'];
  const through = strategies.flatMap((f) => [...(edges.get(f) ?? [])].filter((to) => CONSTRUCT_LAYER.includes(to)).map((to) => `${f} -> ${to}`));
  expect(through).toEqual([]);
});

test('core depends on nothing else of lib/', () => {
  expect([...(edges.get('core') ?? [])]).toEqual([]);
});
