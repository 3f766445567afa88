import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { BackendTls, EgressDataPlane, MaasEgressGateway, ProviderCredential, ProviderEndpoint } from '../../lib';
import { writeManifestFolder } from '../../lib/output/manifest-folder';
import { describeManifest, Manifest } from '../../lib/core/manifest';
import { SYNC_WAVE_ANNOTATION, syncWave } from '../../lib/core/sync-wave';
import { allApps, find, readYamlDir, scratchOutdir, synth } from '../helpers';

const POLICY_KINDS = new Set(['AuthPolicy', 'RateLimitPolicy', 'TokenRateLimitPolicy']);

/**
 * Dependencies among `manifests` whose waves are not strictly increasing, and
 * the kinds of dependency that were found at all (so a test can tell that it
 * looked at something).
 */
function waveOrder(manifests: readonly Manifest[]): { problems: string[]; relations: Set<string> } {
  const wave = (m: Manifest) => Number((m.metadata as any).annotations?.[SYNC_WAVE_ANNOTATION]);
  const byRef = new Map(manifests.map((m) => [`${m.kind}|${m.metadata.namespace ?? ''}|${m.metadata.name}`, m]));
  const get = (kind: string, namespace: string | undefined, name: string) => byRef.get(`${kind}|${namespace ?? ''}|${name}`);
  const problems: string[] = [];
  const relations = new Set<string>();
  const after = (m: Manifest, dependency: Manifest | undefined, relation: string) => {
    if (!dependency) return;
    relations.add(relation);
    if (!(wave(m) > wave(dependency))) {
      problems.push(`${describeManifest(m)} (wave ${wave(m)}) is not after its ${relation} ${describeManifest(dependency)} (wave ${wave(dependency)})`);
    }
  };
  for (const m of manifests as any[]) {
    if (!Number.isInteger(wave(m))) problems.push(`${describeManifest(m)}: no integer sync wave`);
    const ns: string | undefined = m.metadata.namespace;
    const spec = m.spec ?? {};
    if (ns) after(m, get('Namespace', undefined, ns), 'Namespace');
    if (m.kind === 'Gateway') after(m, get('GatewayClass', undefined, spec.gatewayClassName), 'GatewayClass');
    if (m.kind === 'Deployment') after(m, get('ServiceAccount', ns, spec.template?.spec?.serviceAccountName), 'ServiceAccount');
    if (m.kind === 'HTTPRoute') {
      for (const parent of spec.parentRefs ?? []) after(m, get(parent.kind ?? 'Gateway', parent.namespace ?? ns, parent.name), 'parent Gateway');
      for (const ref of (spec.rules ?? []).flatMap((r: any) => r.backendRefs ?? [])) {
        const kind = ref.kind === 'Backend' ? 'XBackendDestination' : ref.kind ?? 'Service';
        after(m, get(kind, ref.namespace ?? ns, ref.name), 'backend');
        if (ref.namespace && ref.namespace !== ns) {
          for (const grant of manifests.filter((g) => g.kind === 'ReferenceGrant' && g.metadata.namespace === ref.namespace)) after(m, grant, 'ReferenceGrant');
        }
      }
    }
    // current MaaS: every object after the ones it names
    if (m.kind === 'ExternalModel') {
      for (const ref of spec.externalProviderRefs ?? []) after(m, get('ExternalProvider', ns, ref.ref?.name), 'ExternalProvider');
    }
    if (m.kind === 'ExternalProvider') {
      const secret = spec.auth?.secretRef?.name;
      after(m, get('Secret', ns, secret), 'key Secret');
      for (const es of manifests.filter((e: any) => e.kind === 'ExternalSecret' && e.metadata.namespace === ns && (e.spec?.target?.name ?? e.metadata.name) === secret)) {
        after(m, es, 'key ExternalSecret');
      }
    }
    if (m.kind === 'MaaSModelRef') after(m, get(spec.modelRef?.kind, ns, spec.modelRef?.name), 'model');
    if (m.kind === 'MaaSSubscription' || m.kind === 'MaaSAuthPolicy') {
      for (const ref of spec.modelRefs ?? []) after(m, get('MaaSModelRef', ref.namespace, ref.name), 'MaaSModelRef');
    }
    // a route must not serve before its policies: the policy comes no later than its route
    const target = POLICY_KINDS.has(m.kind) && spec.targetRef ? get(spec.targetRef.kind, ns, spec.targetRef.name) : undefined;
    if (target && target.kind === 'HTTPRoute') {
      relations.add('protected route');
      if (wave(m) > wave(target)) {
        problems.push(`${describeManifest(m)} (wave ${wave(m)}) comes after the route it protects ${describeManifest(target)} (wave ${wave(target)})`);
      }
    } else if (target) {
      after(m, target, 'policy target');
    }
  }
  return { problems, relations };
}

