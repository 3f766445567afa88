#!/usr/bin/env node
'use strict';
// npm run docs          regenerates docs/API.md from the doc comments of the
//                       public API (lib/index.ts), configured by typedoc.json.
// npm run docs:check    fails when docs/API.md differs from what would be generated.
// TypeDoc writes into a temporary folder (it empties its output folder), so
// nothing else under docs/ is touched. Undocumented exports and broken links
// fail the generation (typedoc.json: validation + treatWarningsAsErrors).
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');
const target = path.join(root, 'docs', 'API.md');
const check = process.argv.includes('--check');

const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'maas-egress-api-docs-'));
try {
  const bin = path.join(path.dirname(require.resolve('typedoc/package.json')), 'bin', 'typedoc');
  const typedoc = spawnSync(process.execPath, [bin, '--logLevel', 'Warn', '--out', outDir], { cwd: root, stdio: 'inherit' });
  if (typedoc.status !== 0) fail('typedoc failed (see above): document every export of lib/index.ts and fix broken {@link}s');
  const written = fs.readdirSync(outDir);
  if (written.length !== 1 || written[0] !== 'API.md') fail(`expected typedoc to write API.md only, got: ${written.join(', ')}`);
  const generated = fs.readFileSync(path.join(outDir, 'API.md'), 'utf8');
  if (check) {
    const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
    if (current !== generated) fail('docs/API.md is stale: run `npm run docs` and commit the result');
    console.log('docs/API.md is current');
  } else {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, generated);
    console.log('wrote docs/API.md');
  }
} finally {
  fs.rmSync(outDir, { recursive: true, force: true });
}

function fail(message) {
  console.error(message);
  fs.rmSync(outDir, { recursive: true, force: true });
  process.exit(1);
}
