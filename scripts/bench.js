#!/usr/bin/env node
'use strict';
// npm run bench [-- --runs N] [--sizes 10,100,1000] [--no-cdk8s] [--no-user-app]
// Times synthesis from the compiled JavaScript in build/ (`npm run bench` builds
// first) and prints markdown tables:
// - a gateway with 10, 100 and 1000 providers (two models each, a token budget
//   over all of them), each run in a fresh process so peak memory is per size:
//   wall time of building the app and `synthesizeManifests` (with every
//   synth-time check, as `npm run synth`), peak RSS, and the time to write the folder;
// - every app in apps/ through the main job (`node scripts/synth.js`), whole
//   process and in-process;
// - the demo through `npx cdk8s synth` (ts-node), into a temporary folder, beside
//   `npm run synth` when nothing changed (it brings dist/ up to date once first).
// - what the library adds to a user's `cdk8s synth` (scripts/user-app-cost.js;
//   packs the library, so it rebuilds);
// - `maas-egress trace` of one request on each folder in dist/, whole process
//   (the budget is 0.5 s on a 2-core machine).
// Each measurement is the best of N runs (default 3): other processes on the
// machine only ever make a run slower. Peak memory is the largest of the runs.
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');
const build = path.join(root, 'build');

if (process.argv[2] === '--child') {
  child(process.argv[3], process.argv[4]);
} else {
  main();
}

