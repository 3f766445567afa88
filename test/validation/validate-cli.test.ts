import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO_DIR } from '../helpers';

function validate(...args: string[]) {
  const result = spawnSync(process.execPath, [path.join(REPO_DIR, 'scripts', 'validate.js'), ...args], { encoding: 'utf8' });
  return { code: result.status, lines: result.stdout.trim().split('\n') };
}

describe('npm run validate', () => {
  // Objects each app expects to be created outside Git (declared in its main.ts).
  const EXISTING: Record<string, string[]> = {
    'real-providers': ['Secret/maas-egress/public-ca-bundle'],
  };

  test('passes every committed dist folder, given the objects it expects to exist', () => {
    for (const app of fs.readdirSync(path.join(REPO_DIR, 'dist'))) {
      const existing = (EXISTING[app] ?? []).flatMap((ref) => ['--existing', ref]);
      const { code, lines } = validate(path.join(REPO_DIR, 'dist', app), ...existing);
      expect(`${app}: ${lines[lines.length - 1]}`).toMatch(/^[a-z-]+: \d+ objects in \d+ files: no problems$/);
      expect(code).toBe(0);
    }
  });

  test('real-providers needs no Secret created outside Git any more: TLS is checked against the system trust store', () => {
    const { code, lines } = validate(path.join(REPO_DIR, 'dist', 'real-providers'));
    expect(lines[lines.length - 1]).toMatch(/^\d+ objects in \d+ files: no problems$/);
    expect(code).toBe(0);
  });

  test('prints one line per problem and a summary, and exits 1', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-'));
    fs.writeFileSync(path.join(dir, 'route.yaml'), [
      'apiVersion: gateway.networking.k8s.io/v1',
      'kind: HTTPRoute',
      'metadata: {name: r, namespace: ns}',
      'spec:',
      '  parentRefs: [{name: gw}]',
      '  rules: [{backendRefs: [{name: svc, port: 80}], timeout: 5s}]',
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'junk.yaml'), 'just: text\n');
    const { code, lines } = validate(dir);
    expect(lines).toEqual([
      `${path.join(dir, 'junk.yaml')}: not a Kubernetes object (apiVersion, kind and metadata.name are required)`,
      'HTTPRoute ns/r: violates its CRD schema at /spec/rules/0: unknown field "timeout"',
      'HTTPRoute ns/r: parentRef Gateway ns/gw does not exist; check the name, or add the object to this folder; '
        + 'if another app or a manual step creates it, pass --existing gateway.networking.k8s.io/Gateway/ns/gw',
      'HTTPRoute ns/r: backendRef Service ns/svc does not exist; check the name, or add the object to this folder; '
        + 'if another app or a manual step creates it, pass --existing Service/ns/svc',
      '1 objects in 2 files: 4 problem(s)',
    ]);
    expect(code).toBe(1);
    const declared = validate(dir, '--existing', 'Gateway/ns/gw', '--existing', 'Service/ns/svc');
    expect(declared.lines[declared.lines.length - 1]).toBe('1 objects in 2 files: 2 problem(s)');
  });

  test('a folder of app folders: each app folder is checked on its own, loose files together', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-'));
    // two apps that each define the same Namespace and ConfigMap: no duplicate across apps
    for (const app of ['a', 'b']) {
      fs.mkdirSync(path.join(dir, app));
      fs.writeFileSync(path.join(dir, app, 'kustomization.yaml'), 'resources: [ns.yaml, cm.yaml]\n');
      fs.writeFileSync(path.join(dir, app, 'ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shared}\n');
      fs.writeFileSync(path.join(dir, app, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shared}\n');
    }
    // app b refers to a route of app a: each app is applied on its own, so it must declare it
    fs.writeFileSync(path.join(dir, 'b', 'policy.yaml'), [
      'apiVersion: kuadrant.io/v1', 'kind: RateLimitPolicy', 'metadata: {name: p, namespace: shared}',
      'spec: {targetRef: {group: gateway.networking.k8s.io, kind: HTTPRoute, name: r}, limits: {l: {rates: [{limit: 1, window: 1m}]}}}',
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'loose-1.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: y}\n');
    fs.writeFileSync(path.join(dir, 'loose-2.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: y}\n');
    const { code, lines } = validate(dir);
    expect(lines).toEqual([
      `${path.join(dir, 'a')}: 2 objects in 2 files: no problems`,
      'RateLimitPolicy shared/p: targetRef HTTPRoute shared/r does not exist in the policy\'s namespace; check the name, or add the object '
        + 'to this folder; if another app or a manual step creates it, pass --existing gateway.networking.k8s.io/HTTPRoute/shared/r',
      `${path.join(dir, 'b')}: 3 objects in 3 files: 1 problem(s)`,
      'ConfigMap y/x: defined twice; give each object its own name',
      `${dir}: 2 objects in 2 files: 1 problem(s)`,
    ]);
    expect(code).toBe(1);
    expect(validate(dir, '--existing', 'gateway.networking.k8s.io/HTTPRoute/shared/r').lines)
      .toContain(`${path.join(dir, 'b')}: 3 objects in 3 files: no problems`);
  });

  test('the committed dist/ as one folder: every app passes on its own', () => {
    const { code, lines } = validate(path.join(REPO_DIR, 'dist'), '--existing', 'Secret/maas-egress/public-ca-bundle');
    expect(lines).toEqual(fs.readdirSync(path.join(REPO_DIR, 'dist')).sort()
      .map((app) => expect.stringMatching(new RegExp(`^${path.join(REPO_DIR, 'dist', app)}: \\d+ objects in \\d+ files: no problems$`))));
    expect(code).toBe(0);
  });

  test('rejects bad arguments with usage', () => {
    const { code } = validate('--existing', 'nonsense');
    expect(code).toBe(2);
  });
});

describe('maas-egress validate, trace and diff: files or folders, and --help', () => {
  const { runCli } = require('../../lib/cli/cli') as typeof import('../../lib/cli/cli');
  const file = path.join(REPO_DIR, 'dist', 'current-maas', '4-externalmodel-llm-gpt-4o.yaml');

  test('validate takes a single file, and reports a dangling reference in it', () => {
    const result = runCli(['validate', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/ExternalProvider llm\/ext-openai/);
    expect(result.stdout.trim().split('\n').pop()).toMatch(/^1 objects in 1 files: \d+ problem\(s\)$/);
    expect(runCli(['validate', path.join(REPO_DIR, 'dist', 'current-maas')])).toMatchObject({ code: 0 });
  });

  test('trace and diff take files too', () => {
    const trace = runCli(['trace', file, 'POST', '/v1/chat/completions', '--json']);
    expect(trace.code).toBe(0);
    expect(runCli(['diff', file, file])).toMatchObject({ code: 0 });
    expect(runCli(['trace', '/no/such/place', 'GET', '/'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/no such folder or file: \/no\/such\/place/) });
  });

  test.each(['validate', 'trace', 'diff'])('%s --help says what it does and exits 0', (command) => {
    const result = runCli([command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^usage: maas-egress ${command} `));
    expect(result.stdout.split('\n').length).toBeGreaterThan(2);
  });

  test('bad arguments to validate are a usage error', () => {
    expect(runCli(['validate'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/name at least one folder or file/) });
    expect(runCli(['validate', '--existing', 'x'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--existing takes \[group\/\]Kind\/namespace\/name/) });
  });
});

describe('the checks as a cdk8s-cli validation plugin (cdk8s synth --validate)', () => {
  const cli = path.join(REPO_DIR, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
  const plugin = path.join(REPO_DIR, 'build', 'lib', 'validation', 'cdk8s-validation-plugin.js');
  const cdk8s = path.join(REPO_DIR, 'node_modules', 'cdk8s');

  function synthValidate(objects: object[], existing: string[] = []): { status: number | null; stdout: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plugin-'));
    fs.writeFileSync(path.join(dir, 'main.js'), [
      `const { App, Chart, ApiObject } = require(${JSON.stringify(cdk8s)});`,
      'const app = new App(); const chart = new Chart(app, \'c\');',
      `${JSON.stringify(objects)}.forEach((o, i) => new ApiObject(chart, 'o' + i, o));`,
      'app.synth();',
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), ['language: typescript', 'app: node main.js', 'validations:', `  - package: ${plugin}`,
      '    class: MaasEgressValidation', '    version: 0.0.0', '    properties:', `      existing: ${JSON.stringify(existing)}`, ''].join('\n'));
    const result = spawnSync(process.execPath, [cli, 'synth', '--validate'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' } });
    return { status: result.status, stdout: result.stdout };
  }
  const model = {
    apiVersion: 'inference.opendatahub.io/v1alpha1', kind: 'ExternalModel', metadata: { name: 'gpt-4o', namespace: 'llm' },
    spec: { externalProviderRefs: [{ ref: { name: 'ext-openai' }, targetModel: 'gpt-4o', apiFormat: 'openai-chat', path: '/v1/chat/completions', weight: 1 }] },
  };

  test('a dangling reference fails the synth with a violation naming the construct, manifest and fix', () => {
    const run = synthValidate([model]);
    expect(run.status).not.toBe(0);
    expect(run.stdout).toMatch(/maas-egress\/references \(1 occurrences\)/);
    expect(run.stdout).toMatch(/Construct Path: c\/o0/);
    expect(run.stdout).toMatch(/Recommendation: ExternalModel llm\/gpt-4o: provider ExternalProvider llm\/ext-openai does not exist/);
  });

  test('the same object passes once the provider is declared as existing', () => {
    const run = synthValidate([model], ['inference.opendatahub.io/ExternalProvider/llm/ext-openai']);
    expect(run.stdout).toMatch(/Status\s*│\s*success/);
    expect(run.status).toBe(0);
  });
});
