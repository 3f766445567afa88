import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { REPO_DIR, scratchOutdir } from '../helpers';

// jsii itself on the library (scripts/build-jsii.js, as npm run build:jsii):
// zero errors, and every export of lib/index.ts in the assembly from which
// jsii-pacmak makes the Python, Java, Go and .NET packages.
const stage = path.join(scratchOutdir(), 'jsii');
const run = spawnSync(process.execPath, [path.join(REPO_DIR, 'scripts', 'build-jsii.js'), '--stage', stage], { encoding: 'utf8' });
const output = `${run.stdout}${run.stderr}`;

test('jsii compiles the library with zero errors and drops no export', () => {
  expect({ status: run.status, summary: output.split('\n').find((l) => l.startsWith('jsii:')) }).toEqual({
    status: 0, summary: expect.stringMatching(/, 0 errors, 0 exports of lib\/index\.ts dropped$/),
  });
});

test('the assembly has the constructs, their props and the static homes of former free functions', () => {
  const assembly = JSON.parse(fs.readFileSync(path.join(stage, '.jsii'), 'utf8'));
  const types = assembly.types as Record<string, { kind: string; methods?: Array<{ name: string; static?: boolean }> }>;
  const named = (name: string) => Object.values(types).find((t: any) => t.name === name) as any;
  expect(named('MaasEgressGateway')).toEqual(expect.objectContaining({ kind: 'class' }));
  expect(named('ExternalProviderProps')).toEqual(expect.objectContaining({ kind: 'interface', datatype: true }));
  const statics = (name: string) => (named(name)?.methods ?? []).filter((m: any) => m.static).map((m: any) => m.name).sort();
  expect(statics('Manifests')).toEqual(['credentialFindings', 'demoValuesOf', 'describe', 'problems', 'syncWaveOf', 'synthesize', 'writeFolder']);
  expect(statics('ExistingObject')).toEqual(['declare', 'declareGateway']);
  expect(assembly.targets).toEqual(expect.objectContaining({ python: expect.anything(), java: expect.anything(), go: expect.anything(), dotnet: expect.anything() }));
});

afterAll(() => fs.rmSync(stage, { recursive: true, force: true }));