function main() {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : fallback;
  };
  const runs = Number(option('--runs', '3'));
  const sizes = option('--sizes', '10,100,1000').split(',').map(Number);
  if (!Number.isInteger(runs) || runs < 1 || sizes.some((n) => !Number.isInteger(n) || n < 1)) {
    console.error('usage: node scripts/bench.js [--runs N] [--sizes 10,100,1000] [--no-cdk8s] [--no-user-app]');
    process.exit(2);
  }
  if (!fs.existsSync(path.join(build, 'lib', 'index.js'))) {
    console.error('build/ is missing: run `npm run build` (or `npm run bench`, which builds first)');
    process.exit(2);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'maas-egress-bench-'));
  try {
    console.log(`Node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; best of ${runs} runs\n`);
    providerTable(sizes, runs, tmp);
    appTable(runs, tmp);
    traceTable(runs);
    if (!args.includes('--no-cdk8s')) cdk8sTable(runs, tmp);
    if (!args.includes('--no-user-app')) console.log(`${require('./user-app-cost').userAppCost(runs)}\n`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function providerTable(sizes, runs, tmp) {
  console.log('| providers | objects | wall s (construct + synth) | ms per added provider | peak MB | writing files s |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  let previous;
  for (const n of sizes) {
    const results = repeat(runs, () => childRun(['providers', String(n)], tmp));
    const best = results.reduce((a, b) => (b.wall < a.wall ? b : a));
    const peak = Math.max(...results.map((r) => r.peakMb));
    const write = Math.min(...results.map((r) => r.write));
    const slope = previous ? ((best.wall - previous.wall) * 1000 / (n - previous.n)).toFixed(2) : '';
    console.log(`| ${n} | ${best.objects} | ${best.wall.toFixed(3)} | ${slope} | ${peak.toFixed(0)} | ${write.toFixed(3)} |`);
    previous = { n, wall: best.wall };
  }
  console.log();
}

function appTable(runs, tmp) {
  const apps = fs.readdirSync(path.join(root, 'apps')).filter((name) => fs.existsSync(path.join(root, 'apps', name, 'main.ts'))).sort();
  console.log('| app | objects | `node scripts/synth.js --force <app>` s (whole process) | in process s |');
  console.log('|---|---:|---:|---:|');
  for (const name of apps) {
    const outdir = path.join(tmp, 'synth');
    const wholeProcess = Math.min(...repeat(runs, () => timed(process.execPath, [path.join(root, 'scripts', 'synth.js'), '--force', '--outdir', outdir, name], { MAAS_EGRESS_STAMPS_DIR: tmp })));
    const inProcess = repeat(runs, () => childRun(['app', name], tmp)).reduce((a, b) => (b.wall < a.wall ? b : a));
    console.log(`| ${name} | ${inProcess.objects} | ${wholeProcess.toFixed(3)} | ${inProcess.wall.toFixed(3)} |`);
  }
  console.log();
}

/** One representative request per dist/ folder: the first provider path or unified model the diff would probe. */
function traceTable(runs) {
  const dist = path.join(root, 'dist');
  const { probesOf } = require(path.join(build, 'lib', 'trace', 'probes'));
  const { loadManifestSet } = require(path.join(build, 'lib', 'cli', 'cli'));
  const apps = fs.existsSync(dist) ? fs.readdirSync(dist).filter((name) => fs.statSync(path.join(dist, name)).isDirectory()).sort() : [];
  console.log('| folder | request | `maas-egress trace` s (whole process) |');
  console.log('|---|---|---:|');
  for (const name of apps) {
    const dir = path.join(dist, name);
    const [probe] = probesOf(loadManifestSet(dir));
    const args = [path.join(root, 'bin', 'maas-egress.js'), 'trace', dir, probe.method, probe.path, '--user', 'bench', '--tier', 'free',
      ...(probe.body ? ['--body', probe.body] : [])];
    const wall = Math.min(...repeat(runs, () => timed(process.execPath, args)));
    console.log(`| dist/${name} | ${probe.method} ${probe.path}${probe.body ? ` ${probe.body}` : ''} | ${wall.toFixed(3)} |`);
  }
  console.log();
}

function cdk8sTable(runs, tmp) {
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const outdir = path.join(tmp, 'cdk8s.out');
  const wall = Math.min(...repeat(runs, () => timed(npx, ['cdk8s', 'synth', '--check-upgrade=false', '--output', outdir])));
  const files = fs.readdirSync(outdir);
  // the main job when nothing changed: one run brings build/ and dist/ up to date, the next ones skip every step
  timed(npm, ['run', 'synth', '--silent']);
  const noop = Math.min(...repeat(runs, () => timed(npm, ['run', 'synth', '--silent'])));
  console.log('| path | output | wall s |');
  console.log('|---|---|---:|');
  console.log(`| \`npx cdk8s synth\` (cdk8s.yaml: ts-node apps/mixed-providers/main.ts) | ${files.join(', ')} | ${wall.toFixed(3)} |`);
  console.log(`| \`npm run synth\`, nothing changed (every app up to date) | dist/ (unchanged) | ${noop.toFixed(3)} (${(wall / noop).toFixed(1)}x faster) |`);
  // the edit loop: one line changed in the demo app, then the main job (transpiled, that app only)
  const edited = editLoop(runs, 'apps/mixed-providers/main.ts', () => timed(npm, ['run', 'synth', '--silent']));
  console.log(`| \`npm run synth\` after a one-line edit of apps/mixed-providers/main.ts | dist/mixed-providers | ${edited.toFixed(3)} (${(wall / edited).toFixed(1)}x faster) |`);
  const editedLib = editLoop(runs, 'lib/platform/subscription/maas-releases.ts', () => timed(npm, ['run', 'synth', '--silent']));
  console.log(`| \`npm run synth\` after a one-line edit of lib/platform/subscription/maas-releases.ts | the apps that load it | ${editedLib.toFixed(3)} (${(wall / editedLib).toFixed(1)}x faster) |`);
  console.log();
}

/** Best wall time of `measure` right after a one-line edit of `file` (restored afterwards; dist/ brought back up to date). */
function editLoop(runs, file, measure) {
  const full = path.join(root, file);
  const original = fs.readFileSync(full, 'utf8');
  const times = [];
  try {
    for (let i = 0; i < runs; i++) {
      fs.writeFileSync(full, `${original}// bench edit ${i}\n`);
      times.push(measure());
    }
  } finally {
    fs.writeFileSync(full, original);
    measure();
  }
  return Math.min(...times);
}

function repeat(runs, measure) {
  return Array.from({ length: runs }, measure);
}

/** Wall seconds of a command run to completion in the repository; throws when it fails. */
function timed(command, args, env = {}) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', ...env } });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
  return seconds;
}

/** One measurement in a fresh Node process (this script with --child). */
function childRun(args, tmp) {
  const result = spawnSync(process.execPath, [__filename, '--child', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, BENCH_TMP: tmp } });
  if (result.status !== 0) throw new Error(`bench child ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop());
}

function child(what, arg) {
  const { synthesizeManifests } = require(path.join(build, 'lib', 'output', 'manifests'));
  const { writeManifestFolder } = require(path.join(build, 'lib', 'output', 'manifest-folder'));
  // modules are loaded before the clock starts: the time is that of building and synthesizing
  const lib = require(path.join(build, 'lib'));
  const create = what === 'providers'
    ? () => providerApp(lib, Number(arg))
    : require(path.join(build, 'apps', arg, 'main.js')).createApp;
  const start = process.hrtime.bigint();
  const manifests = synthesizeManifests(create());
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  const peakMb = process.resourceUsage().maxRSS / 1024;
  const writeStart = process.hrtime.bigint();
  writeManifestFolder(fs.mkdtempSync(path.join(process.env.BENCH_TMP || os.tmpdir(), 'out-')), manifests);
  const write = Number(process.hrtime.bigint() - writeStart) / 1e9;
  console.log(JSON.stringify({ objects: manifests.length, wall, peakMb, write }));
}

/** A gateway with its controller and `n` providers of two models each, half with demo keys and half with keys from Vault, under one token budget. */
function providerApp(lib, n) {
  const { App, Chart } = require('cdk8s');
  const app = new App();
  const chart = new Chart(app, 'bench');
  const gateway = new lib.MaasEgressGateway(chart, 'egress', { controller: {} });
  for (let i = 0; i < n; i++) {
    const credential = i % 2 === 0
      ? lib.ProviderCredential.demoLiteral(`demo-key-${i}`)
      : lib.ProviderCredential.fromVault({ address: 'https://vault.vault.svc:8200', path: `maas/providers/p${i}`, tokenSecret: { name: 'vault-token' } });
    gateway.addProvider(`p${i}`, {
      endpoint: lib.ProviderEndpoint.vllm({ hostname: `vllm-${i}.models.example.com`, port: 443, tls: lib.BackendTls.verified() }),
      credential,
      models: [`model-${i}-small`, `model-${i}-large`],
    });
  }
  new lib.TierTokenBudget(chart, 'tier-tokens', { target: lib.BudgetTarget.allProviders(gateway) });
  return app;
}
