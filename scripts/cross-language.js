#!/usr/bin/env node
'use strict';
// npm run test:languages   the library from other cdk8s languages: compiles it
// with jsii (scripts/build-jsii.js), makes the language packages with
// jsii-pacmak, runs each language's app of the mixed-providers intent
// (test/languages/<language>/) and compares its output with the TypeScript
// app's (apps/mixed-providers), byte for byte. Exit 1 on any difference.
// Python, Java and Go also implement a data plane of their own (custom_plane.py,
// CustomPlane.java, customplane/main.go), which the library calls back through jsii.
//
// Python: a virtual environment in build/languages/python-venv with the pinned
// PyPI packages of test/languages/python/requirements.txt and the built wheel.
// Java: the Maven project jsii-pacmak generates (--code-only) is installed into
// the local repository build/languages/m2, and the Maven apps of
// test/languages/java (pinned cdk8s, constructs and jsii runtime from Maven
// Central) run on it with exec:java, building into build/languages/java.
// Go: jsii-pacmak generates the library's Go module and cdk8s's (from the npm
// package cdk8s of this checkout, the source cdk8s-core-go is generated from,
// which the Go module proxy does not serve here) into build/languages/go; the
// Go apps of test/languages/go use them through replace directives, with the
// jsii runtime and constructs pinned by test/languages/go/go.sum.
// .NET cannot run on this machine kind (the reason is in NOT_RUN): its sources
// are generated (jsii-pacmak --code-only) and checked for the library's entry
// points.
// Each language's packaging dry-run runs too: twine check (Python), the Maven
// artifact's jars and POM (Java), go vet of the Go module (Go); npm's is
// npm publish --dry-run in scripts/pack-consume.js.
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { parseAllDocuments, stringify } = require('yaml');
const { readmeExample } = require('./consumer-app');

const root = path.join(__dirname, '..');
const stage = path.join(root, 'build', 'jsii');
const packages = path.join(stage, 'dist');
const env = { ...require('./build-jsii').JSII_ENV, CDK8S_CHECK_UPGRADE: 'false' };
const PYTHON = path.join(root, 'build', 'languages', 'python-venv', 'bin', 'python');
/** twine, in a virtual environment of its own: test/languages/python/packaging-requirements.txt. */
const TWINE_PYTHON = path.join(root, 'build', 'languages', 'python-packaging-venv', 'bin', 'python');
const JAVA_APP = path.join(root, 'test', 'languages', 'java');
const GO_APP = path.join(root, 'test', 'languages', 'go');
/** Where the generated Go modules go: the replace directives of test/languages/go/go.mod point here. */
const GO_MODULES = path.join(root, 'build', 'languages', 'go');
/** The library's Go module, as jsii's go target in scripts/build-jsii.js names it. */
const GO_MODULE = 'example.invalid/cdk8s-maas-egress/maasegress';
/** Go with the module graph that test/languages/go's go.mod and go.sum pin: nothing is resolved anew. */
const GO_ENV = { ...env, GOFLAGS: '-mod=readonly', GOWORK: 'off' };
const PACMAK = require.resolve('jsii-pacmak/bin/jsii-pacmak');
const { name: PACKAGE, version: VERSION } = require('../package.json');
/** Maven without colours or progress, on the local repository of the languages build. */
const MAVEN = ['-q', '-B', '-Dstyle.color=never', `-Dmaven.repo.local=${path.join(root, 'build', 'languages', 'm2')}`];

// Languages jsii-pacmak targets that this machine cannot build or run, and why.
const NOT_RUN = {
  dotnet: 'no .NET SDK on this machine kind, and NuGet (the jsii runtime\'s registry) is not reached from it',
};

// Types every language package must declare, and how a source file of each language ends.
const ENTRY_POINTS = ['MaasEgressGateway', 'ExternalProvider', 'TierTokenBudget', 'MaasPlatform', 'Manifests', 'ExistingObject'];
const SOURCE_EXTENSION = { dotnet: '.cs' };
/** What a refusals app prints, one line per case: a bad provider name, and an object that violates its CRD schema. */
const EXPECTED_REFUSALS = [/^.*\[app\/egress\/OpenAI\] invalid provider name "OpenAI"/, /AuthPolicy maas-egress\/typo: violates its CRD schema at \/spec: unknown field "unknownField"/];

