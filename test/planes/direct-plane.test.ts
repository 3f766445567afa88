import { BackendTls, EgressDataPlane, MaasEgressGateway, ProviderCredential, ProviderEndpoint, ProviderSimulator } from '../../lib';
import { find, newChart, ofKind, synth } from '../helpers';

const NS = 'maas-egress';

function directApp() {
  const { app, chart } = newChart();
  const egress = new MaasEgressGateway(chart, 'egress', { dataPlane: EgressDataPlane.direct() });
  return { app, chart, egress };
}

describe('direct data plane', () => {
  test('is the default: no second gateway, no controller, no NetworkPolicy', () => {
    const { app, egress } = directApp();
    expect(new MaasEgressGateway(newChart().chart, 'g').dataPlane.kind).toBe('direct');
    egress.addProvider('openai', { endpoint: ProviderEndpoint.openAi(), credential: ProviderCredential.demoLiteral('k'), models: ['gpt-4o'] });
    const out = synth(app);
    for (const kind of ['Gateway', 'GatewayClass', 'Deployment', 'NetworkPolicy', 'XBackendDestination']) expect(ofKind(out, kind)).toEqual([]);
  });

  test('the provider route sits on the MaaS gateway and sends to the provider host, rewritten to its API', () => {
    const { app, egress } = directApp();
    egress.addProvider('groq', { endpoint: ProviderEndpoint.groq(), credential: ProviderCredential.demoLiteral('k'), models: ['llama'] });
    const out = synth(app);
    const route = find(out, 'HTTPRoute', 'groq-bridge', NS).spec;
    expect(route.parentRefs).toEqual([{ name: 'maas-default-gateway', namespace: 'openshift-ingress' }]);
    expect(route.rules).toEqual([{
      matches: [{ path: { type: 'PathPrefix', value: '/external/groq/v1/' } }],
      filters: [
        { type: 'URLRewrite', urlRewrite: { hostname: 'api.groq.com', path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/openai/v1/' } } },
        // compressed responses would never be counted by Kuadrant
        { type: 'RequestHeaderModifier', requestHeaderModifier: { remove: ['Accept-Encoding'] } },
      ],
      timeouts: { request: '300s' },
      backendRefs: [{ group: 'networking.istio.io', kind: 'Hostname', name: 'api.groq.com', port: 443 }],
    }]);
    // Istio resolves a Hostname backend through a ServiceEntry in the route's namespace,
    // and the MaaS gateway's proxy must see it and the DestinationRule
    expect(find(out, 'ServiceEntry', 'groq-backend', NS).spec.exportTo).toEqual(['.', 'openshift-ingress']);
    expect(find(out, 'DestinationRule', 'groq-backend', NS).spec).toEqual({
      host: 'api.groq.com', exportTo: ['.', 'openshift-ingress'], trafficPolicy: { tls: { mode: 'SIMPLE' } },
    });
    expect(find(out, 'AuthPolicy', 'groq-bridge-auth', NS).spec.targetRef.name).toBe('groq-bridge');
  });

  test('the ServiceEntry follows a bridge namespace; a CA Secret is declared in the MaaS gateway namespace', () => {
    const { app, egress } = directApp();
    const tls = BackendTls.verified({ caBundleSecret: egress.declareExistingSecret('lab-ca') });
    egress.addProvider('lab', { unsafeAllowKeyOverPlainHttp: true,
      endpoint: ProviderEndpoint.vllm({ hostname: 'lab.example.com', tls }),
      credential: ProviderCredential.demoLiteral('k'),
      models: ['m'],
      bridgeNamespace: 'team-a',
    });
    const out = synth(app);
    expect(find(out, 'ServiceEntry', 'lab-backend', 'team-a').spec.ports).toEqual([{ number: 8000, name: 'https', protocol: 'HTTPS' }]);
    expect(find(out, 'DestinationRule', 'lab-backend', 'team-a').spec.trafficPolicy.tls).toEqual({ mode: 'SIMPLE', credentialName: 'lab-ca' });
    expect(find(out, 'HTTPRoute', 'lab-bridge', 'team-a')).toBeDefined();
  });

  test('plain HTTP providers get an HTTP ServiceEntry and no DestinationRule; simulators are in-cluster Services', () => {
    const { app, chart, egress } = directApp();
    egress.addProvider('vllm', { unsafeAllowKeyOverPlainHttp: true, endpoint: ProviderEndpoint.vllm({ hostname: 'vllm.example.com' }), credential: ProviderCredential.demoLiteral('k'), models: ['q'] });
    const sim = new ProviderSimulator(chart, 'openai-simulator', { model: 'gpt-4', apiKey: ProviderCredential.demoLiteral('s') });
    egress.addProvider('openai', { unsafeAllowKeyOverPlainHttp: true, endpoint: sim.endpoint(), credential: sim.apiKey, models: [sim.model] });
    const out = synth(app);
    expect(find(out, 'ServiceEntry', 'vllm-backend', NS).spec.ports).toEqual([{ number: 8000, name: 'http', protocol: 'HTTP' }]);
    expect(ofKind(out, 'DestinationRule')).toEqual([]);
    expect(find(out, 'HTTPRoute', 'openai-bridge', NS).spec.rules[0].backendRefs)
      .toEqual([{ name: 'openai-simulator', namespace: 'external-models', port: 8000 }]);
  });

  test('a unified endpoint is refused with the planes that can serve one', () => {
    const { egress } = directApp();
    egress.addProvider('openai', { endpoint: ProviderEndpoint.openAi(), credential: ProviderCredential.demoLiteral('k'), models: ['gpt-4o'] });
    expect(() => egress.addUnifiedEndpoint()).toThrow(
      /^\[test\/egress\/UnifiedEndpoint\] invalid data plane for a unified endpoint "direct": .*client-sent provider header selects them .*use EgressDataPlane.istioGateway\(\) or EgressDataPlane.wgAiGateway\(\)/);
  });
});
