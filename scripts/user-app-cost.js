#!/usr/bin/env node
'use strict';
// node scripts/user-app-cost.js [--runs N]   (also a table of npm run bench)
// What the library adds to a user's `cdk8s synth`: packs the library, installs
// it into a fresh app outside the repository (scripts/consumer-app.js) whose
// main.ts is the README's five-minute example, and times, best of N:
// - `cdk8s synth` as `cdk8s init typescript-app` sets it up (ts-node, which
//   type-checks), with and without the library's validation plugin;
// - the same manifests from plain cdk8s (an Include of the synthesized file),
//   through the same `cdk8s synth`: the app without the library;
// - its parts: ts-node's type-checking (ts-node against ts-node
//   --transpile-only, for the example and for the plain app), loading the library (require against cdk8s
//   alone), the library's checks in process (Manifests.problems
//   on the app's objects), and the declarations a consumer's compiler parses.
// Prints a markdown table; everything temporary is removed.
const fs = require('fs');
const os = require('os');
const path = require('path');
const ts = require('typescript');
const { repoModules, run, packInto, createConsumerApp, readmeExample, packageFilesParsed } = require('./consumer-app');

const README_EXAMPLE = readmeExample();

function userAppCost(runs) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'maas-egress-user-app-'));
  try {
    const { tarball } = packInto(work);
    const app = path.join(work, 'app');
    createConsumerApp(app, tarball, ['cdk8s-cli', 'ts-node', 'typescript']);
    fs.writeFileSync(path.join(app, 'main.ts'), README_EXAMPLE);
    fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'commonjs', lib: ['ES2022'], strict: true, esModuleInterop: true, skipLibCheck: true, types: ['node'] },
      include: ['*.ts'],
    }, null, 2));
    const cdk8s = path.join(repoModules, 'cdk8s-cli', 'bin', 'cdk8s');
    const env = { CDK8S_CHECK_UPGRADE: 'false' };
    const config = (main, validate) => fs.writeFileSync(path.join(app, 'cdk8s.yaml'), [
      'language: typescript', `app: npx ts-node ${main}`, 'output: dist',
      ...(validate ? ['validations:', '  - package: ./node_modules/cdk8s-maas-egress/build/lib/validation/cdk8s-validation-plugin.js',
        '    class: MaasEgressValidation', '    version: 0.0.0'] : []), ''].join('\n'));
    const synth = (main, validate, args = []) => {
      config(main, validate);
      return best(runs, () => run(process.execPath, [cdk8s, 'synth', ...args], app, env));
    };

    const withLibrary = synth('main.ts', false);
    const withPlugin = synth('main.ts', true, ['--validate']);
    // the same objects without the library: plain cdk8s including the file the library's app wrote
    fs.renameSync(path.join(app, 'dist', 'models.k8s.yaml'), path.join(app, 'models.yaml'));
    fs.writeFileSync(path.join(app, 'plain.ts'), [
      "import { App, Chart, Include } from 'cdk8s';", 'const app = new App();',
      "new Include(new Chart(app, 'models'), 'objects', { url: 'models.yaml' });", 'app.synth();', ''].join('\n'));
    const plain = synth('plain.ts', false);

    const tsNode = path.join(repoModules, 'ts-node', 'dist', 'bin.js');
    const checked = best(runs, () => run(process.execPath, [tsNode, 'main.ts'], app));
    const transpiled = best(runs, () => run(process.execPath, [tsNode, '--transpile-only', 'main.ts'], app));
    const plainChecked = best(runs, () => run(process.execPath, [tsNode, 'plain.ts'], app));
    const plainTranspiled = best(runs, () => run(process.execPath, [tsNode, '--transpile-only', 'plain.ts'], app));
    const load = (modules) => best(runs, () => run(process.execPath, ['-e', modules.map((m) => `require('${m}');`).join('')], app));
    const libraryLoad = load(['cdk8s', 'cdk8s-maas-egress']);
    const peersLoad = load(['cdk8s']);
    const exportsApp = README_EXAMPLE.replace('app.synth();', 'module.exports = app;');
    if (exportsApp === README_EXAMPLE) throw new Error("the README's example does not end with app.synth()");
    fs.writeFileSync(path.join(app, 'example.js'), ts.transpileModule(exportsApp, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText);
    const checks = JSON.parse(run(process.execPath, ['-e', CHECKS_PROBE], app));
    const declarations = declarationsParsed(app);

    const typeChecking = (checked - transpiled) - (plainChecked - plainTranspiled);
    const loading = libraryLoad - peersLoad;
    const s = (seconds) => seconds.toFixed(3);
    return [
      '| what | wall s |',
      '|---|---:|',
      `| \`cdk8s synth\` of the README's example (ts-node, type-checked) | ${s(withLibrary)} |`,
      `| the same with the validation plugin, \`cdk8s synth --validate\` | ${s(withPlugin)} |`,
      `| the same ${checks.objects} objects from plain cdk8s (\`Include\` of the file), same \`cdk8s synth\` | ${s(plain)} |`,
      `| **what the library adds** (first row minus the plain app) | **${s(withLibrary - plain)}** |`,
      `| of which ts-node type-checking against the library's declarations (type-checking the example, ${s(checked - transpiled)}, minus the plain app's, ${s(plainChecked - plainTranspiled)}) | ${s(typeChecking)} |`,
      `| of which loading the library (require, beyond cdk8s) | ${s(loading)} |`,
      `| of which the library's checks on the app's objects (in process) | ${s(checks.seconds)} |`,
      `| of which the rest: building the constructs, synthesizing, ts-node compiling a larger app | ${s(Math.max(0, (withLibrary - plain) - typeChecking - loading - checks.seconds))} |`,
      `| declarations of the library a consumer's compiler parses | ${declarations.files} files, ${Math.round(declarations.bytes / 1024)} KiB |`,
    ].join('\n');
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

// Runs in the app: loads the README's example (transpiled into example.js,
// which exports its App instead of synthesizing), synthesizes it without
// writing, then times the library's checks on its objects.
const CHECKS_PROBE = `
const lib = require('cdk8s-maas-egress');
const manifests = lib.Manifests.synthesize(require('./example.js'));
let best = Infinity;
for (let i = 0; i < 5; i++) {
  const t = process.hrtime.bigint();
  lib.Manifests.problems(manifests);
  best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e9);
}
console.log(JSON.stringify({ objects: manifests.length, seconds: best }));
`;

/** The library's declaration files that tsc parses for the app, and their size. */
function declarationsParsed(app) {
  const ours = packageFilesParsed(app);
  return { files: ours.length, bytes: ours.reduce((sum, f) => sum + f.text.length, 0) };
}

function best(runs, measure) {
  let fastest = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    measure();
    fastest = Math.min(fastest, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return fastest;
}

module.exports = { userAppCost };

if (require.main === module) {
  const i = process.argv.indexOf('--runs');
  const runs = i >= 0 ? Number(process.argv[i + 1]) : 3;
  console.log(userAppCost(runs));
}