/** True when a file named after `type` exists below `dir`. */
function hasSource(dir, type, extension) {
  if (!fs.existsSync(dir)) return false;
  return fs.readdirSync(dir, { withFileTypes: true }).some((entry) =>
    entry.isDirectory() ? hasSource(path.join(dir, entry.name), type, extension) : entry.name === `${type}${extension}`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}\n${result.stdout ?? ''}${result.stderr ?? ''}`);
  return result.stdout;
}

function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'maas-egress-languages-'));
  let failed = false;
  try {
    run(process.execPath, [path.join(__dirname, 'build-jsii.js')], { stdio: ['ignore', 'inherit', 'inherit'] });
    fs.rmSync(packages, { recursive: true, force: true });
    run(process.execPath, [PACMAK, '--targets', 'python', '--outdir', packages], { cwd: stage });

    const expected = synthesizeTypeScript(path.join(work, 'typescript'));
    const readme = synthesizeReadmeExample(path.join(work, 'readme-ts'));
    // the sources of every language but Python: Java and Go are built from them, the others only checked
    const sources = path.join(work, 'sources');
    run(process.execPath, [PACMAK, '--code-only', '--targets', 'java', '--targets', 'go', ...Object.keys(NOT_RUN).flatMap((l) => ['--targets', l]), '--outdir', sources], { cwd: stage });

    // each language that runs here: how its package is installed, its apps, and its packaging dry-run
    const languages = [
      { name: 'python', mixed: synthesizePython, guide: synthesizeGuideExample, refusals: pythonRefusals, plane: pythonCustomPlane, packaging: checkPythonPackages },
      { name: 'java', install: () => installJavaPackage(path.join(sources, 'java')), mixed: synthesizeJava, guide: synthesizeJavaGuideExample, refusals: javaRefusals, plane: javaCustomPlane, packaging: checkMavenArtifact },
      { name: 'go', install: () => installGoModules(path.join(sources, 'go'), path.join(work, 'cdk8s-go')), mixed: synthesizeGo, guide: synthesizeGoGuideExample, refusals: goRefusals, plane: goCustomPlane, packaging: checkGoModule },
    ];
    for (const language of languages) {
      const outdir = (what) => path.join(work, `${language.name}-${what}`);
      language.install?.();
      if (!compare(language.name, expected, language.mixed(outdir('mixed-providers')))) failed = true;
      if (!compareGuide(language.name, readme, language.guide(outdir('guide')))) failed = true;
      if (!checkRefusals(language.name, language.refusals(outdir('refusals')))) failed = true;
      if (language.plane && !checkCustomPlane(language.name, language.plane(outdir('plane')))) failed = true;
      if (!language.packaging()) failed = true;
    }

    // the languages that cannot run here: their sources are generated, and each must declare the library's entry points
    for (const [language, reason] of Object.entries(NOT_RUN)) {
      const missing = ENTRY_POINTS.filter((type) => !hasSource(path.join(sources, language), type, SOURCE_EXTENSION[language]));
      if (missing.length > 0) failed = true;
      console.log(`${language}: sources generated${missing.length ? `, MISSING ${missing.join(', ')}` : ` (${ENTRY_POINTS.join(', ')} present)`}; not run: ${reason}`);
    }
    if (!checkNugetProject(path.join(sources, 'dotnet'))) failed = true;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}

/** Prints whether a language's mixed-providers output equals the TypeScript app's, and where it first differs. */
function compare(language, expected, actual) {
  const same = actual === expected;
  console.log(`${language}: ${same ? 'identical to' : 'DIFFERS from'} the TypeScript app's output (${expected.length} bytes)`);
  if (!same) {
    const a = expected.split('\n');
    const b = actual.split('\n');
    const at = a.findIndex((line, i) => line !== b[i]);
    console.error(`first difference at line ${at + 1}:\n  typescript: ${a[at]}\n  ${`${language}:`.padEnd(11)} ${b[at]}`);
  }
  return same;
}

