#!/usr/bin/env node
'use strict';
// npm run verify [-- <dir>...] [--only name,name] [--dump DIR] [--without-payload-processor]
// Runs the consumers' own code on manifest folders: the Go checkers under
// verify/<name>/ (each its own module, upstream code pinned in its go.mod) are
// built into build/verify/ (Go's build cache makes a warm build a no-op) and run
// on every app folder (a folder with a kustomization.yaml; a folder without one
// is checked as one app). Default folder: dist/. Prints each problem with its
// file, object and what the consumer does with it; last line
// `verify: N problems in M objects`. Exit 0 clean, 1 problems, 2 cannot run.
// An app with current-MaaS ExternalModels is checked together with what the
// payload processor creates from it, as read (scripts/verify-ipp-projection.js;
// README, "Checked by the consumers' own code"); --without-payload-processor skips that.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const os = require('os');
const { CHECKERS } = require('./verify-checkers');
const { stringify } = require('yaml');
const { readManifestFolder } = require('../build/lib/output/read-manifest-folder');
const { agreementRun, readDumps } = require('./verify-agreement');
const { projectPayloadProcessor } = require('./verify-ipp-projection');

const root = path.join(__dirname, '..');

function usage(message) {
  console.error(`verify: ${message}\nusage: npm run verify [-- <dir>...] [--only ${CHECKERS.map((c) => c.name).join(',')}] [--dump DIR] [--without-payload-processor]`);
  process.exit(2);
}

function parseArgs(argv) {
  const options = { dirs: [], only: undefined, dump: undefined, payloadProcessor: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--only') options.only = (argv[++i] || '').split(',').filter(Boolean);
    else if (arg === '--dump') options.dump = path.resolve(argv[++i] || usage('--dump takes a folder'));
    else if (arg === '--without-payload-processor') options.payloadProcessor = false;
    else if (arg === '--help' || arg === '-h') usage('checks manifest folders with the upstream components\' own code');
    else if (arg.startsWith('-')) usage(`unknown option ${arg}`);
    else options.dirs.push(path.resolve(arg));
  }
  if (options.dirs.length === 0) options.dirs.push(path.join(root, 'dist'));
  for (const dir of options.dirs) if (!fs.existsSync(dir)) usage(`no such folder: ${dir}`);
  for (const name of options.only ?? []) {
    if (!CHECKERS.some((c) => c.name === name)) usage(`unknown checker "${name}"`);
  }
  return options;
}

/** The app folders below `dir`: those with a kustomization.yaml, else `dir` itself. */
function appFolders(dir) {
  const apps = [];
  const walk = (folder) => {
    if (fs.existsSync(path.join(folder, 'kustomization.yaml'))) {
      apps.push(folder);
      return;
    }
    for (const entry of fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.isDirectory()) walk(path.join(folder, entry.name));
    }
  };
  walk(dir);
  return apps.length > 0 ? apps : [dir];
}

function sharedDir() {
  return path.resolve(process.env.SHARED_DIR || path.join(root, '..', 'shared'));
}

