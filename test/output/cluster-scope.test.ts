import { ApiObject, App, Chart } from 'cdk8s';
import { BudgetTarget, EgressDataPlane, MaasEgressGateway, ProviderCredential, ProviderEndpoint, ProviderSimulator, SimulatedOnPremModel, TierTokenBudget } from '../../lib';
import { isClusterScoped } from '../../lib/output/cluster-scope';
import { scratchOutdir, synth } from '../helpers';

// `new Chart(app, id, { namespace })` stamps its namespace on every object
// that does not set one; cluster-scoped objects must come out without it.
function namespacedApp(): App {
  const app = new App({ outdir: scratchOutdir() });
  const chart = new Chart(app, 'team', { namespace: 'team-a' });
  const egress = new MaasEgressGateway(chart, 'egress', { dataPlane: EgressDataPlane.wgAiGateway({ controller: {} }) });
  const sim = new ProviderSimulator(chart, 'sim', { model: 'gpt-4', apiKey: ProviderCredential.demoLiteral('sk-demo') });
  egress.addProvider('openai', { unsafeAllowKeyOverPlainHttp: true, endpoint: sim.endpoint(), credential: sim.apiKey, models: [sim.model] });
  egress.addProvider('lab', { unsafeAllowKeyOverPlainHttp: true, endpoint: ProviderEndpoint.vllm({ hostname: 'vllm.example.com' }), credential: ProviderCredential.demoLiteral('k'), models: ['q'] });
  new TierTokenBudget(chart, 'tokens', { target: BudgetTarget.allProviders(egress) });
  new SimulatedOnPremModel(chart, 'model');
  // a hand-written cluster-scoped object in the same chart
  new ApiObject(chart, 'reader', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' }, rules: [] });
  return app;
}

describe('cluster-scoped objects in a namespaced Chart', () => {
  const manifests = synth(namespacedApp());
  const clusterScoped = manifests.filter((m) => isClusterScoped(m.apiVersion, m.kind));

  test('come out without a namespace, through synthesizeManifests and cdk8s synth', () => {
    expect(clusterScoped.map((m) => `${m.kind}/${m.metadata.name}`).sort()).toEqual(expect.arrayContaining([
      'ClusterRole/ai-gateway-controller', 'ClusterRole/reader', 'ClusterRoleBinding/ai-gateway-controller', 'GatewayClass/wg-ai-gateway',
      'Namespace/ai-gateway-system', 'Namespace/maas-egress',
    ]));
    expect(clusterScoped.filter((m) => m.metadata.namespace !== undefined).map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([]);
    const app = namespacedApp();
    app.synth();
    const written = app.charts[0].toJson().filter((m: any) => isClusterScoped(m.apiVersion, m.kind));
    expect(written.length).toBe(clusterScoped.length);
    expect(written.filter((m: any) => m.metadata.namespace !== undefined)).toEqual([]);
  });

  test('namespaced objects keep their namespace', () => {
    const namespaced = manifests.filter((m) => !isClusterScoped(m.apiVersion, m.kind));
    expect(namespaced.filter((m) => m.metadata.namespace === undefined).map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([]);
  });

  test('the kinds the library emits are classified', () => {
    expect(isClusterScoped('v1', 'Namespace')).toBe(true);
    expect(isClusterScoped('gateway.networking.k8s.io/v1', 'GatewayClass')).toBe(true);
    expect(isClusterScoped('gateway.networking.k8s.io/v1', 'Gateway')).toBe(false);
    expect(isClusterScoped('rbac.authorization.k8s.io/v1', 'Role')).toBe(false);
    expect(isClusterScoped('v1', 'ConfigMap')).toBe(false);
    // same kind name in another group is not assumed cluster-scoped
    expect(isClusterScoped('example.com/v1', 'ClusterRole')).toBe(false);
  });
});