/** Prints whether the example of docs/languages.md in a language writes the README's TypeScript example's bytes. */
function compareGuide(language, readme, guide) {
  const same = guide === readme;
  console.log(`${language}: the example of docs/languages.md, run by cdk8s synth, ${same ? 'writes the same bytes as' : 'DIFFERS from'} the README's TypeScript example`);
  return same;
}

/**
 * Prints whether a data plane written in a language (IEgressDataPlane) carries
 * the provider's route on the MaaS gateway, with the platform's part kept:
 * the route's own matches, Accept-Encoding removed, the AuthPolicy and budget on it.
 */
function checkCustomPlane(language, manifests) {
  const find = (kind, name) => manifests.find((m) => m.kind === kind && m.metadata?.name === name);
  const rule = find('HTTPRoute', 'openai-bridge')?.spec?.rules?.[0];
  const problems = [
    JSON.stringify(rule?.backendRefs) === JSON.stringify([{ name: 'forward-proxy', namespace: 'maas-egress', port: 3128 }]) ? '' : `backendRefs ${JSON.stringify(rule?.backendRefs)}`,
    (rule?.filters ?? []).some((f) => (f.requestHeaderModifier?.remove ?? []).includes('Accept-Encoding')) ? '' : 'Accept-Encoding not removed',
    find('AuthPolicy', 'openai-bridge-auth')?.spec?.targetRef?.name === 'openai-bridge' ? '' : 'no AuthPolicy on the route',
    find('TokenRateLimitPolicy', 'openai-bridge-tokens')?.spec?.targetRef?.name === 'openai-bridge' ? '' : 'no token budget on the route',
    find('Service', 'forward-proxy') ? '' : 'the plane\'s Service is missing',
  ].filter(Boolean);
  console.log(`${language}: ${problems.length === 0
    ? 'a data plane written in it (IEgressDataPlane) carries the provider route; auth, budget and Accept-Encoding removal stay on it'
    : `CUSTOM PLANE WRONG: ${problems.join('; ')}`}`);
  return problems.length === 0;
}

/** Prints whether a language's refusals app was refused with the library's messages. */
function checkRefusals(language, refusals) {
  const refused = EXPECTED_REFUSALS.every((pattern, i) => pattern.test(refusals[i] ?? ''));
  console.log(`${language}: ${refused ? 'bad input and a schema violation are refused with the library\'s messages' : `REFUSALS DIFFER: ${JSON.stringify(refusals)}`}`);
  return refused;
}

/** The one-file output of apps/mixed-providers, from the compiled TypeScript. */
function synthesizeTypeScript(outdir) {
  run(process.execPath, ['-e', "require('./build/apps/mixed-providers/main').createApp().synth()"], { cwd: root, env: { ...env, CDK8S_OUTDIR: outdir } });
  return mixedProvidersOutput(outdir);
}

