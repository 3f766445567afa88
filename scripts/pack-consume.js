#!/usr/bin/env node
'use strict';
// npm run test:package: packs the library as it would be published (compiled by
// jsii, with its assembly and bundled dependencies: scripts/consumer-app.js
// packInto), checks the tarball's file list and what Construct Hub reads,
// runs npm publish --dry-run on it,
// installs it into a fresh cdk8s app in a temporary folder outside the
// repository, type-checks that app's TypeScript against the shipped .d.ts,
// synthesizes it (one file, and the per-object folder with its kustomization),
// checks the objects and their apply order. Everything temporary is removed.
// The fresh app and the offline install are scripts/consumer-app.js.
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { parseAllDocuments } = require('yaml');
const { root, repoModules, pkg, run, packInto, createConsumerApp, writeTsconfig, packageFilesParsed } = require('./consumer-app');

let passed = 0;
let failed = 0;
function check(what, ok, detail = '') {
  if (ok) {
    passed++;
  } else {
    failed++;
    console.error(`FAIL ${what}${detail ? `: ${detail}` : ''}`);
  }
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'maas-egress-pack-'));
try {
  // 1. The tarball, exactly as `npm publish` would upload it.
  const { tarball, files } = packInto(work);
  checkFileList(files);

  // 2. A fresh app with the package installed.
  const app = path.join(work, 'app');
  const installed = createConsumerApp(app, tarball);
  const packed = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
  checkPublication(installed, tarball);
  for (const file of ['main.ts', 'probe.js', 'folder.js']) fs.copyFileSync(path.join(__dirname, 'package-consumer', file), path.join(app, file));

  // 3. Types ship and resolve, through `types` (classic resolution) and through
  // `exports` (node16); declaration files are checked too (no skipLibCheck).
  const tsc = path.join(repoModules, 'typescript', 'bin', 'tsc');
  const base = { target: 'ES2022', lib: ['ES2022'], strict: true, skipLibCheck: false, types: ['node'] };
  writeTsconfig(app, 'tsconfig.node16.json', { ...base, module: 'node16', moduleResolution: 'node16', noEmit: true });
  writeTsconfig(app, 'tsconfig.json', { ...base, module: 'commonjs', moduleResolution: 'node10', outDir: '.' });
  for (const config of ['tsconfig.node16.json', 'tsconfig.json']) {
    let errors = '';
    try {
      run(process.execPath, [tsc, '-p', config], app);
    } catch (error) {
      errors = error.message;
    }
    check(`the app type-checks against the shipped declarations (${config})`, errors === '', errors);
  }
  // what ts-node parses of the package for the app: no generated CRD types (build/imports, 1 MB), no member marked @internal
  const parsed = packageFilesParsed(app);
  const heavy = parsed.filter((f) => f.fileName.includes('/build/imports/') || f.text.includes('@internal')).map((f) => path.relative(installed, f.fileName));
  check('the app\'s compiler parses no generated CRD types and no internal member of the package', parsed.length > 0 && heavy.length === 0,
    `${heavy.join(', ')} (of ${parsed.length} files)`);

  // 4. Synthesis through app.synth(), with the library's synth-time checks.
  run(process.execPath, ['main.js'], app);
  checkManifests(readManifests(path.join(app, 'dist')));

  // 4b. The single file is in apply order: every Namespace before the objects in it.
  const single = fs.readdirSync(path.join(app, 'dist')).filter((f) => f.endsWith('.k8s.yaml'))
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(app, 'dist', f), 'utf8')).map((doc) => doc.toJS()));
  const firstUse = single.findIndex((m) => m.metadata?.namespace === 'maas-egress');
  const namespaceAt = single.findIndex((m) => m.kind === 'Namespace' && m.metadata.name === 'maas-egress');
  check('the one-file output has the Namespace before the objects in it (kubectl apply -f works the first time)',
    namespaceAt >= 0 && namespaceAt < firstUse, `Namespace at ${namespaceAt}, first object in it at ${firstUse}`);

  // 4c. The per-object folder: kustomization.yaml lists its files in apply order (kubectl apply -k, Argo CD).
  run(process.execPath, ['folder.js'], app);
  const kustomization = parseAllDocuments(fs.readFileSync(path.join(app, 'folder', 'kustomization.yaml'), 'utf8'))[0].toJS();
  const resources = kustomization.resources ?? [];
  const written = fs.readdirSync(path.join(app, 'folder')).filter((f) => f !== 'kustomization.yaml').sort();
  check('kustomization.yaml lists every file of the folder once', JSON.stringify([...resources].sort()) === JSON.stringify(written), JSON.stringify(resources));
  const waves = resources.map((f) => Number(f.split('-')[0]));
  check('kustomization.yaml lists the files by sync wave', waves.every((w, i) => i === 0 || waves[i - 1] <= w), JSON.stringify(resources));
  const position = (pattern) => resources.findIndex((f) => pattern.test(f));
  check('the Namespace comes first, the policies before the route they protect',
    position(/^0-namespace-cluster-maas-egress\.yaml$/) === 0
      && position(/-authpolicy-maas-egress-openai-bridge-auth\.yaml$/) >= 0
      && position(/-authpolicy-maas-egress-openai-bridge-auth\.yaml$/) < position(/-httproute-maas-egress-openai-bridge\.yaml$/)
      && position(/-tokenratelimitpolicy-maas-egress-/) < position(/-httproute-maas-egress-openai-bridge\.yaml$/),
    JSON.stringify(resources));

  // 5. Behaviour only the installed layout can show.
  const probe = JSON.parse(run(process.execPath, ['probe.js'], app));
  check('CRD schema validation works from node_modules (precompiled validators found)',
    probe.schemaProblems.some((p) => p.includes('violates its CRD schema') && p.includes('unknown field "unknownField"')),
    JSON.stringify(probe.schemaProblems));
  check('deep imports are closed by "exports"', probe.deepImport === 'ERR_PACKAGE_PATH_NOT_EXPORTED', probe.deepImport);

  // 6. The `maas-egress` command, as `npx maas-egress` runs it from the package's bin entry.
  const bin = path.join(installed, packed.bin?.['maas-egress'] ?? 'missing-bin-entry');
  check('package.json declares the maas-egress bin and the file is packed', fs.existsSync(bin), bin);
  if (fs.existsSync(bin)) {
    const trace = JSON.parse(run(process.execPath, [bin, 'trace', 'dist', 'POST', '/external/openai/v1/chat/completions', '--user', 'u', '--tier', 'free', '--json'], app));
    check('maas-egress trace follows a request through the app\'s output to the provider',
      trace.outcome === 'forwarded' && trace.upstream?.host === 'api.openai.com' && /Vault/.test(trace.upstream?.headers?.authorization ?? ''),
      JSON.stringify(trace.upstream));
    // the app declares the CA bundle Secret as made outside Git; the output alone cannot say so
    const validate = spawnSync(process.execPath, [bin, 'validate', 'dist', '--existing', 'Secret/maas-egress/public-ca-bundle'], { cwd: app, encoding: 'utf8' });
    check('maas-egress validate checks the app\'s output without a clone (schemas, integrity, metering)',
      validate.status === 0 && /objects in \d+ files?: no problems/.test(validate.stdout), `${validate.status} ${validate.stdout}${validate.stderr}`);
  }

  // 7. `cdk8s synth --validate` in the app, with the library's checks as a cdk8s-cli validation plugin.
  const plugin = './node_modules/cdk8s-maas-egress/build/lib/validation/cdk8s-validation-plugin.js';
  fs.writeFileSync(path.join(app, 'cdk8s.yaml'), [
    'language: typescript', 'app: node main.js', 'validations:', `  - package: ${plugin}`, '    class: MaasEgressValidation', `    version: ${pkg.version}`,
    '    properties:', '      existing: [Secret/maas-egress/public-ca-bundle]', ''].join('\n'));
  const cli = path.join(repoModules, 'cdk8s-cli', 'bin', 'cdk8s');
  const synth = spawnSync(process.execPath, [cli, 'synth', '--validate'], { cwd: app, encoding: 'utf8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' } });
  check('cdk8s synth --validate runs the library\'s checks as a validation plugin and reports success',
    synth.status === 0 && /Validation Report/.test(synth.stdout) && /Status\s*│\s*success/.test(synth.stdout), `${synth.status} ${synth.stdout.slice(-1500)}${synth.stderr.slice(-1500)}`);
} catch (error) {
  failed++;
  console.error(`FAIL ${error.message}`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}

console.log(`packed ${pkg.name}@${pkg.version}, installed it in a fresh app outside the repository`);
console.log(`package: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);

function checkFileList(files) {
  const allowed = /^(package\.json|\.jsii|README\.md|CHANGELOG\.md|docs\/[^/]+\.md|LICENSE|bin\/maas-egress\.js|build\/lib\/.+\.(js|d\.ts)|build\/imports\/[^/]+\.(js|d\.ts)|build\/validators\/[^/]+\.js)$/;
  const bundled = bundledClosure();
  const stray = files.filter((file) => !allowed.test(file) && !bundled.has(/^node_modules\/((@[^/]+\/)?[^/]+)\//.exec(file)?.[1]));
  check('the tarball holds only the manifest, the jsii assembly, README, CHANGELOG, the guides, LICENSE, the maas-egress bin, compiled lib and imports, validators, and the bundled dependencies', stray.length === 0, stray.join(', '));
  const required = ['package.json', '.jsii', 'README.md', 'docs/getting-started.md', 'docs/API.md', 'LICENSE', 'bin/maas-egress.js', 'build/lib/index.js', 'build/lib/index.d.ts', 'build/lib/cli/cli.js'];
  for (const schema of fs.readdirSync(path.join(root, 'imports', 'schemas')).filter((f) => f.endsWith('.json'))) {
    required.push(`build/validators/${schema.replace(/\.json$/, '.js')}`);
  }
  const missing = required.filter((file) => !files.includes(file));
  check('the tarball holds the entry point, its declarations and every precompiled validator', missing.length === 0, missing.join(', '));
  const orphans = files.filter((file) => /^build\/(lib|imports)\//.test(file))
    .filter((file) => !fs.existsSync(path.join(root, file.replace(/^build\//, '').replace(/(\.d\.ts|\.js)$/, '.ts'))));
  check('every compiled file in the tarball has a TypeScript source (no stale output)', orphans.length === 0, orphans.join(', '));
}

/** The package's dependencies (bundled, as jsii requires) and theirs, by name. */
function bundledClosure() {
  const names = new Set();
  const visit = (name) => {
    if (names.has(name)) return;
    names.add(name);
    const manifest = JSON.parse(fs.readFileSync(path.join(repoModules, name, 'package.json'), 'utf8'));
    for (const dep of Object.keys(manifest.dependencies ?? {})) visit(dep);
  };
  for (const name of Object.keys(pkg.dependencies ?? {})) visit(name);
  return names;
}

/** What Construct Hub and the registries read: the jsii assembly and field, the keywords and metadata; and npm's own dry run. */
function checkPublication(installed, tarball) {
  const packed = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
  const assembly = JSON.parse(fs.readFileSync(path.join(installed, '.jsii'), 'utf8'));
  check('the package is a jsii package: its .jsii assembly names it, and package.json has the jsii field with the four language targets',
    assembly.name === pkg.name && assembly.version === pkg.version
      && ['python', 'java', 'go', 'dotnet'].every((t) => packed.jsii?.targets?.[t] !== undefined),
    `${assembly.name}@${assembly.version}, targets ${Object.keys(packed.jsii?.targets ?? {}).join(', ')}`);
  check('Construct Hub finds it: keyword cdk8s, a license, a description',
    (packed.keywords ?? []).includes('cdk8s') && typeof packed.license === 'string' && typeof packed.description === 'string', JSON.stringify(packed.keywords));
  const dryRun = spawnSync('npm', ['publish', '--dry-run', '--ignore-scripts', tarball], { cwd: path.dirname(tarball), encoding: 'utf8' });
  check('npm publish --dry-run accepts the tarball', dryRun.status === 0, `${dryRun.status} ${dryRun.stderr.slice(-800)}`);
}

function readManifests(dir) {
  const yamlFiles = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')) : [];
  check('app.synth() wrote YAML', yamlFiles.length > 0, `nothing in ${dir}`);
  return yamlFiles.flatMap((file) => parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8')).map((doc) => doc.toJS()))
    .filter(Boolean);
}

function checkManifests(manifests) {
  const of = (kind) => manifests.filter((m) => m.kind === kind);
  const named = (kind, name) => of(kind).find((m) => m.metadata.name === name);
  const count = (kind, expected) => check(`${expected} ${kind} objects`, of(kind).length === expected, `got ${of(kind).length}`);

  // the default data plane (direct): provider routes on the MaaS gateway, no egress gateway
  count('Gateway', 0);
  count('ServiceEntry', 2);
  count('DestinationRule', 1);
  count('HTTPRoute', 2);
  count('AuthPolicy', 2);
  count('TokenRateLimitPolicy', 2);

  const openAiTls = JSON.stringify(named('DestinationRule', 'openai-backend') ?? {});
  check('the OpenAI backend originates TLS verified by the CA bundle', openAiTls.includes('"credentialName":"public-ca-bundle"'), openAiTls);
  const openAiAuth = JSON.stringify(named('AuthPolicy', 'openai-bridge-auth') ?? {});
  check('the OpenAI key is fetched from Vault at request time', openAiAuth.includes('https://vault.vault.svc:8200'), openAiAuth);
  const budget = JSON.stringify(of('TokenRateLimitPolicy'));
  check('the free tier budget is 100 tokens per minute', budget.includes('"limit":100') && budget.includes('"window":"1m"'), budget);
}
