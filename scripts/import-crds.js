#!/usr/bin/env node
'use strict';
// Regenerates imports/ from the pinned CRDs (see scripts/crd-sources.js):
//   imports/<group>.ts            typed constructs, by `cdk8s import`
//   imports/schemas/<group>.json  compact JSON Schemas used to validate output
// `cdk8s import` reads only the first file of a command line and overwrites a
// group file on a second import, so each group's CRDs are concatenated first.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const YAML = require('yaml');
const { GROUPS, crdsDir } = require('./crd-sources');
const { schemasOfCrd } = require('./crd-schema');

const root = path.join(__dirname, '..');
const importsDir = path.join(root, 'imports');
const schemasDir = path.join(importsDir, 'schemas');
const source = crdsDir();
if (!fs.existsSync(source)) {
  console.error(`CRD folder not found: ${source}. Set CRDS_DIR to a folder holding the pinned CRDs (URLs in scripts/crd-sources.js).`);
  process.exit(1);
}
fs.rmSync(importsDir, { recursive: true, force: true });
fs.mkdirSync(schemasDir, { recursive: true });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crd-import-'));
const cli = path.join(root, 'node_modules', '.bin', 'cdk8s');

for (const group of GROUPS) {
  const texts = group.files.map((file) => fs.readFileSync(path.join(source, group.folder, file), 'utf8'));
  const typedTexts = texts.filter((_, i) => group.typed === true || (Array.isArray(group.typed) && group.typed.includes(group.files[i])));
  if (typedTexts.length > 0) {
    const bundle = path.join(tmp, `${group.group}.yaml`);
    fs.writeFileSync(bundle, typedTexts.map((t) => t.replace(/^---\s*\n/, '')).join('\n---\n'));
    execFileSync(cli, ['import', bundle, '--language', 'typescript', '--output', importsDir, '--no-save'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
    });
  }
  const schemas = {};
  for (const text of texts) {
    for (const doc of YAML.parseAllDocuments(text)) {
      const crd = doc.toJS();
      if (crd && crd.kind === 'CustomResourceDefinition') Object.assign(schemas, schemasOfCrd(crd));
    }
  }
  const sorted = Object.fromEntries(Object.keys(schemas).sort().map((k) => [k, schemas[k]]));
  fs.writeFileSync(path.join(schemasDir, `${group.group}.json`), JSON.stringify(sorted) + '\n');
  console.log(`${group.group}: ${Object.keys(sorted).join(', ')}`);
}
fs.rmSync(tmp, { recursive: true, force: true });
