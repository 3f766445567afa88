#!/usr/bin/env node
'use strict';
// npm run build [-- --force] [--transpile-only]: compiles TypeScript (tsc -b)
// into build/, then the CRD schema validators (scripts/compile-validators.js).
// Each step is skipped when none of its inputs and outputs changed since it last
// succeeded (see scripts/up-to-date.js): loading the TypeScript compiler alone
// costs more than a no-op build should. --force runs both. --transpile-only (the
// edit loop of `npm run synth`) transpiles lib/, apps/ and imports/ with esbuild
// instead, without type checks, which `npm test` and CI run.
const { spawnSync } = require('child_process');
const path = require('path');
const { fingerprint, upToDate, record, forget, root } = require('./up-to-date');

const force = process.argv.includes('--force');
const transpileOnly = process.argv.includes('--transpile-only');

const sourceInputs = () => fingerprint(['tsconfig.json', 'package-lock.json', 'lib', 'apps', 'imports'], (f) => f.endsWith('.ts'));
const compile = transpileOnly ? {
  name: 'transpile',
  inputs: sourceInputs,
  outputs: () => fingerprint(['build/lib', 'build/apps', 'build/imports'], (f) => f.endsWith('.js')),
  command: [path.join(__dirname, 'transpile.js')],
} : {
  name: 'tsc',
  // what tsconfig.json includes, the compiler options, and the dependency versions
  inputs: () => fingerprint(['tsconfig.json', 'package-lock.json', 'lib', 'apps', 'imports', 'test'], (f) => f.endsWith('.ts')),
  outputs: () => fingerprint(['build/.tsbuildinfo']),
  command: [require.resolve('typescript/bin/tsc'), '-b'],
};

const steps = [
  compile,
  {
    name: 'validators',
    inputs: () => fingerprint(['imports/schemas', 'build/lib/validation/schema-validator.js', 'scripts/compile-validators.js', 'package-lock.json'], (f) => f.endsWith('.json')),
    outputs: () => fingerprint(['build/validators'], (f) => f.endsWith('.js')),
    command: [path.join(__dirname, 'compile-validators.js')],
  },
];

for (const step of steps) {
  const before = { inputs: step.inputs(), outputs: step.outputs() };
  if (!force && upToDate(step.name, before)) continue;
  forget(step.name);
  const result = spawnSync(process.execPath, step.command, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  // inputs as they were when the step started: a file edited meanwhile runs the step again
  record(step.name, { inputs: before.inputs, outputs: step.outputs() });
}
