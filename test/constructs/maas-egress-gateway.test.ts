import { EgressDataPlane, GatewayReference, MaasEgressGateway, MaasPlatform, ProviderCredential, ProviderEndpoint } from '../../lib';
import { find, newChart, ofKind, synth } from '../helpers';

describe('MaasEgressGateway', () => {
  test('bridges to the Envoy Service named as the wg-ai-gateway controller names it', () => {
    const bridgeBackend = (props: { name: string; namespace: string }) => {
      const { app, chart } = newChart();
      const egress = new MaasEgressGateway(chart, 'egress', { ...props, dataPlane: EgressDataPlane.wgAiGateway() });
      egress.addProvider('p', { unsafeAllowKeyOverPlainHttp: true,
        endpoint: ProviderEndpoint.custom({ hostname: 'llm.example.com' }),
        credential: ProviderCredential.demoLiteral('k'),
        models: ['m'],
      });
      return find(synth(app), 'HTTPRoute', 'p-bridge').spec.rules[0].backendRefs[0];
    };
    expect(bridgeBackend({ name: 'poc-gateway', namespace: 'default' })).toEqual({ name: 'envoy-poc-gateway', port: 8080 });
    expect(bridgeBackend({ name: 'gw', namespace: 'egress' })).toEqual({ name: 'envoy-egress-gw', port: 8080 });
  });

  test('creates the Gateway, its namespace, the registry and the Envoy NetworkPolicy', () => {
    const { app, chart } = newChart();
    new MaasEgressGateway(chart, 'egress', {
      dataPlane: EgressDataPlane.wgAiGateway({ port: 9090 }),
      platform: MaasPlatform.tierBased({ gateway: GatewayReference.of({ name: 'maas', namespace: 'gw-ns', podLabels: { role: 'maas' } }) }),
    });
    const out = synth(app);
    expect(find(out, 'Namespace', 'maas-egress')).toBeDefined();
    const gw = find(out, 'Gateway', 'egress-gateway', 'maas-egress');
    expect(gw.spec).toEqual({
      gatewayClassName: 'wg-ai-gateway',
      listeners: [{ name: 'http', protocol: 'HTTP', port: 9090, allowedRoutes: { namespaces: { from: 'Same' } } }],
    });
    expect(find(out, 'ConfigMap', 'external-model-registry', 'opendatahub').data.models).toBe('[]\n');
    const policy = find(out, 'NetworkPolicy', 'egress-gateway-envoy-ingress', 'maas-egress');
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { app: 'envoy-maas-egress-egress-gateway' } },
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gw-ns' } }, podSelector: { matchLabels: { role: 'maas' } } }],
        ports: [{ protocol: 'TCP', port: 9090 }],
      }],
    });
    expect(ofKind(out, 'Deployment')).toEqual([]);
  });

  test('namespace default is never created; the NetworkPolicy can be opted out of', () => {
    const { app, chart } = newChart();
    new MaasEgressGateway(chart, 'egress', { namespace: 'default', dataPlane: EgressDataPlane.wgAiGateway({ restrictIngress: false }) });
    const out = synth(app);
    expect(ofKind(out, 'Namespace')).toEqual([]);
    expect(ofKind(out, 'NetworkPolicy')).toEqual([]);
  });

  test('installs the controller on request', () => {
    const { app, chart } = newChart();
    new MaasEgressGateway(chart, 'egress', {
      dataPlane: EgressDataPlane.wgAiGateway({ controller: { image: 'example.com/ctl:v1', envoyImage: 'example.com/envoy@sha256:abc' } }),
    });
    const out = synth(app);
    const deployment = find(out, 'Deployment', 'ai-gateway-controller', 'ai-gateway-system');
    const pod = deployment.spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.serviceAccountName).toBe('ai-gateway-controller');
    expect(pod.containers[0].image).toBe('example.com/ctl:v1');
    expect(pod.containers[0].args).toEqual(['--envoy-image=example.com/envoy@sha256:abc']);
    expect(find(out, 'GatewayClass', 'wg-ai-gateway').spec.controllerName).toBe('sigs.k8s.io/wg-ai-gateway-envoy-controller');
    expect(find(out, 'Service', 'ai-gateway-controller', 'ai-gateway-system').spec.ports).toEqual([{ name: 'xds', port: 15001, targetPort: 15001, protocol: 'TCP' }]);
  });

  test('the controller writes only in egress gateway namespaces: the ClusterRole watches, a Role per namespace grants the writes', () => {
    const { app, chart } = newChart();
    new MaasEgressGateway(chart, 'egress', { dataPlane: EgressDataPlane.wgAiGateway({ controller: {} }) });
    new MaasEgressGateway(chart, 'egress2', { name: 'second', dataPlane: EgressDataPlane.wgAiGateway() });
    new MaasEgressGateway(chart, 'egress3', { namespace: 'team-b', dataPlane: EgressDataPlane.wgAiGateway() });
    const out = synth(app);
    const grants = (rules: any[]) => rules.flatMap((r: any) => r.resources.flatMap((res: string) => r.verbs.map((v: string) => `${res}:${v}`)));
    const cluster = grants(find(out, 'ClusterRole', 'ai-gateway-controller').rules);
    expect(cluster.filter((g: string) => !/:(list|watch)$/.test(g))).toEqual(['gatewayclasses/status:update']);
    expect(cluster).toEqual(expect.arrayContaining(['deployments:watch', 'services:list', 'gateways:watch', 'xbackenddestinations:watch']));
    // one Role per namespace, whichever gateway installs the controller
    expect(ofKind(out, 'Role').map((r) => r.metadata.namespace).sort()).toEqual(['maas-egress', 'team-b']);
    const role = grants(find(out, 'Role', 'ai-gateway-controller', 'team-b').rules);
    expect(role).toEqual(expect.arrayContaining(['deployments:create', 'deployments:patch', 'deployments:delete', 'services:get',
      'configmaps:patch', 'serviceaccounts:create', 'gateways/status:update', 'httproutes/status:update']));
    for (const forbidden of ['httproutes:update', 'httproutes:patch', 'xbackenddestinations:create', 'secrets:get', 'services:update']) {
      expect([...cluster, ...role]).not.toContain(forbidden);
    }
    const binding = find(out, 'RoleBinding', 'ai-gateway-controller', 'team-b');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'ai-gateway-controller' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'ai-gateway-controller', namespace: 'ai-gateway-system' }]);
  });

  test('two egress gateways of one app register their models in the one registry the MaaS API reads', () => {
    const { app, chart } = newChart();
    const a = new MaasEgressGateway(chart, 'a', { namespace: 'team-a' });
    const b = new MaasEgressGateway(chart, 'b', { namespace: 'team-b', dataPlane: EgressDataPlane.istioGateway() });
    const demo = ProviderCredential.demoLiteral('k');
    a.addProvider('openai', { endpoint: ProviderEndpoint.openAi(), credential: demo, models: ['gpt-4o'] });
    b.addProvider('gemini', { endpoint: ProviderEndpoint.gemini(), credential: demo, models: ['gemini-2.5-flash'] });
    expect(a.registry).toBe(b.registry);
    const out = synth(app);
    expect(ofKind(out, 'ConfigMap')).toHaveLength(1);
    expect(find(out, 'ConfigMap', 'external-model-registry', 'opendatahub').data.models)
      .toBe('- id: gpt-4o\n  provider: openai\n  backend: openai-backend\n- id: gemini-2.5-flash\n  provider: gemini\n  backend: gemini-backend\n');
    // one listing: a model id belongs to one provider across gateways
    expect(() => b.addProvider('other', { endpoint: ProviderEndpoint.mistral(), credential: demo, models: ['gpt-4o'] }))
      .toThrow(/^\[test\/b\/other\] invalid model id "gpt-4o": provider "openai" already serves it in the MaaS model listing \(opendatahub\/external-model-registry\)/);
  });
});
