#!/usr/bin/env node
'use strict';
// npm run validate -- <dir> [--existing [group/]Kind/namespace/name ...]
// Checks every YAML manifest under <dir> (kustomization.yaml excepted) the way
// synth does: pinned CRD schemas, duplicate objects, cross-object integrity.
// The MaaS default gateway counts as existing; name other existing objects
// with --existing. Prints one line per problem and a summary; exit 1 on problems.
const fs = require('fs');
const { manifestProblems } = require('../build/lib/validation/library-checks');
const { readManifestFolder } = require('../build/lib/output/read-manifest-folder');

const args = process.argv.slice(2);
const dirs = [];
const existing = [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'openshift-ingress', name: 'maas-default-gateway' }];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--existing') {
    const parts = (args[++i] || '').split('/');
    if (parts.length < 3 || parts.length > 4) usage(`--existing takes [group/]Kind/namespace/name, got "${args[i]}"`);
    const [group, kind, namespace, name] = parts.length === 4 ? parts : [defaultGroup(parts[0]), ...parts];
    existing.push({ group, kind, namespace, name });
  } else if (args[i].startsWith('-')) {
    usage(`unknown option ${args[i]}`);
  } else {
    dirs.push(args[i]);
  }
}
if (dirs.length === 0) usage('name at least one folder');

const manifests = [];
let files = 0;
const problems = [];
for (const dir of dirs) {
  if (!fs.existsSync(dir)) usage(`no such folder: ${dir}`);
  const folder = readManifestFolder(dir);
  files += folder.files;
  manifests.push(...folder.manifests);
  problems.push(...folder.problems);
}
problems.push(...manifestProblems(manifests, existing));
for (const problem of problems) console.log(problem);
console.log(`${manifests.length} objects in ${files} files: ${problems.length === 0 ? 'no problems' : `${problems.length} problem(s)`}`);
process.exit(problems.length === 0 ? 0 : 1);

function defaultGroup(kind) {
  return ['Gateway', 'HTTPRoute', 'GatewayClass', 'ReferenceGrant'].includes(kind) ? 'gateway.networking.k8s.io' : '';
}

function usage(message) {
  console.error(`${message}\nusage: npm run validate -- <dir> [--existing [group/]Kind/namespace/name ...]`);
  process.exit(2);
}
