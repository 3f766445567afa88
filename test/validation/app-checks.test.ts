import * as fs from 'fs';
import { ApiObject, App, Chart } from 'cdk8s';
import { parse } from 'yaml';
import { EgressDataPlane, ExistingObject, GatewayReference, MaasEgressGateway, ProviderCredential, ProviderEndpoint } from '../../lib';
import { parseRegistry, renderRegistry } from '../../lib/internal/registry-yaml';
import { synthesizeManifests } from '../../lib/output/manifests';
import { Manifest } from '../../lib/core/manifest';
import { addAppCheck, ManifestCheck } from '../../lib/validation/app-checks';
import { scratchOutdir } from '../helpers';

/** An app with a gateway, a provider and a check that counts its runs. */
function countedApp(charts = 1) {
  const app = new App({ outdir: scratchOutdir() });
  const chart = new Chart(app, 'c0');
  for (let i = 1; i < charts; i++) new ApiObject(new Chart(app, `c${i}`), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: 'x' } });
  new MaasEgressGateway(chart, 'egress', { dataPlane: EgressDataPlane.wgAiGateway() }).addProvider('p', { unsafeAllowKeyOverPlainHttp: true,
    endpoint: ProviderEndpoint.vllm({ hostname: 'v.example.com' }), credential: ProviderCredential.demoLiteral('k'), models: ['m'],
  });
  const runs: Manifest[][] = [];
  const counting: ManifestCheck<null> = { inputs: () => null, run: (manifests) => { runs.push([...manifests]); return []; } };
  addAppCheck(chart, counting);
  return { app, chart, runs };
}

describe('app checks', () => {
  test('cdk8s synth of an app of three charts runs the checks once, not once per chart and once more', () => {
    const { app, runs } = countedApp(3);
    app.synth();
    expect(fs.readdirSync(app.outdir).filter((f) => f.endsWith('.k8s.yaml'))).toHaveLength(3);
    expect(runs).toHaveLength(1);
  });

  test('the checks run again when an object changed since their last run', () => {
    const { app, chart, runs } = countedApp();
    app.synth();
    new ApiObject(chart, 'late', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late', namespace: 'x' } });
    app.synth();
    expect(runs).toHaveLength(2);
    expect(runs[1].map((m) => m.metadata.name)).toContain('late');
  });

  test('a problem fixed by declaring an existing object is not reported from the last run', () => {
    const { app, chart } = countedApp();
    new ApiObject(chart, 'orphan', {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'orphan', namespace: 'maas-egress' },
      spec: { parentRefs: [{ name: 'team-gateway', namespace: 'team' }], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/o/' } }], backendRefs: [{ group: 'ainetworking.prototype.x-k8s.io', kind: 'Backend', name: 'p-backend', port: 8000 }] }] },
    });
    expect(() => app.synth()).toThrow(/parentRef Gateway team\/team-gateway does not exist/);
    ExistingObject.declareGateway(chart, GatewayReference.of({ name: 'team-gateway', namespace: 'team' }));
    expect(() => app.synth()).not.toThrow();
  });

  test('synthesizeManifests returns the objects the checks saw, rendered once', () => {
    const { app, runs } = countedApp();
    const manifests = synthesizeManifests(app);
    expect(runs).toHaveLength(1);
    expect(manifests).toEqual(runs[0]);
    // handed out once: a second synthesis renders and checks again
    synthesizeManifests(app);
    expect(runs).toHaveLength(2);
  });
});

describe('the registry text', () => {
  const tricky = [
    { id: 'gpt-4', provider: 'openai', backend: 'openai-backend' },
    { id: '1.0', provider: 'true', backend: 'null' },
    { id: 'a: b # c', provider: '- x', backend: "it's \"quoted\"" },
    { id: 'Qwen/Qwen3-0.6B', provider: 'vllm', backend: 'vllm-backend' },
  ];

  test('a rendered text reads back as exactly what a YAML parser reads', () => {
    const text = renderRegistry(tricky);
    expect(parseRegistry(text)).toEqual(parse(text));
    expect(parseRegistry(text)).toEqual(tricky);
  });

  test('text written elsewhere is parsed, and bad YAML throws', () => {
    expect(parseRegistry('- id: x\n  provider: y\n  backend: z\n')).toEqual([{ id: 'x', provider: 'y', backend: 'z' }]);
    expect(() => parseRegistry('- id: [x\n')).toThrow();
  });
});
