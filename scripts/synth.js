#!/usr/bin/env node
'use strict';
// The main job: synthesizes every app under apps/ into dist/<app>/ from the
// compiled JavaScript in build/ (run `npm run build` first; `npm run synth` does).
// Each app module exports createApp(): App. Stale output is removed first.
const fs = require('fs');
const path = require('path');
const { synthesizeManifests } = require('../build/lib/output/manifests');
const { writeManifestFolder } = require('../build/lib/output/manifest-folder');

const root = path.join(__dirname, '..');
const appsDir = path.join(root, 'build', 'apps');
const distDir = path.join(root, 'dist');
const only = process.argv.slice(2);

const apps = fs.readdirSync(path.join(root, 'apps'))
  .filter((name) => fs.existsSync(path.join(root, 'apps', name, 'main.ts')))
  .filter((name) => only.length === 0 || only.includes(name))
  .sort();

if (only.length === 0) fs.rmSync(distDir, { recursive: true, force: true });
let failed = false;
for (const name of apps) {
  try {
    const { createApp } = require(path.join(appsDir, name, 'main.js'));
    const files = writeManifestFolder(path.join(distDir, name), synthesizeManifests(createApp()));
    console.log(`dist/${name}: ${files.length} objects`);
  } catch (error) {
    failed = true;
    console.error(`apps/${name}: ${error.message}`);
  }
}
process.exit(failed ? 1 : 0);