/** `go` on PATH, or undefined. */
function goVersion() {
  const result = spawnSync('go', ['version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

const goEnv = () => ({ ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=readonly' });

/** Builds a checker module once into build/verify/<module>; Go's caches make this cheap when nothing changed. */
const built = new Map();
function build(checker) {
  if (built.has(checker.module)) return built.get(checker.module);
  const out = path.join(root, 'build', 'verify', checker.module);
  built.set(checker.module, out);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const result = spawnSync('go', ['build', '-o', out, '.'], {
    cwd: path.join(root, 'verify', checker.module), env: goEnv(), stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) {
    console.error(`verify: building the ${checker.name} checker failed (go build in verify/${checker.module})`);
    process.exit(2);
  }
  return out;
}

/** Runs one checker on the apps; returns its parsed output lines. */
function run(binary, checker, apps, dumpDir) {
  const args = ['--shared', sharedDir(), ...checker.args];
  if (dumpDir) args.push('--dump', dumpDir);
  const result = spawnSync(binary, [...args, ...apps], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0 && result.status !== 1) {
    process.stderr.write(result.stderr || '');
    console.error(`verify: the ${checker.name} checker could not run (exit ${result.status ?? result.signal})`);
    process.exit(2);
  }
  return result.stdout.split('\n').filter((line) => line.trim() !== '').map((line) => {
    try {
      return JSON.parse(line);
    } catch {
      console.error(`verify: the ${checker.name} checker printed a line that is not JSON: ${line}`);
      process.exit(2);
    }
  });
}

/**
 * Findings a checker reports that the output is known to cause and that do no
 * harm, each with the evidence that says so; they are printed, not counted.
 */
const ACCEPTED = [
  {
    test: (p) => /\[IST0133\]/.test(p.message),
    reason: 'Istio warns on every EnvoyFilter; the header guard, the model router and current MaaS\'s Accept-Encoding guard are EnvoyFilters by design',
  },
  {
    // Istio's analyzer wants caCertificates; without them istiod verifies against the system CAs, which the generated cluster shows
    test: (p, dumps) => {
      const host = /\[IST0128\].*for host: (\S+)/.exec(p.message)?.[1];
      const summary = host && dumps.get(p.app);
      return Boolean(summary && summary.proxies.some((proxy) => proxy.clusters.some((c) => c.name.endsWith(`||${host}`)
        && c.tls && c.tls.ca === 'system' && !c.tls.insecureSkipVerify && (c.tls.autoSanValidation || c.tls.sanMatchers.length > 0))));
    },
    reason: 'the generated cluster verifies the provider against the system CAs and checks its name (Istio\'s dump: ca system, SAN validation)',
  },
  {
    test: (p) => /Kuadrant 1\.5's wasm EnvoyFilter/.test(p.message) && /every MaaS gateway route to it .* rewrites Host to /.test(p.message),
    reason: 'the hop to that gateway carries the egress Service as Host, so none of the MaaS gateway\'s hostname-scoped action sets matches there',
  },
];

const projectedCount = new Map();

/**
 * For every app with ExternalModels, a copy of its folder (same base name, so
 * Istio dumps keep their names) plus the objects the payload processor creates
 * from it (scripts/verify-ipp-projection.js), as files `ipp-<kind>-<ns>-<name>.yaml`.
 */
function stagePayloadProcessor(apps) {
  const staged = new Map();
  for (const app of apps) {
    const projected = projectPayloadProcessor(readManifestFolder(app).manifests);
    if (projected.length === 0) continue;
    const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'verify-ipp-')), path.basename(app));
    fs.cpSync(app, copy, { recursive: true });
    for (const o of projected) {
      fs.writeFileSync(path.join(copy, `ipp-${o.kind.toLowerCase()}-${o.metadata.namespace}-${o.metadata.name}.yaml`), stringify(o));
    }
    staged.set(app, copy);
    projectedCount.set(app, projected.length);
  }
  return staged;
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  const version = goVersion();
  if (!version) {
    console.error('verify: needs Go (https://go.dev/dl/, 1.26 or later) on PATH to build the checkers in verify/');
    process.exit(2);
  }
  if (!fs.existsSync(path.join(sharedDir(), 'crds'))) {
    console.error(`verify: ${sharedDir()} has no crds/: set SHARED_DIR or run npm run fetch-shared`);
    process.exit(2);
  }
  const apps = options.dirs.flatMap(appFolders);
  // current-MaaS apps are checked together with what the payload processor creates from them (unless --without-payload-processor)
  const staged = options.payloadProcessor ? stagePayloadProcessor(apps) : new Map();
  const runApps = apps.map((app) => staged.get(app) ?? app);
  const shown = new Map(apps.map((app) => [staged.get(app) ?? app, app]));
  const checkers = CHECKERS.filter((c) => !options.only || options.only.includes(c.name));
  const problems = [];
  const accepted = [];
  let hopsCompared = 0;
  const objects = new Map();
  for (const checker of checkers) {
    const binary = build(checker);
    // a checker that dumps the generated Envoy configuration also has the trace compared with it
    const dumpDir = checker.dumps ? (options.dump ? path.join(options.dump, checker.name) : fs.mkdtempSync(path.join(os.tmpdir(), 'verify-dump-'))) : undefined;
    if (dumpDir) fs.mkdirSync(dumpDir, { recursive: true });
    const checked = checker.withPayloadProcessor === false ? apps : runApps;
    const lines = run(binary, checker, checked, dumpDir);
    const dumps = dumpDir ? readDumps(checked, dumpDir) : new Map();
    if (dumpDir) {
      lines.push(...agreementRun(dumps, `trace vs ${checker.name}`));
      if (!options.dump) fs.rmSync(dumpDir, { recursive: true, force: true });
    }
    for (const line of lines) {
      // judged on the staged folder, whose dumps these are; reported on the app
      const known = line.type === 'problem' ? ACCEPTED.find((a) => a.test(line, dumps)) : undefined;
      if (line.app !== undefined && shown.has(line.app)) line.app = shown.get(line.app);
      if (known) accepted.push({ ...line, reason: known.reason });
      else if (line.type === 'problem') problems.push(line);
      if (line.type === 'agreement') hopsCompared += line.compared;
      // every checker reads the whole app; the object count is the largest any of them saw
      if (line.type === 'checked') objects.set(line.app, Math.max(objects.get(line.app) ?? 0, line.objects));
    }
  }
  for (const dir of staged.values()) fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  for (const app of apps) {
    const mine = problems.filter((p) => p.app === app);
    const projected = staged.has(app) ? ` (${projectedCount.get(app)} of them what the payload processor creates from the app)` : '';
    console.log(`${path.relative(process.cwd(), app) || '.'}: ${objects.get(app) ?? 0} objects${projected}, ${mine.length === 0 ? 'no problems' : `${mine.length} problem(s)`}`);
    for (const p of mine) console.log(`  ${p.file || '-'}: ${p.object}: [${p.consumer}] ${p.message}`);
    for (const p of accepted.filter((a) => a.app === app)) console.log(`  accepted: ${p.object}: [${p.consumer}] ${p.message.split(':')[0]} (${p.reason})`);
  }
  if (hopsCompared > 0) console.log(`the trace was compared with Istio's generated routes and clusters on ${hopsCompared} gateway hops`);
  const total = [...objects.values()].reduce((a, b) => a + b, 0);
  console.log(`verify: ${problems.length} problems in ${total} objects`);
  process.exit(problems.length > 0 ? 1 : 0);
}

if (require.main === module) main();

module.exports = { appFolders };
