import * as fs from 'fs';
import * as path from 'path';
import { checkSchemasInstalled, CrdSchemaValidator } from '../../lib/validation/schema-validator';
import { REPO_DIR, scratchOutdir } from '../helpers';

// Fail closed: without its validators and schemas the library must refuse to
// synthesize rather than skip every CRD schema check (as a jsii package
// without them did).
test('missing validators and schemas are an error naming where it looked', () => {
  const empty = scratchOutdir();
  const compiled = path.join(empty, 'validators');
  const schemas = path.join(empty, 'schemas');
  expect(() => checkSchemasInstalled(compiled, schemas)).toThrow(
    `cdk8s-maas-egress: the CRD schema validators are missing (looked in ${compiled} and ${schemas}), so no object could be checked against its CRD`);
});

test('either the precompiled validators or the schemas are enough', () => {
  const dir = scratchOutdir();
  const present = path.join(dir, 'present');
  fs.mkdirSync(present);
  expect(() => checkSchemasInstalled(present, path.join(dir, 'absent'))).not.toThrow();
  expect(() => checkSchemasInstalled(path.join(dir, 'absent'), present)).not.toThrow();
});

test('the installed library finds them and checks a pinned kind', () => {
  expect(fs.existsSync(path.join(REPO_DIR, 'build', 'validators'))).toBe(true);
  const problems = CrdSchemaValidator.instance().validate({
    apiVersion: 'kuadrant.io/v1', kind: 'AuthPolicy', metadata: { name: 'p', namespace: 'n' },
    spec: { targetRef: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'r' }, unknownField: true },
  });
  expect(problems.some((p) => p.includes('unknown field "unknownField"'))).toBe(true);
});

test('the sources find them too, as ts-node runs them for npx cdk8s synth in a clone', () => {
  const { spawnSync } = require('child_process') as typeof import('child_process');
  const script = "const { CrdSchemaValidator } = require('./lib/validation/schema-validator');"
    + " console.log(JSON.stringify(CrdSchemaValidator.instance().validate({ apiVersion: 'kuadrant.io/v1', kind: 'AuthPolicy', metadata: { name: 'p', namespace: 'n' },"
    + " spec: { targetRef: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'r' }, unknownField: true } })));";
  const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { cwd: REPO_DIR, encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(JSON.parse(result.stdout).some((p: string) => p.includes('unknown field "unknownField"'))).toBe(true);
});
