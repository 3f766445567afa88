#!/usr/bin/env node
'use strict';
// npm run validate -- <dir> [--existing [group/]Kind/namespace/name ...]
// Checks every YAML manifest under <dir> (kustomization.yaml excepted) the way
// synth does: pinned CRD schemas, duplicate objects, cross-object integrity.
// Each app folder (a folder with a kustomization.yaml, such as dist/<app>/) is
// checked on its own, as it is applied on its own; YAML files outside any app
// folder are checked together. The MaaS default gateway counts as existing; name
// other existing objects with --existing. Prints one line per problem and a
// summary per folder; exit 1 on problems.
const fs = require('fs');
const path = require('path');
const { readManifestFiles } = require('../build/lib/output/read-manifest-folder');
const { checkedProblems } = require('../build/lib/validation/library-checks');

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
for (const dir of dirs) if (!fs.existsSync(dir)) usage(`no such folder: ${dir}`);

/** How to declare an object that the folder does not hold. */
const declareHint = (ref) => 'check the name, or add the object to this folder; if another app or a manual step creates it, '
  + `pass --existing ${ref.group ? `${ref.group}/` : ''}${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;

const groups = dirs.flatMap(fileGroups);
let failed = false;
for (const group of groups) {
  const { manifests, problems } = check(group.files);
  for (const problem of problems) console.log(problem);
  const summary = `${manifests.length} objects in ${group.files.length} files: ${problems.length === 0 ? 'no problems' : `${problems.length} problem(s)`}`;
  console.log(groups.length > 1 ? `${group.dir}: ${summary}` : summary);
  failed ||= problems.length > 0;
}
process.exit(failed ? 1 : 0);

/** The problems of one set of files, checked as one app. */
function check(files) {
  const { manifests, problems } = readManifestFiles(files);
  problems.push(...checkedProblems(manifests, existing, declareHint));
  return { manifests, problems };
}

/**
 * The app folders below `dir` (those with a kustomization.yaml, each with its
 * YAML files), then the YAML files outside any app folder, if there are any.
 */
function fileGroups(dir) {
  const apps = [];
  const loose = [];
  const walk = (folder, into) => {
    const isApp = fs.existsSync(path.join(folder, 'kustomization.yaml'));
    const files = isApp ? [] : into;
    if (isApp) apps.push({ dir: folder, files });
    for (const entry of fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full, files);
      else if (/\.ya?ml$/.test(entry.name) && entry.name !== 'kustomization.yaml') files.push(full);
    }
  };
  walk(dir, loose);
  return [...apps, ...(loose.length > 0 || apps.length === 0 ? [{ dir, files: loose }] : [])];
}

function defaultGroup(kind) {
  return ['Gateway', 'HTTPRoute', 'GatewayClass', 'ReferenceGrant'].includes(kind) ? 'gateway.networking.k8s.io' : '';
}

function usage(message) {
  console.error(`${message}\nusage: npm run validate -- <dir> [--existing [group/]Kind/namespace/name ...]`);
  process.exit(2);
}
