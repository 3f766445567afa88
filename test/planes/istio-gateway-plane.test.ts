import {
  BackendTls,
  BudgetTarget,
  EgressDataPlane,
  ExternalProvider,
  GatewayReference,
  MaasEgressGateway,
  MaasPlatform,
  ProviderCredential,
  ProviderEndpoint,
  ProviderSimulator,
  TierTokenBudget,
} from '../../lib';
import { find, newChart, ofKind, synth } from '../helpers';
import { Header, headerValues, runModelRouter } from '../lua/router-harness';

const NS = 'maas-egress';

function istioApp(props: Parameters<typeof EgressDataPlane.istioGateway>[0] = {}) {
  const { app, chart } = newChart();
  const egress = new MaasEgressGateway(chart, 'egress', { dataPlane: EgressDataPlane.istioGateway(props) });
  return { app, chart, egress };
}

describe('Istio egress gateway plane', () => {
  test('a ClusterIP Gateway of class openshift-default, fenced so that only the MaaS gateway pods reach it', () => {
    const { app } = istioApp();
    const out = synth(app);
    const gateway = find(out, 'Gateway', 'egress-gateway', NS);
    expect(gateway.metadata.annotations['networking.istio.io/service-type']).toBe('ClusterIP');
    expect(gateway.spec).toEqual({
      gatewayClassName: 'openshift-default',
      listeners: [{ name: 'http', protocol: 'HTTP', port: 8080, allowedRoutes: { namespaces: { from: 'Same' } } }],
    });
    const policy = find(out, 'NetworkPolicy', 'egress-gateway-envoy-ingress', NS).spec;
    expect(policy.podSelector).toEqual({ matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'egress-gateway' } });
    expect(policy.ingress[0].from[0].namespaceSelector).toEqual({ matchLabels: { 'kubernetes.io/metadata.name': 'openshift-ingress' } });
    expect(policy.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 8080 }]);
    expect(ofKind(out, 'GatewayClass')).toEqual([]);
    expect(ofKind(out, 'Deployment')).toEqual([]);
  });

  test('class, port and Service type are configurable', () => {
    const { app, egress } = istioApp({ gatewayClassName: 'istio', port: 9000, clusterIpService: false });
    egress.addProvider('openai', { endpoint: ProviderEndpoint.openAi(), credential: ProviderCredential.demoLiteral('k'), models: ['gpt-4o'] });
    const out = synth(app);
    const gateway = find(out, 'Gateway', 'egress-gateway', NS);
    expect(gateway.metadata.annotations['networking.istio.io/service-type']).toBeUndefined();
    expect(gateway.spec.gatewayClassName).toBe('istio');
    // Istio names the Service of an automatically deployed gateway <gateway>-<class>
    expect(find(out, 'HTTPRoute', 'openai-bridge', NS).spec.rules[0].backendRefs).toEqual([{ name: 'egress-gateway-istio', port: 9000 }]);
  });

  test('a hosted provider: ServiceEntry, TLS checked by chain and name, Hostname backend, Host and path rewritten, timeout honoured', () => {
    const { app, egress } = istioApp();
    egress.addProvider('gemini', {
      endpoint: ProviderEndpoint.gemini(),
      credential: ProviderCredential.demoLiteral('k'),
      models: ['gemini-2.5-flash'],
      requestTimeout: ExternalProvider.NO_TIMEOUT,
    });
    const out = synth(app);
    expect(find(out, 'ServiceEntry', 'gemini-backend', NS).spec).toEqual({
      hosts: ['generativelanguage.googleapis.com'],
      location: 'MESH_EXTERNAL',
      resolution: 'DNS',
      ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }],
      exportTo: ['.'],
    });
    // neither sni nor subjectAltNames: Istio's automatic SNI and SAN check against the rewritten Host
    expect(find(out, 'DestinationRule', 'gemini-backend', NS).spec.trafficPolicy).toEqual({ tls: { mode: 'SIMPLE' } });
    const [rule] = find(out, 'HTTPRoute', 'gemini-route', NS).spec.rules;
    expect(rule).toEqual({
      matches: [{ path: { type: 'PathPrefix', value: '/gemini/v1/' } }],
      filters: [
        { type: 'URLRewrite', urlRewrite: { hostname: 'generativelanguage.googleapis.com', path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/v1beta/openai/' } } },
        // compressed responses would never be counted by Kuadrant
        { type: 'RequestHeaderModifier', requestHeaderModifier: { remove: ['Accept-Encoding'] } },
      ],
      timeouts: { request: '0s' },
      backendRefs: [{ group: 'networking.istio.io', kind: 'Hostname', name: 'generativelanguage.googleapis.com', port: 443 }],
    });
    expect(find(out, 'HTTPRoute', 'gemini-bridge', NS).spec.rules[0].timeouts).toEqual({ request: '0s' });
  });

  test('TLS variants: private CA through credentialName, explicit SNI with a SAN list, loud insecure opt-in', () => {
    const { app, egress } = istioApp();
    const add = (name: string, tls: BackendTls) => egress.addProvider(name, { unsafeAllowKeyOverPlainHttp: true,
      endpoint: ProviderEndpoint.vllm({ hostname: `${name}.example.com`, tls }),
      credential: ProviderCredential.demoLiteral('k'),
      models: [name],
    });
    add('private', BackendTls.verified({ caBundleSecret: egress.declareExistingSecret('private-ca') }));
    add('sni', BackendTls.verified({ sni: 'edge.example.com' }));
    add('insecure', BackendTls.insecureSkipVerify());
    add('mtls', BackendTls.mutual({ clientCertificateSecret: egress.declareExistingSecret('client-cert') }));
    const out = synth(app);
    const tls = (p: string) => find(out, 'DestinationRule', `${p}-backend`, NS).spec.trafficPolicy.tls;
    expect(tls('private')).toEqual({ mode: 'SIMPLE', credentialName: 'private-ca' });
    // setting sni turns Istio's automatic SAN check off, so the hostname is required explicitly
    expect(tls('sni')).toEqual({ mode: 'SIMPLE', sni: 'edge.example.com', subjectAltNames: ['sni.example.com'] });
    expect(tls('insecure')).toEqual({ mode: 'SIMPLE', insecureSkipVerify: true });
    expect(find(out, 'DestinationRule', 'insecure-backend', NS).metadata.annotations['maas-egress/insecure-tls']).toBe('true');
    expect(tls('mtls')).toEqual({ mode: 'MUTUAL', credentialName: 'client-cert' });
  });

  test('a CA Secret that is not declared fails synth; mutual TLS with a separate CA Secret is refused', () => {
    const { app, egress } = istioApp();
    egress.addProvider('lab', {
      endpoint: ProviderEndpoint.vllm({ hostname: 'lab.example.com', tls: BackendTls.verified({ caBundleSecret: 'lab-ca' }) }),
      credential: ProviderCredential.demoLiteral('k'),
      models: ['m'],
    });
    expect(() => synth(app)).toThrow(/DestinationRule maas-egress\/lab-backend: tls.credentialName Secret lab-ca exists in none of maas-egress/);
    expect(() => egress.addProvider('two', {
      endpoint: ProviderEndpoint.vllm({ hostname: 'two.example.com', tls: BackendTls.mutual({ caBundleSecret: 'ca', clientCertificateSecret: 'cert' }) }),
      credential: ProviderCredential.demoLiteral('k'),
      models: ['n'],
    })).toThrow(/^\[test\/egress\/two\] invalid CA bundle Secret for mutual TLS on Istio "ca": Istio reads the client certificate and the CA from one Secret/);
  });

  test('an in-cluster Service (a simulator) is routed as a Service with a ReferenceGrant, without ServiceEntry', () => {
    const { app, chart, egress } = istioApp();
    const sim = new ProviderSimulator(chart, 'sim', { model: 'm', apiKey: ProviderCredential.demoLiteral('k') });
    egress.addProvider('sim', { unsafeAllowKeyOverPlainHttp: true, endpoint: sim.endpoint(), credential: sim.apiKey, models: [sim.model] });
    const out = synth(app);
    expect(ofKind(out, 'ServiceEntry')).toEqual([]);
    expect(find(out, 'HTTPRoute', 'sim-route', NS).spec.rules[0].backendRefs).toEqual([{ name: 'sim', namespace: 'external-models', port: 8000 }]);
    expect(find(out, 'ReferenceGrant', 'maas-egress-to-sim', 'external-models').spec).toEqual({
      from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: NS }],
      to: [{ group: '', kind: 'Service', name: 'sim' }],
    });
  });

  test('key injection and budgets are the same objects as on the wg-ai-gateway plane, on the route that serves the request', () => {
    const policies = (plane: EgressDataPlane) => {
      const { app, chart } = newChart();
      const egress = new MaasEgressGateway(chart, 'egress', { dataPlane: plane });
      egress.addProvider('lab', {
        endpoint: ProviderEndpoint.vllm({ hostname: 'lab.example.com', tls: BackendTls.verified({ caBundleSecret: egress.declareExistingSecret('ca') }) }),
        credential: ProviderCredential.fromVault({ address: 'https://vault:8200', path: 'p/lab', tokenSecret: { name: 't' } }),
        models: ['m'],
      });
      new TierTokenBudget(chart, 'budget', { target: BudgetTarget.allProviders(egress) });
      const out = synth(app);
      return [find(out, 'AuthPolicy', 'lab-bridge-auth', NS).spec, find(out, 'TokenRateLimitPolicy', 'budget-lab', NS).spec];
    };
    expect(policies(EgressDataPlane.istioGateway())).toEqual(policies(EgressDataPlane.wgAiGateway()));
    expect(policies(EgressDataPlane.direct())).toEqual(policies(EgressDataPlane.wgAiGateway()));
  });
});

