'use strict';
// A fresh cdk8s app outside the repository with the packed library installed,
// as a user has it: used by the package test (pack-consume.js) and by the
// measurement of what the library adds to a user's synth (user-app-cost.js).
//
// Offline install: the tarball is unpacked into the app's node_modules the way
// npm lays a package out, and each dependency and peer dependency the packed
// package.json declares (nothing else) is linked from this repository's
// node_modules, which `npm ci` installed from the lock file. That needs neither
// the registry nor npm's cache, and an undeclared runtime dependency fails to
// resolve, as it would for a user.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const repoModules = path.join(root, 'node_modules');
/** Where scripts/build-jsii.js stages and compiles the package. */
const JSII_STAGE = path.join(root, 'build', 'jsii');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

/** The package's files that the TypeScript compiler parses for the consumer app's `main.ts` in `app`: what ts-node loads on every synth. */
function packageFilesParsed(app) {
  const ts = require('typescript');
  const program = ts.createProgram([path.join(app, 'main.ts')], { noEmit: true, skipLibCheck: true, types: ['node'], typeRoots: [path.join(app, 'node_modules', '@types')] });
  return program.getSourceFiles().filter((f) => f.fileName.includes(`/node_modules/${pkg.name}/`));
}

/** Runs a command, returning its stdout; throws with its output when it fails. */
function run(command, args, cwd, env = {}) {
  const merged = { ...process.env, ...env };
  delete merged.NODE_PATH;
  const result = spawnSync(command, args, { cwd, env: merged, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${result.status}\n${result.stdout}${result.stderr}`);
  }
  return result.stdout;
}

/**
 * The package as it is published: the library compiled by jsii
 * (scripts/build-jsii.js, after the regular build) and `npm pack`ed from its
 * stage into `work`, with the `.jsii` assembly Construct Hub reads and the
 * bundled dependencies. Returns the tarball's path and its file list.
 */
function packInto(work) {
  if (!path.relative(root, work).startsWith('..')) throw new Error(`temporary folder ${work} is inside the repository`);
  run(process.execPath, [path.join(__dirname, 'build.js')], root);
  run(process.execPath, [path.join(__dirname, 'build-jsii.js')], root);
  run('npm', ['pack', '--silent', '--pack-destination', work], JSII_STAGE);
  const tarball = path.join(work, `${pkg.name}-${pkg.version}.tgz`);
  if (!fs.existsSync(tarball)) throw new Error(`npm pack wrote no ${path.basename(tarball)}`);
  const files = run('tar', ['-tzf', tarball], root).split('\n').filter(Boolean)
    .map((entry) => entry.replace(/^package\//, '')).sort();
  return { tarball, files };
}

/**
 * A fresh app in `dir` with the tarball installed and `extra` packages (for
 * example cdk8s-cli, ts-node) linked as a user's devDependencies would be.
 * Returns the folder where the package is installed.
 */
function createConsumerApp(dir, tarball, extra = []) {
  const modules = path.join(dir, 'node_modules');
  const installed = path.join(modules, pkg.name);
  fs.mkdirSync(installed, { recursive: true });
  run('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1'], root);
  const packed = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
  for (const name of [...Object.keys(packed.dependencies ?? {}), ...Object.keys(packed.peerDependencies ?? {}), '@types/node', ...extra]) {
    linkFromRepo(modules, name);
  }
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '0.0.0', private: true }, null, 2));
  return installed;
}

function linkFromRepo(modules, name) {
  const source = path.join(repoModules, name);
  if (!fs.existsSync(source)) throw new Error(`${name} is not installed in ${repoModules}: run npm ci`);
  const target = path.join(modules, name);
  if (fs.existsSync(target)) return;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.symlinkSync(source, target, 'dir');
  // its commands, as npm links them into node_modules/.bin (npx finds them there)
  const { bin } = JSON.parse(fs.readFileSync(path.join(source, 'package.json'), 'utf8'));
  const bins = typeof bin === 'string' ? { [name.split('/').pop()]: bin } : bin ?? {};
  for (const [command, file] of Object.entries(bins)) {
    const link = path.join(modules, '.bin', command);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    if (!fs.existsSync(link)) fs.symlinkSync(path.join(source, file), link);
  }
}

/** A tsconfig.json for `main.ts` of the app. */
function writeTsconfig(dir, file, compilerOptions) {
  fs.writeFileSync(path.join(dir, file), JSON.stringify({ compilerOptions, files: ['main.ts'] }, null, 2));
}

/** The first TypeScript example of the README: the five-minute app a user writes first. */
function readmeExample() {
  const block = /```ts\n([\s\S]*?)```/.exec(fs.readFileSync(path.join(root, 'README.md'), 'utf8'));
  if (!block) throw new Error('README.md has no ts example');
  return block[1];
}

module.exports = { root, repoModules, pkg, run, packInto, createConsumerApp, writeTsconfig, readmeExample, packageFilesParsed };
