#!/usr/bin/env node
'use strict';
// Precompiles the CRD schemas of imports/schemas into standalone Ajv validators
// under build/validators, so synth does not compile schemas on every run.
// Skips a group whose validator is newer than its schema.
const fs = require('fs');
const path = require('path');
const standaloneCode = require('ajv/dist/standalone').default;
const { createAjv } = require('../build/lib/validation/schema-validator');

const root = path.join(__dirname, '..');
const schemaDir = path.join(root, 'imports', 'schemas');
const outDir = path.join(root, 'build', 'validators');
fs.mkdirSync(outDir, { recursive: true });

for (const file of fs.readdirSync(schemaDir).filter((f) => f.endsWith('.json')).sort()) {
  const source = path.join(schemaDir, file);
  const target = path.join(outDir, file.replace(/\.json$/, '.js'));
  if (fs.existsSync(target) && fs.statSync(target).mtimeMs >= fs.statSync(source).mtimeMs) continue;
  const schemas = JSON.parse(fs.readFileSync(source, 'utf8'));
  const ajv = createAjv({ code: { source: true } });
  for (const [key, schema] of Object.entries(schemas)) ajv.addSchema(schema, key);
  const exportsMap = Object.fromEntries(Object.keys(schemas).map((key) => [key, key]));
  fs.writeFileSync(target, standaloneCode(ajv, exportsMap));
}
