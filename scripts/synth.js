#!/usr/bin/env node
'use strict';
// The main job: synthesizes every app under apps/ into dist/<app>/ from the
// compiled JavaScript in build/ (run `npm run build` first; `npm run synth` does).
// Each app module exports createApp(): App.
// Stale output is removed first: all of dist/ on a full run, else each app's folder.
// usage: node scripts/synth.js [--outdir DIR] [app ...]   (DIR defaults to dist/;
// in another DIR only the folders of the apps synthesized are replaced)
const fs = require('fs');
const path = require('path');
const { synthesizeManifests } = require('../build/lib/output/manifests');
const { writeManifestFolder } = require('../build/lib/output/manifest-folder');

const root = path.join(__dirname, '..');
const appsDir = path.join(root, 'build', 'apps');
const args = process.argv.slice(2);
const outdirAt = args.indexOf('--outdir');
const distDir = outdirAt >= 0 ? path.resolve(args[outdirAt + 1] || usage('--outdir needs a folder')) : path.join(root, 'dist');
const only = outdirAt >= 0 ? [...args.slice(0, outdirAt), ...args.slice(outdirAt + 2)] : args;

const apps = fs.readdirSync(path.join(root, 'apps'))
  .filter((name) => fs.existsSync(path.join(root, 'apps', name, 'main.ts')))
  .filter((name) => only.length === 0 || only.includes(name))
  .sort();
const unknown = only.filter((name) => !apps.includes(name));
if (unknown.length > 0) usage(`no app ${unknown.join(', ')} in apps/`);

if (only.length === 0 && outdirAt < 0) fs.rmSync(distDir, { recursive: true, force: true });
let failed = false;
for (const name of apps) {
  try {
    const { createApp } = require(path.join(appsDir, name, 'main.js'));
    const files = writeManifestFolder(path.join(distDir, name), synthesizeManifests(createApp()));
    const dir = path.join(distDir, name);
    console.log(`${dir.startsWith(root + path.sep) ? path.relative(root, dir) : dir}: ${files.length} objects`);
  } catch (error) {
    failed = true;
    console.error(`apps/${name}: ${error.message}`);
  }
}
process.exit(failed ? 1 : 0);

function usage(message) {
  console.error(`${message}\nusage: node scripts/synth.js [--outdir DIR] [app ...]`);
  process.exit(2);
}