describe('unified endpoint on the Istio egress gateway', () => {
  const { app, egress } = istioApp();
  egress.addProvider('openai', { endpoint: ProviderEndpoint.openAi(), credential: ProviderCredential.demoLiteral('sk-openai-demo'), models: ['gpt-4o'] });
  egress.addProvider('azure', {
    endpoint: ProviderEndpoint.azureOpenAi({ resource: 'contoso' }),
    credential: ProviderCredential.demoLiteral('azure-demo'),
    models: ['gpt-4.1'],
  });
  egress.addUnifiedEndpoint();
  const out = synth(app);
  const luaOf = (name: string): string => find(out, 'EnvoyFilter', name, 'openshift-ingress').spec.configPatches[0].patch.value.typed_config.inline_code;
  const maasRoutes = ofKind(out, 'HTTPRoute').filter((r) => r.spec.parentRefs.some((p: any) => p.name === 'maas-default-gateway'));

  test('the MaaS route goes to the egress gateway; header-matched routes to each provider live on the egress gateway', () => {
    expect(find(out, 'HTTPRoute', 'unified-models', NS).spec.rules[0].backendRefs).toEqual([{ name: 'egress-gateway-openshift-default', port: 8080 }]);
    const route = find(out, 'HTTPRoute', 'azure-unified', NS).spec;
    expect(route.parentRefs).toEqual([{ name: 'egress-gateway', namespace: NS }]);
    expect(route.rules[0].matches).toEqual([{
      path: { type: 'PathPrefix', value: '/v1/' },
      headers: [{ type: 'Exact', name: 'x-maas-egress-provider', value: 'azure' }],
    }]);
    expect(route.rules[0].backendRefs).toEqual([{ group: 'networking.istio.io', kind: 'Hostname', name: 'contoso.openai.azure.com', port: 443 }]);
    expect(route.rules[0].filters[0].urlRewrite.path.replacePrefixMatch).toBe('/openai/v1/');
  });

  test('the header guard runs first in the chain; the model router after Kuadrant\'s wasm filter (priority above 0)', () => {
    const guard = find(out, 'EnvoyFilter', 'unified-models-header-guard', 'openshift-ingress').spec;
    expect(guard.configPatches[0].patch.operation).toBe('INSERT_FIRST');
    expect(guard.configPatches[0].match.listener.filterChain.filter).toEqual({ name: 'envoy.filters.network.http_connection_manager' });
    const router = find(out, 'EnvoyFilter', 'unified-models-model-router', 'openshift-ingress').spec;
    expect(router.priority).toBeGreaterThan(0);
    expect(router.configPatches[0].patch.operation).toBe('INSERT_BEFORE');
    expect(router.configPatches[0].match.listener.filterChain.filter.subFilter).toEqual({ name: 'envoy.filters.http.router' });
  });

  test('forged headers pick no route and skip no policy', () => {
    // 1. No route on the MaaS gateway matches on a header: Envoy and Kuadrant's wasm (which
    //    matches routes itself, on path and headers) both select by path, so a client's
    //    provider or key header cannot move a request off the unified route and its policies.
    for (const route of maasRoutes) {
      for (const rule of route.spec.rules) for (const match of rule.matches ?? []) expect(match.headers).toBeUndefined();
    }
    expect(maasRoutes.map((r) => r.metadata.name).sort()).toEqual(['azure-bridge', 'openai-bridge', 'unified-models']);
    for (const name of ['unified-models-auth']) expect(find(out, 'AuthPolicy', name, NS).spec.targetRef.name).toBe('unified-models');
    expect(find(out, 'TokenRateLimitPolicy', 'unified-models-tokens', NS).spec.targetRef.name).toBe('unified-models');
    // 2. Header-matched routes exist only on the egress gateway, which admits only the MaaS gateway pods.
    const headerRoutes = ofKind(out, 'HTTPRoute').filter((r) => r.spec.rules.some((rule: any) => (rule.matches ?? []).some((m: any) => m.headers)));
    expect(headerRoutes.map((r) => r.spec.parentRefs[0].name)).toEqual(['egress-gateway', 'egress-gateway']);
    expect(find(out, 'NetworkPolicy', 'egress-gateway-envoy-ingress', NS).spec.podSelector.matchLabels['gateway.networking.k8s.io/gateway-name']).toBe('egress-gateway');
    // 3. In the filter chain: the guard removes forged internal headers before Kuadrant,
    //    Authorino sets the keys it fetched (not the one it could not), the router picks
    //    by the body and overwrites a forged provider or key header.
    const forged: Header[] = [['x-maas-egress-provider', 'openai'], ['api-key', 'client-chosen'],
      ['x-maas-egress-key-azure', 'client-chosen'], ['x-maas-egress-key-openai', 'client-chosen']];
    const client: Header[] = [[':path', '/v1/chat/completions'], [':method', 'POST'], ['authorization', 'Bearer maas-token'], ...forged];
    const body = JSON.stringify({ model: 'gpt-4.1', messages: [] });
    const guarded = runModelRouter(luaOf('unified-models-header-guard'), { forged: { headers: client, body } }).outcomes.get('forged')!;
    expect(guarded.headers.filter(([name]) => name.startsWith('x-maas-egress-'))).toEqual([]);
    const authorino: Header[] = [['x-maas-egress-key-azure', 'azure-demo']]; // OpenAI's key could not be fetched
    const routed = runModelRouter(luaOf('unified-models-model-router'), { forged: { headers: [...guarded.headers, ...authorino], body } });
    const outcome = routed.outcomes.get('forged')!;
    expect(outcome.status).toBeUndefined();
    expect(headerValues(outcome, 'x-maas-egress-provider')).toEqual(['azure']);
    expect(headerValues(outcome, 'api-key')).toEqual(['azure-demo']);
    expect(headerValues(outcome, 'authorization')).toEqual([]);
    expect(headerValues(outcome, 'x-maas-egress-key-azure')).toEqual([]);
    // a model whose key Authorino could not fetch is refused, whatever the client sent as its key
    const openai = runModelRouter(luaOf('unified-models-model-router'), {
      forged: { headers: [...guarded.headers, ...authorino], body: JSON.stringify({ model: 'gpt-4o' }) },
    }).outcomes.get('forged')!;
    expect(openai.status).toBe('503');
  });
});

test('a custom MaaS gateway is fenced by its own pod labels', () => {
  const { app, chart } = newChart();
  new MaasEgressGateway(chart, 'egress', {
    dataPlane: EgressDataPlane.istioGateway(),
    platform: MaasPlatform.tierBased({ gateway: GatewayReference.of({ name: 'maas', namespace: 'gw', podLabels: { role: 'maas' } }) }),
  });
  const from = find(synth(app), 'NetworkPolicy', 'egress-gateway-envoy-ingress', NS).spec.ingress[0].from[0];
  expect(from).toEqual({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gw' } }, podSelector: { matchLabels: { role: 'maas' } } });
});