/** The same intent from Python, through the wheel jsii-pacmak built. */
function synthesizePython(outdir) {
  const requirements = path.join(root, 'test', 'languages', 'python', 'requirements.txt');
  if (!fs.existsSync(PYTHON)) run('python3', ['-m', 'venv', path.dirname(path.dirname(PYTHON))]);
  run(PYTHON, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', requirements]);
  const wheel = fs.readdirSync(path.join(packages, 'python')).find((f) => f.endsWith('.whl'));
  if (!wheel) throw new Error(`jsii-pacmak wrote no wheel into ${path.join(packages, 'python')}`);
  run(PYTHON, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-deps', '--force-reinstall', path.join(packages, 'python', wheel)]);
  run(PYTHON, [path.join(root, 'test', 'languages', 'python', 'mixed_providers.py'), outdir]);
  return mixedProvidersOutput(outdir);
}

/** The output of the README's TypeScript example, run against the compiled library. */
function synthesizeReadmeExample(outdir) {
  const ts = require('typescript');
  const js = ts.transpileModule(readmeExample(), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  // inside build/, so that cdk8s and constructs resolve from the repository's node_modules
  const file = path.join(root, 'build', 'languages', 'readme-example.js');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, js);
  // the example imports the package by name: resolve it to the compiled library
  const alias = `const M = require('module'); const r = M._resolveFilename; M._resolveFilename = function (id, ...a) { return r.call(this, id === 'cdk8s-maas-egress' ? ${JSON.stringify(path.join(root, 'build', 'lib', 'index.js'))} : id, ...a); };`;
  run(process.execPath, ['-e', `${alias} require(${JSON.stringify(file)})`], { cwd: root, env: { ...env, CDK8S_OUTDIR: outdir } });
  return fs.readFileSync(path.join(outdir, 'models.k8s.yaml'), 'utf8');
}

/** The example of docs/languages.md in `language`: its first fenced block of that language. */
function guideExample(language) {
  const block = new RegExp(`\`\`\`${language}\n([\\s\\S]*?)\`\`\``).exec(fs.readFileSync(path.join(root, 'docs', 'languages.md'), 'utf8'));
  if (!block) throw new Error(`docs/languages.md has no ${language} example`);
  return block[1];
}

/** Writes a program's source file, with its folder; returns the file's path. */
function writeSource(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/** The one file a mixed-providers app of any language writes into outdir. */
function mixedProvidersOutput(outdir) {
  return fs.readFileSync(path.join(outdir, 'mixed-providers.k8s.yaml'), 'utf8');
}

/**
 * Runs `cdk8s synth` (the CLI of the lock file) in dir, with a cdk8s.yaml of
 * `language` and `app` as docs/languages.md gives them and the validation
 * plugin of the package (docs/getting-started.md), as a user's CI would;
 * returns the dist/models.k8s.yaml it wrote.
 */
function cdk8sSynth(dir, language, app, extraEnv = {}) {
  const plugin = { package: path.join(stage, 'build', 'lib', 'validation', 'cdk8s-validation-plugin.js'), class: 'MaasEgressValidation', version: VERSION };
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), stringify({ language, app, validations: [plugin] }));
  const report = run(process.execPath, [path.join(root, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s'), 'synth', '--check-upgrade=false'], { cwd: dir, env: { ...env, ...extraEnv } });
  if (!/Validation Report \(.*cdk8s-validation-plugin\.js@/.test(report)) throw new Error(`cdk8s synth of the ${language} example ran without the validation plugin:\n${report}`);
  return fs.readFileSync(path.join(dir, 'dist', 'models.k8s.yaml'), 'utf8');
}

/** The output of docs/languages.md's Python example, run against the wheel by cdk8s synth (`app: python main.py`). */
function synthesizeGuideExample(outdir) {
  writeSource(path.join(outdir, 'main.py'), guideExample('python'));
  return cdk8sSynth(outdir, 'python', 'python main.py', { PATH: `${path.dirname(PYTHON)}${path.delimiter}${process.env.PATH}` });
}

/** The packaging dry-run for PyPI: twine check on the wheel and the sdist (metadata, and the README as PyPI renders it). */
function checkPythonPackages() {
  const requirements = path.join(root, 'test', 'languages', 'python', 'packaging-requirements.txt');
  if (!fs.existsSync(TWINE_PYTHON)) run('python3', ['-m', 'venv', path.dirname(path.dirname(TWINE_PYTHON))]);
  run(TWINE_PYTHON, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', requirements]);
  const files = fs.readdirSync(path.join(packages, 'python')).filter((f) => f.endsWith('.whl') || f.endsWith('.tar.gz')).map((f) => path.join(packages, 'python', f));
  const result = spawnSync(TWINE_PYTHON, ['-m', 'twine', 'check', '--strict', ...files], { encoding: 'utf8', env: { ...env, NO_COLOR: '1' } });
  const ok = result.status === 0 && files.length === 2;
  console.log(`python: ${ok ? 'twine check --strict passes on the wheel and the sdist' : `PYTHON PACKAGES REFUSED (${files.length} files):\n${result.stdout}${result.stderr}`}`);
  return ok;
}

/** The objects test/languages/python/custom_plane.py synthesizes. */
function pythonCustomPlane(outdir) {
  run(PYTHON, [path.join(root, 'test', 'languages', 'python', 'custom_plane.py'), outdir]);
  return customPlaneObjects(outdir);
}

/** The objects a custom-plane app wrote into outdir. */
function customPlaneObjects(outdir) {
  return parseAllDocuments(fs.readFileSync(path.join(outdir, 'custom-plane.k8s.yaml'), 'utf8')).map((d) => d.toJS());
}

/** What test/languages/python/refusals.py prints: each error it provokes, one line each. */
function pythonRefusals(outdir) {
  return run(PYTHON, [path.join(root, 'test', 'languages', 'python', 'refusals.py'), outdir]).trim().split('\n');
}

/** The library's Maven artifact (io.github.cdk8s-maas-egress:cdk8s-maas-egress) from jsii-pacmak's project, with its sources and javadoc jars, into the local repository. */
function installJavaPackage(project) {
  run('mvn', [...MAVEN, 'install'], { cwd: project });
}

/**
 * The packaging dry-run for Maven Central: the installed artifact has the jar,
 * the sources and javadoc jars, and a POM with the fields Central requires.
 */
function checkMavenArtifact() {
  const dir = path.join(root, 'build', 'languages', 'm2', 'io', 'github', 'cdk8s-maas-egress', PACKAGE, VERSION);
  const files = [`.jar`, `-sources.jar`, `-javadoc.jar`, `.pom`].map((suffix) => `${PACKAGE}-${VERSION}${suffix}`);
  const missing = files.filter((file) => !fs.existsSync(path.join(dir, file)));
  const pom = missing.includes(files[3]) ? '' : fs.readFileSync(path.join(dir, files[3]), 'utf8');
  const fields = ['name', 'description', 'url', 'licenses', 'developers', 'scm'].filter((field) => !pom.includes(`<${field}>`));
  const ok = missing.length === 0 && fields.length === 0;
  console.log(`java: ${ok ? 'the Maven artifact has its jar, sources and javadoc jars, and a POM with the fields Maven Central requires'
    : `MAVEN ARTIFACT INCOMPLETE: ${[...missing.map((f) => `no ${f}`), ...fields.map((f) => `POM without <${f}>`)].join('; ')}`}`);
  return ok;
}

/** Runs a main class of test/languages/java with Maven: exec:java, in Maven's JVM; returns what it printed. */
function runJava(mainClass, args) {
  return run('mvn', [...MAVEN, 'compile', 'exec:java', `-Dexec.mainClass=${mainClass}`, `-Dexec.args=${args.join(' ')}`], { cwd: JAVA_APP });
}

/** The same intent from Java, through the Maven artifact jsii-pacmak's project installed. */
function synthesizeJava(outdir) {
  runJava('languages.MixedProviders', [outdir]);
  return mixedProvidersOutput(outdir);
}

/**
 * The output of docs/languages.md's Java example (class Main, no package),
 * compiled and run against the Maven artifact by cdk8s synth: `app: mvn
 * exec:java -Dexec.mainClass=Main`, with test/languages/java's POM and
 * this build's repository and folders.
 */
function synthesizeJavaGuideExample(outdir) {
  const sources = path.dirname(writeSource(path.join(outdir, 'src', 'Main.java'), guideExample('java')));
  const maven = [...MAVEN, '--file', path.join(JAVA_APP, 'pom.xml'), `-Dsources=${sources}`, `-DbuildDirectory=${path.join(outdir, 'target')}`, 'compile', 'exec:java', '-Dexec.mainClass=Main'];
  return cdk8sSynth(outdir, 'java', ['mvn', ...maven].map((word) => JSON.stringify(word)).join(' '));
}

/** The objects test/languages/java's CustomPlane synthesizes. */
function javaCustomPlane(outdir) {
  runJava('languages.CustomPlane', [outdir]);
  return customPlaneObjects(outdir);
}

/** What test/languages/java's Refusals prints: each error it provokes, one line each. */
function javaRefusals(outdir) {
  return runJava('languages.Refusals', [outdir]).trim().split('\n');
}

/**
 * The Go modules the Go apps replace: the library's, from jsii-pacmak's sources,
 * and cdk8s's, generated the same way from the installed npm package cdk8s.
 */
function installGoModules(librarySources, scratch) {
  fs.rmSync(GO_MODULES, { recursive: true, force: true });
  fs.mkdirSync(GO_MODULES, { recursive: true });
  run(process.execPath, [PACMAK, '--code-only', '--targets', 'go', '--outdir', scratch, path.join(root, 'node_modules', 'cdk8s')], { cwd: root });
  fs.cpSync(path.join(scratch, 'go', 'cdk8s'), path.join(GO_MODULES, 'cdk8s'), { recursive: true });
  fs.cpSync(path.join(librarySources, 'maasegress'), path.join(GO_MODULES, 'maasegress'), { recursive: true });
}

/** Runs a program of test/languages/go (its package folder) with go run; returns what it printed. */
function runGo(program, args) {
  return run('go', ['run', program, ...args], { cwd: GO_APP, env: GO_ENV });
}

/** The same intent from Go, through the library's generated Go module. */
function synthesizeGo(outdir) {
  runGo('./mixedproviders', [outdir]);
  return mixedProvidersOutput(outdir);
}

/** The output of docs/languages.md's Go example, run by cdk8s synth (`app: go run .`) as a module of its own beside the Go apps' (their go.mod and go.sum, the replace paths made absolute). */
function synthesizeGoGuideExample(outdir) {
  const module = path.dirname(writeSource(path.join(outdir, 'app', 'main.go'), guideExample('go')));
  const goMod = fs.readFileSync(path.join(GO_APP, 'go.mod'), 'utf8').replace(/=> \.\.\/\.\.\/\.\.\/build\/languages\/go\//g, `=> ${GO_MODULES}/`);
  if (!goMod.includes(`=> ${GO_MODULES}/maasegress`)) throw new Error('test/languages/go/go.mod no longer replaces the library module with build/languages/go/maasegress');
  fs.writeFileSync(path.join(module, 'go.mod'), goMod);
  fs.copyFileSync(path.join(GO_APP, 'go.sum'), path.join(module, 'go.sum'));
  return cdk8sSynth(module, 'go', 'go run .', GO_ENV);
}

/**
 * The packaging dry-run for Go (a module is published by tagging its source):
 * every package of the library's module builds and passes go vet, with the
 * versions test/languages/go pins.
 */
function checkGoModule() {
  const result = spawnSync('go', ['vet', `${GO_MODULE}/...`], { cwd: GO_APP, encoding: 'utf8', env: GO_ENV });
  const ok = result.status === 0;
  console.log(`go: ${ok ? 'every package of the library\'s module builds and passes go vet' : `GO MODULE REFUSED:\n${result.stdout}${result.stderr}`}`);
  return ok;
}

/**
 * As far as .NET goes here: the project jsii-pacmak generates declares what
 * NuGet lists a package by, and embeds the library's npm tarball it runs.
 */
function checkNugetProject(dir) {
  const project = path.join(dir, 'Cdk8s.MaasEgress', 'Cdk8s.MaasEgress.csproj');
  const csproj = fs.existsSync(project) ? fs.readFileSync(project, 'utf8') : '';
  const wanted = ['PackageId', 'PackageVersion', 'PackageLicenseExpression', 'Description', 'Authors', 'RepositoryUrl', 'PackageTags'];
  const problems = [
    ...wanted.filter((field) => !new RegExp(`<${field}>[^<]+</${field}>`).test(csproj)).map((field) => `no <${field}>`),
    csproj.includes(`<EmbeddedResource Include="${PACKAGE}-${VERSION}.tgz" />`) ? '' : 'the npm tarball is not embedded',
  ].filter(Boolean);
  console.log(`dotnet: ${problems.length === 0 ? 'the NuGet project declares the package metadata and embeds the library' : `NUGET PROJECT INCOMPLETE: ${problems.join('; ')}`}`);
  return problems.length === 0;
}

/** The objects test/languages/go's customplane program synthesizes. */
function goCustomPlane(outdir) {
  runGo('./customplane', [outdir]);
  return customPlaneObjects(outdir);
}

/** What test/languages/go's refusals program prints: each error it provokes, one line each. */
function goRefusals(outdir) {
  return runGo('./refusals', [outdir]).trim().split('\n');
}

main();