function gatewayApp(): { app: App; chart: Chart } {
  const app = new App({ outdir: scratchOutdir() });
  const chart = new Chart(app, 'waves');
  new MaasEgressGateway(chart, 'egress', { dataPlane: EgressDataPlane.wgAiGateway({ controller: {} }) }).addProvider('p', { unsafeAllowKeyOverPlainHttp: true,
    endpoint: ProviderEndpoint.vllm({ hostname: 'v.example.com' }),
    credential: ProviderCredential.demoLiteral('k'),
    models: ['m'],
    bridgeNamespace: 'bridges',
  });
  return { app, chart };
}

describe.each(allApps())('app %s', (_name, createApp) => {
  const manifests = synth(createApp());

  test('every object carries the sync wave of its kind', () => {
    const wrong = manifests.filter((m: any) => m.metadata.annotations?.[SYNC_WAVE_ANNOTATION] !== String(syncWave(m.kind)));
    expect(wrong.map(describeManifest)).toEqual([]);
  });

  test('waves increase along every dependency', () => {
    expect(waveOrder(manifests).problems).toEqual([]);
  });
});

describe('sync waves', () => {
  test('a route comes after its Gateway and backends, a policy no later than the route it protects, everything after its Namespace', () => {
    const { app } = gatewayApp();
    const { problems, relations } = waveOrder(synth(app));
    expect(problems).toEqual([]);
    expect([...relations].sort()).toEqual(
      ['Namespace', 'GatewayClass', 'ServiceAccount', 'parent Gateway', 'backend', 'ReferenceGrant', 'protected route'].sort());
  });

  test('on current MaaS: keys before providers, providers before models, models before their refs, refs before access and quota', () => {
    const { createApp } = require('../../apps/current-maas/main') as typeof import('../../apps/current-maas/main');
    const manifests = synth(createApp());
    const { problems, relations } = waveOrder(manifests);
    expect(problems).toEqual([]);
    expect([...relations].sort()).toEqual(['ExternalProvider', 'MaaSModelRef', 'Namespace', 'key ExternalSecret', 'model'].sort());
    // an ExternalProvider out of its wave (applied with the models that name it) is caught
    const late = manifests.map((m: any) => m.kind === 'ExternalProvider' ? { ...m, metadata: { ...m.metadata, annotations: { [SYNC_WAVE_ANNOTATION]: '4' } } } : m);
    expect(waveOrder(late).problems).toContain('ExternalModel llm/gpt-4o (wave 4) is not after its ExternalProvider ExternalProvider llm/ext-openai (wave 4)');
  });

  test('the order check fails on a route in the wave of its Gateway and backend', () => {
    const { app } = gatewayApp();
    const manifests = synth(app).map((m: any) => m.kind === 'HTTPRoute' && m.metadata.name === 'p-route'
      ? { ...m, metadata: { ...m.metadata, annotations: { [SYNC_WAVE_ANNOTATION]: '3' } } } : m);
    expect(waveOrder(manifests).problems).toEqual([
      'HTTPRoute maas-egress/p-route (wave 3) is not after its parent Gateway Gateway maas-egress/egress-gateway (wave 3)',
      'HTTPRoute maas-egress/p-route (wave 3) is not after its backend XBackendDestination maas-egress/p-backend (wave 3)',
    ]);
  });

  test('kinds the library does not know go last; CRDs go first', () => {
    expect(syncWave('CustomResourceDefinition')).toBe(0);
    expect(syncWave('Application')).toBe(6);
    expect(syncWave('ExternalSecret')).toBeGreaterThan(syncWave('Secret'));
    expect(syncWave('ExternalSecret')).toBeLessThan(syncWave('Deployment'));
  });

  test('objects of the user get a wave too, and a wave the user set is kept, however it was set', () => {
    const { app, chart } = gatewayApp();
    new ApiObject(chart, 'plain', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain', namespace: 'maas-egress' } });
    new ApiObject(chart, 'by-props', {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'by-props', namespace: 'maas-egress', annotations: { [SYNC_WAVE_ANNOTATION]: '-1' } },
    });
    const before = new ApiObject(chart, 'before', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'before', namespace: 'maas-egress' } });
    before.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, '7');
    const gatewayWave = (manifests: Manifest[]) => (find(manifests, 'Gateway', 'egress-gateway').metadata.annotations)[SYNC_WAVE_ANNOTATION];
    const waveOf = (manifests: Manifest[], name: string) => find(manifests, 'ConfigMap', name, 'maas-egress').metadata.annotations[SYNC_WAVE_ANNOTATION];

    const first = synth(app);
    expect([waveOf(first, 'plain'), waveOf(first, 'by-props'), waveOf(first, 'before'), gatewayWave(first)]).toEqual(['1', '-1', '7', '3']);

    // set after a first synthesis: the user's value replaces the library's
    const gateway = app.node.findAll().find((c): c is ApiObject => c instanceof ApiObject && c.kind === 'Gateway')!;
    gateway.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, '9');
    expect(gatewayWave(synth(app))).toBe('9');
  });

  test('cdk8s synth writes the waves as well', () => {
    const { app } = gatewayApp();
    app.synth();
    const written = readYamlDir(app.outdir);
    expect(written.length).toBeGreaterThan(0);
    for (const m of written) expect([describeManifest(m), (m.metadata as any).annotations?.[SYNC_WAVE_ANNOTATION]]).toEqual([describeManifest(m), String(syncWave(m.kind))]);
  });

  test('files are named and listed by their wave, in numeric order', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'waves-folder-'));
    const object = (kind: string, name: string, wave?: string): Manifest => ({
      apiVersion: 'v1', kind, metadata: { name, annotations: wave === undefined ? undefined : { [SYNC_WAVE_ANNOTATION]: wave } },
    });
    const files = writeManifestFolder(dir, [object('Thing', 'a', '10'), object('Thing', 'b', '2'), object('Namespace', 'c'), object('Thing', 'd', '-2'), object('Thing', 'e', '-1'), object('Thing', 'f', 'soon')]);
    expect(files).toEqual([
      '-2-thing-cluster-d.yaml', '-1-thing-cluster-e.yaml', '0-namespace-cluster-c.yaml', '2-thing-cluster-b.yaml', '6-thing-cluster-f.yaml', '10-thing-cluster-a.yaml',
    ]);
    expect(fs.readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8')).toContain(files.map((f) => `  - ${f}`).join('\n'));
  });
});

