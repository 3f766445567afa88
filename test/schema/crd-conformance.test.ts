import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { describeManifest } from '../../lib/core/manifest';
import { allApps, describeWithShared, hasSharedFiles, REPO_DIR, SHARED_DIR, synth } from '../helpers';

// Checks the apps' output against the pinned CRDs as they are in shared/crds,
// independently of the compact schemas committed in imports/schemas, and checks
// that those are current.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { toJsonSchema, schemasOfCrd } = require(path.join(REPO_DIR, 'scripts', 'crd-schema.js'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { GROUPS } = require(path.join(REPO_DIR, 'scripts', 'crd-sources.js'));

const CRD_DIR = path.join(SHARED_DIR, 'crds');
// without ../shared/crds the tests that read the CRDs are skipped (test/global-setup.js says so)
const HAVE_CRDS = hasSharedFiles('crds/');
const testWithCrds = HAVE_CRDS ? test : test.skip;

/** The CRDs of each pinned group, parsed once (the KServe file alone is 2.7 MB). */
const crdsByGroup = new Map<string, any[]>(!HAVE_CRDS ? [] : GROUPS.map((group: any) => [group.group, group.files.flatMap((file: string) =>
  parseAllDocuments(fs.readFileSync(path.join(CRD_DIR, group.folder, file), 'utf8'))
    .map((doc) => doc.toJS())
    .filter((crd) => crd?.kind === 'CustomResourceDefinition'))]));

interface CrdVersion { key: string; schema: any }
function pinnedCrdVersions(): CrdVersion[] {
  const out: CrdVersion[] = [];
  for (const crd of [...crdsByGroup.values()].flat()) {
    for (const version of crd.spec.versions.filter((v: any) => v.served)) {
      const schema = toJsonSchema(version.schema.openAPIV3Schema);
      // some CRDs (Istio's) leave the object's own apiVersion, kind and metadata out
      schema.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...schema.properties };
      out.push({ key: `${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, schema });
    }
  }
  return out;
}

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const validators = new Map<string, ValidateFunction>();
function validatorFor(apiVersion: string, kind: string): ValidateFunction | undefined {
  const key = `${apiVersion}/${kind}`;
  if (!validators.has(key)) {
    const version = crdVersions.find((v) => v.key === key);
    if (version) validators.set(key, ajv.compile(version.schema));
  }
  return validators.get(key);
}
const crdVersions = pinnedCrdVersions();
const CORE_KINDS = new Set(['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'Deployment', 'Service', 'ConfigMap', 'NetworkPolicy', 'Secret']);
// custom resources whose CRD is not pinned; their constructs validate their inputs instead
const UNPINNED = new Set(['argoproj.io/v1alpha1/Application']);

describeWithShared('crds/').each(allApps())('app %s', (_name, createApp) => {
  const manifests = synth(createApp());

  test('every custom resource is valid against its pinned CRD', () => {
    const problems: string[] = [];
    let checked = 0;
    for (const manifest of manifests) {
      if (CORE_KINDS.has(manifest.kind) || UNPINNED.has(`${manifest.apiVersion}/${manifest.kind}`)) continue;
      const validate = validatorFor(manifest.apiVersion, manifest.kind);
      if (!validate) {
        problems.push(`${describeManifest(manifest)}: no pinned CRD for ${manifest.apiVersion}`);
        continue;
      }
      checked++;
      if (!validate(manifest)) problems.push(`${describeManifest(manifest)}: ${ajv.errorsText(validate.errors)}`);
    }
    expect(problems).toEqual([]);
    if (manifests.some((m) => !UNPINNED.has(`${m.apiVersion}/${m.kind}`))) expect(checked).toBeGreaterThan(0);
  });
});

describe('the schema conversion', () => {
  testWithCrds('rejects unknown fields, wrong enums and missing required fields', () => {
    const validate = validatorFor('ainetworking.prototype.x-k8s.io/v0alpha0', 'XBackendDestination')!;
    const good = {
      apiVersion: 'ainetworking.prototype.x-k8s.io/v0alpha0',
      kind: 'XBackendDestination',
      metadata: { name: 'x' },
      spec: { destination: { type: 'Fqdn', fqdn: { hostname: 'a.b' }, ports: [{ number: 443, protocol: 'HTTP' }] } },
    };
    expect(validate(good)).toBe(true);
    expect(validate({ ...good, spec: { ...good.spec, extra: 1 } })).toBe(false);
    expect(validate({ ...good, spec: { destination: { ...good.spec.destination, ports: [{ number: 443, protocol: 'HTTPS' }] } } })).toBe(false);
    expect(validate({ ...good, spec: { destination: { ...good.spec.destination, ports: [] } } })).toBe(false);
    expect(validate({ ...good, spec: {} })).toBe(false);
  });

  test('accepts both forms of x-kubernetes-int-or-string', () => {
    const schema = toJsonSchema({ type: 'object', properties: { port: { 'x-kubernetes-int-or-string': true } } });
    const validate = ajv.compile(schema);
    expect(validate({ port: 80 })).toBe(true);
    expect(validate({ port: 'http' })).toBe(true);
    expect(validate({ port: true })).toBe(false);
  });

  test('accepts null where the CRD says nullable', () => {
    const schema = toJsonSchema({ type: 'object', properties: { a: { type: 'string', nullable: true }, b: { type: 'string' } } });
    const validate = ajv.compile(schema);
    expect(validate({ a: null })).toBe(true);
    expect(validate({ b: null })).toBe(false);
  });

  test('keeps objects open where the CRD preserves unknown fields', () => {
    const schema = toJsonSchema({
      type: 'object',
      properties: { raw: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { a: { type: 'string' } } } },
    });
    expect(ajv.compile(schema)({ raw: { a: 'x', anything: 1 } })).toBe(true);
  });

  testWithCrds('imports/schemas is what `npm run import` makes of the pinned CRDs', () => {
    for (const group of GROUPS) {
      const expected: Record<string, unknown> = {};
      for (const crd of crdsByGroup.get(group.group)!) Object.assign(expected, schemasOfCrd(crd));
      const committed = JSON.parse(fs.readFileSync(path.join(REPO_DIR, 'imports', 'schemas', `${group.group}.json`), 'utf8'));
      expect(committed).toEqual(expected);
    }
  });
});
