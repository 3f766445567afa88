#!/usr/bin/env node
'use strict';
// The main job: synthesizes every app under apps/ into dist/<app>/ from the
// compiled JavaScript in build/ (run `npm run build` first; `npm run synth` does).
// Each app module exports createApp(): App.
// An app whose folder is as the last synthesis wrote it, from the same compiled
// library, app and dependencies, is not synthesized again (see
// scripts/up-to-date.js); --force synthesizes every app. On a full run into
// dist/, folders of apps that no longer exist are removed.
// usage: node scripts/synth.js [--force] [--outdir DIR] [app ...]   (DIR defaults to dist/;
// in another DIR only the folders of the apps synthesized are replaced)
const fs = require('fs');
const path = require('path');
const { fingerprint, upToDate, readStamp, record, forget } = require('./up-to-date');

const root = path.join(__dirname, '..');
const appsDir = path.join(root, 'build', 'apps');
const force = process.argv.includes('--force');
const args = process.argv.slice(2).filter((arg) => arg !== '--force');
const outdirAt = args.indexOf('--outdir');
const distDir = outdirAt >= 0 ? path.resolve(args[outdirAt + 1] || usage('--outdir needs a folder')) : path.join(root, 'dist');
const only = outdirAt >= 0 ? [...args.slice(0, outdirAt), ...args.slice(outdirAt + 2)] : args;

const apps = fs.readdirSync(path.join(root, 'apps'))
  .filter((name) => fs.existsSync(path.join(root, 'apps', name, 'main.ts')))
  .filter((name) => only.length === 0 || only.includes(name))
  .sort();
const unknown = only.filter((name) => !apps.includes(name));
if (unknown.length > 0) usage(`no app ${unknown.join(', ')} in apps/`);

if (only.length === 0 && outdirAt < 0 && fs.existsSync(distDir)) {
  for (const entry of fs.readdirSync(distDir)) {
    if (!apps.includes(entry)) fs.rmSync(path.join(distDir, entry), { recursive: true, force: true });
  }
}
// what every app's output depends on besides the compiled modules it loads: the
// validators, this script and the dependencies
const shared = fingerprint(['build/validators', 'scripts/synth.js', 'package-lock.json'], (f) => f.endsWith('.js') || f.endsWith('.json'));
const buildDir = path.join(root, 'build') + path.sep;
/**
 * The compiled modules of build/ that `entry` loaded, directly or through others
 * (Node records a module as its requirer's child even when it came from the cache).
 */
function modulesOf(entry) {
  const seen = new Set();
  const visit = (mod) => {
    if (!mod || seen.has(mod.filename) || !mod.filename.startsWith(buildDir)) return;
    seen.add(mod.filename);
    for (const child of mod.children) visit(child);
  };
  visit(require.cache[entry]);
  // the synthesis helpers of this script are inputs of every app too
  for (const helper of ['output/manifests.js', 'output/manifest-folder.js']) visit(require.cache[path.join(buildDir, 'lib', helper)]);
  return [...seen].map((f) => path.relative(root, f)).sort();
}
let failed = false;
for (const name of apps) {
  const dir = path.join(distDir, name);
  const shown = dir.startsWith(root + path.sep) ? path.relative(root, dir) : dir;
  const stamp = `synth-${path.relative(root, dir) || dir}`;
  // the modules the app loaded last time, as recorded in its stamp: an edit elsewhere leaves it alone
  const previous = readStamp(stamp);
  const inputs = previous ? { ...shared, ...fingerprint(previous.modules ?? ['build']) } : undefined;
  if (!force && inputs && upToDate(stamp, { inputs, modules: previous.modules, output: folderPrint(dir) }, previous)) {
    console.log(`${shown}: up to date`);
    continue;
  }
  forget(stamp);
  try {
    // loaded only when an app is synthesized: a run with nothing to do stays cheap
    const { synthesizeManifests } = require('../build/lib/output/manifests');
    const { writeManifestFolder } = require('../build/lib/output/manifest-folder');
    const entry = path.join(appsDir, name, 'main.js');
    const { createApp } = require(entry);
    const files = writeManifestFolder(dir, synthesizeManifests(createApp()));
    const modules = modulesOf(entry);
    record(stamp, { inputs: { ...shared, ...fingerprint(modules) }, modules, output: folderPrint(dir) });
    console.log(`${shown}: ${files.length} objects`);
  } catch (error) {
    failed = true;
    console.error(`apps/${name}: ${error.message}`);
  }
}
process.exit(failed ? 1 : 0);

/** The files of an output folder as they are now (any path, also outside the repository). */
function folderPrint(dir) {
  if (!fs.existsSync(dir)) return {};
  return Object.fromEntries(fs.readdirSync(dir).sort().map((file) => {
    const stat = fs.statSync(path.join(dir, file));
    return [file, `${stat.size}:${stat.mtimeMs}`];
  }));
}

function usage(message) {
  console.error(`${message}\nusage: node scripts/synth.js [--force] [--outdir DIR] [app ...]`);
  process.exit(2);
}