describe('one file in apply order (cdk8s synth without the folder layout)', () => {
  const waveOfDoc = (doc: any) => Number(doc.metadata.annotations[SYNC_WAVE_ANNOTATION]);

  test.each(allApps())('%s: cdk8s writes every object after the waves before it, Namespaces first', (_name, createApp) => {
    const { parseAllDocuments } = require('yaml') as typeof import('yaml');
    const docs = parseAllDocuments(createApp().synthYaml()).map((d) => d.toJS()).filter(Boolean);
    const waves = docs.map(waveOfDoc);
    expect(waves).toEqual([...waves].sort((a, b) => a - b));
    const firstNamespaced = docs.findIndex((d: any) => d.metadata.namespace !== undefined);
    const lastNamespace = docs.map((d: any) => d.kind).lastIndexOf('Namespace');
    expect(lastNamespace).toBeLessThan(firstNamespaced);
  });

  test('the order costs one dependency per object, whatever the size of the waves (cdk8s walks a shared dependency once per dependant)', () => {
    const app = new App({ outdir: scratchOutdir() });
    const chart = new Chart(app, 'many');
    const egress = new MaasEgressGateway(chart, 'egress', { dataPlane: EgressDataPlane.direct() });
    for (let i = 0; i < 30; i++) {
      egress.addProvider(`p${i}`, {
        endpoint: ProviderEndpoint.vllm({ hostname: `vllm-${i}.example.com`, port: 443, tls: BackendTls.verified() }),
        credential: ProviderCredential.fromVault({ address: 'https://vault:8200', path: `p${i}`, tokenSecret: { name: 't' } }), models: [`m${i}`],
      });
    }
    const { parseAllDocuments } = require('yaml') as typeof import('yaml');
    const waves = parseAllDocuments(app.synthYaml()).map((d) => d.toJS()).filter(Boolean).map(waveOfDoc);
    const objects = chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
    const edges = objects.reduce((sum, o) => sum + o.node.dependencies.length, 0);
    // an edge from each object to every object of the wave before made 3721 of them here
    expect(objects.length).toBeGreaterThan(90);
    expect(edges).toBeLessThan(objects.length);
    expect(waves).toEqual([...waves].sort((a, b) => a - b));
    expect(new Set(waves).size).toBeGreaterThan(2);
  });

  test('objects of two charts are ordered within each chart, so the charts do not come to depend on each other both ways', () => {
    const app = new App({ outdir: scratchOutdir() });
    const a = new Chart(app, 'a');
    const b = new Chart(app, 'b');
    // without the per-chart rule, a's Service (wave 3) would depend on b's Secret (1) and b's Secret on a's Namespace (0): a cycle
    new ApiObject(a, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'x' }, spec: { ports: [{ port: 80 }] } });
    new ApiObject(a, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } });
    new ApiObject(b, 'secret', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'k', namespace: 'x' } });
    new MaasEgressGateway(a, 'egress', { dataPlane: EgressDataPlane.direct() }).addProvider('p', {
      endpoint: ProviderEndpoint.openAi(), credential: ProviderCredential.fromVault({ address: 'https://vault:8200', path: 'p', tokenSecret: { name: 't' } }), models: ['m'],
    });
    const { parseAllDocuments } = require('yaml') as typeof import('yaml');
    const kinds = parseAllDocuments(app.synthYaml()).map((d) => d.toJS()).filter(Boolean).map((d: any) => `${d.kind}/${d.metadata.name}`);
    expect(kinds.indexOf('Namespace/x')).toBeLessThan(kinds.indexOf('Service/s'));
    expect(kinds).toContain('Secret/k');
  });
});
