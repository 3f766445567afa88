#!/usr/bin/env node
'use strict';
// npm run build:jsii [-- --stage <dir>]   compiles the library with jsii, as Construct Hub
// libraries are, into build/jsii/.jsii (the assembly jsii-pacmak turns into
// Python, Java, Go and .NET packages), and reports what jsii would drop.
//
// jsii compiles in place and needs its own package.json fields, so the sources
// (lib/, imports/) are staged into build/jsii/ with a package.json generated
// from ours; node_modules is linked. Exit 1 when jsii reports an error or when
// an export of lib/index.ts is missing from the assembly (jsii leaves out free
// functions and constants without an error: those must become static members).
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const ts = require('typescript');

const root = path.join(__dirname, '..');
const stageAt = process.argv.indexOf('--stage');
const stage = stageAt >= 0 ? path.resolve(process.argv[stageAt + 1]) : path.join(root, 'build', 'jsii');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
/** The environment jsii's tools run in: without their end-of-life notice for this Node.js, printed on every run. */
const JSII_ENV = { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: process.versions.node.split('.')[0] };

function main() {
  fs.rmSync(stage, { recursive: true, force: true });
  fs.mkdirSync(stage, { recursive: true });
  for (const dir of ['lib', 'imports']) fs.cpSync(path.join(root, dir), path.join(stage, dir), { recursive: true, filter: (f) => !f.endsWith('.d.ts') });
  // the precompiled CRD schema validators, where lib/validation/schema-validator looks for them (../../validators)
  const validators = path.join(root, 'build', 'validators');
  if (!fs.existsSync(validators)) fail('build/validators is missing: run npm run build first');
  fs.cpSync(validators, path.join(stage, 'build', 'validators'), { recursive: true });
  for (const file of ['README.md', 'LICENSE', 'CHANGELOG.md']) if (fs.existsSync(path.join(root, file))) fs.copyFileSync(path.join(root, file), path.join(stage, file));
  for (const dir of ['docs', 'bin']) fs.cpSync(path.join(root, dir), path.join(stage, dir), { recursive: true });
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(stage, 'node_modules'), 'dir');
  fs.writeFileSync(path.join(stage, 'package.json'), JSON.stringify(jsiiPackage(), null, 2));

  const jsii = spawnSync(process.execPath, [require.resolve('jsii/bin/jsii'), '--silence-warnings=reserved-word'], {
    cwd: stage, encoding: 'utf8', env: JSII_ENV,
  });
  const output = `${jsii.stdout}${jsii.stderr}`;
  const diagnostics = output.split('\n').filter((line) => / (error|warning) JSII\d+:/.test(line));
  for (const line of diagnostics) console.log(line);
  if (jsii.status !== 0) {
    console.error(output);
    fail(`jsii failed (exit ${jsii.status})`);
  }
  // the maas-egress command is not part of the jsii API (jsii leaves lib/cli out): its tsc output joins jsii's
  const cli = path.join(root, 'build', 'lib', 'cli');
  if (!fs.existsSync(path.join(cli, 'cli.js'))) fail('build/lib/cli is missing: run npm run build first');
  fs.cpSync(cli, path.join(stage, 'build', 'lib', 'cli'), { recursive: true, filter: (f) => !f.endsWith('.map') });
  useStrippedDeclarations();
  const assembly = JSON.parse(fs.readFileSync(path.join(stage, '.jsii'), 'utf8'));
  const inAssembly = new Set(Object.values(assembly.types ?? {}).map((t) => t.name));
  const dropped = publicExports().filter((name) => !inAssembly.has(name));
  console.log(`jsii: ${inAssembly.size} types in ${path.relative(root, path.join(stage, '.jsii'))}, ${diagnostics.filter((l) => / error /.test(l)).length} errors, `
    + `${dropped.length} exports of lib/index.ts dropped${dropped.length ? `: ${dropped.join(', ')}` : ''}`);
  if (dropped.length > 0 && !process.argv.includes('--allow-dropped')) fail('make each dropped export a static member of a class (jsii has no free functions or constants)');
}

/**
 * jsii writes declarations with the @internal members in them, and those
 * reference the generated CRD types: a consumer's compiler would parse
 * build/imports (1 MB) on every ts-node synth. Our tsc build (stripInternal)
 * writes the declarations of the same sources without them: they replace
 * jsii's, one for one. The assembly (.jsii) and the JavaScript stay jsii's.
 */
function useStrippedDeclarations() {
  const ours = path.join(root, 'build', 'lib');
  const staged = path.join(stage, 'build', 'lib');
  const declarations = (dir) => fs.readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.d.ts')).sort();
  const jsiiFiles = declarations(staged);
  const missing = jsiiFiles.filter((f) => !fs.existsSync(path.join(ours, f)));
  if (missing.length > 0) fail(`build/lib lacks declarations jsii wrote (${missing.join(', ')}): run npm run build first`);
  for (const file of jsiiFiles) fs.copyFileSync(path.join(ours, file), path.join(staged, file));
}

/** The names lib/index.ts exports, as TypeScript sees them. */
function publicExports() {
  const index = path.join(root, 'lib', 'index.ts');
  const program = ts.createProgram([index], { strict: true, target: ts.ScriptTarget.ES2022 });
  const checker = program.getTypeChecker();
  return checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(index))).map((s) => s.name).sort();
}

/** Our package.json with the fields jsii needs: its targets, and the metadata every registry asks for. */
function jsiiPackage() {
  return {
    name: pkg.name,
    version: pkg.version,
    description: pkg.description,
    license: pkg.license,
    keywords: pkg.keywords,
    // jsii requires both; placeholders until the project's public repository is named (no package is published from here)
    author: pkg.author ?? { name: `${pkg.name} contributors`, organization: false },
    repository: pkg.repository ?? { type: 'git', url: `https://example.invalid/${pkg.name}.git` },
    // the layout of our package.json (build/lib, build/imports, build/validators), plus the assembly
    main: pkg.main,
    types: pkg.types,
    bin: pkg.bin,
    exports: { ...pkg.exports, './.jsii': './.jsii' },
    files: [...pkg.files, '.jsii', 'README.md', 'LICENSE'],
    engines: pkg.engines,
    peerDependencies: pkg.peerDependencies,
    devDependencies: Object.fromEntries(Object.keys(pkg.peerDependencies).map((name) => [name, installedVersion(name)])),
    dependencies: pkg.dependencies,
    bundledDependencies: Object.keys(pkg.dependencies ?? {}),
    jsii: {
      outdir: 'dist',
      tsc: { outDir: 'build', rootDir: '.' },
      excludeTypescript: ['lib/cli/**'],
      targets: {
        python: { distName: pkg.name, module: pkg.name.replace(/-/g, '_') },
        java: { package: 'io.github.cdk8s.maas.egress', maven: { groupId: 'io.github.cdk8s-maas-egress', artifactId: pkg.name } },
        go: { moduleName: `example.invalid/${pkg.name}`, packageName: 'maasegress' },
        dotnet: { namespace: 'Cdk8s.MaasEgress', packageId: 'Cdk8s.MaasEgress' },
      },
    },
  };
}

function installedVersion(name) {
  return JSON.parse(fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
}

function fail(message) {
  console.error(message);
  process.exit(1);
}

module.exports = { JSII_ENV };

if (require.main === module) main();
