#!/usr/bin/env node
'use strict';
// Transpiles lib/, apps/ and imports/ into build/ with esbuild, without type
// checking: the fast path of `npm run synth` (scripts/build.js --transpile-only).
// Only sources newer than their output are transpiled; doing so removes tsc's
// build info, so that the next `npm run build` compiles everything with tsc again. The JavaScript is what
// `tsc -b` would run, file for file (CommonJS, ES2022, same layout); `npm test`
// and CI still compile everything with tsc, type checks included.
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

const root = path.join(__dirname, '..');
const SOURCES = ['lib', 'apps', 'imports'];

function tsFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tsFiles(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

const outputOf = (source) => path.join(root, 'build', path.relative(root, source)).replace(/\.ts$/, '.js');
const stale = SOURCES.flatMap((dir) => tsFiles(path.join(root, dir))).filter((source) => {
  try {
    return fs.statSync(outputOf(source)).mtimeMs < fs.statSync(source).mtimeMs;
  } catch {
    return true;
  }
});
if (stale.length > 0) {
  // tsc -b would take these outputs for its own and skip them; without its build info it emits everything again,
  // so the tests and the package always run what tsc compiled
  fs.rmSync(path.join(root, 'build', '.tsbuildinfo'), { force: true });
  esbuild.buildSync({
    entryPoints: stale,
    outbase: root,
    outdir: path.join(root, 'build'),
    bundle: false,
    format: 'cjs',
    platform: 'node',
    target: 'es2022',
    tsconfig: path.join(root, 'tsconfig.json'),
    logLevel: 'warning',
  });
}
