import { EgressDataPlane, KeyHeader, MaasEgressGateway, MaasIdentity, MaasPlatform, Manifests, ProviderCredential, ProviderEndpoint, TierSource } from '../../lib';
import { find, newChart, ofKind, synth } from '../helpers';

function gatewayWith(props: ConstructorParameters<typeof MaasEgressGateway>[2] = {}) {
  const { app, chart } = newChart();
  const gateway = new MaasEgressGateway(chart, 'egress', { dataPlane: EgressDataPlane.wgAiGateway(), ...props });
  return { app, chart, gateway };
}

describe('ExternalProvider', () => {
  test('creates backend, egress route, bridge route and AuthPolicy named after the provider', () => {
    const { app, gateway } = gatewayWith({ name: 'gw', namespace: 'ai' });
    gateway.addProvider('acme', { unsafeAllowKeyOverPlainHttp: true,
      endpoint: ProviderEndpoint.custom({ hostname: 'llm.acme.example', port: 8443, keyHeader: KeyHeader.plain('X-Key') }),
      credential: ProviderCredential.demoLiteral('k1'),
      models: ['m1', 'm2'],
    });
    const out = synth(app);
    expect(find(out, 'XBackendDestination', 'acme-backend', 'ai').spec.destination).toEqual({
      type: 'Fqdn', fqdn: { hostname: 'llm.acme.example' }, ports: [{ number: 8443, protocol: 'HTTP' }],
    });
    const egress = find(out, 'HTTPRoute', 'acme-route', 'ai');
    expect(egress.spec.parentRefs).toEqual([{ name: 'gw', namespace: 'ai' }]);
    expect(egress.spec.rules[0].backendRefs).toEqual([{ group: 'ainetworking.prototype.x-k8s.io', kind: 'Backend', name: 'acme-backend', port: 8443 }]);
    const bridge = find(out, 'HTTPRoute', 'acme-bridge', 'ai');
    expect(bridge.spec.rules[0].matches[0].path).toEqual({ type: 'PathPrefix', value: '/external/acme/' });
    expect(bridge.spec.rules[0].filters[0].urlRewrite.path.replacePrefixMatch).toBe('/acme/');
    expect(bridge.spec.rules[0].backendRefs).toEqual([{ name: 'envoy-ai-gw', port: 8080 }]);
    const auth = find(out, 'AuthPolicy', 'acme-bridge-auth', 'ai');
    expect(auth.spec.targetRef).toEqual({ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'acme-bridge' });
    expect(auth.spec.rules.response.success.headers).toEqual({ 'x-key': { plain: { expression: "'k1'" } } });
    expect(auth.metadata.annotations).toEqual({ 'maas-egress/demo-credentials': 'true', [Manifests.SYNC_WAVE_ANNOTATION]: '3' });
  });

  test('a provider whose API is not at /v1/ gets /<name>/v1/ rewritten to its base path', () => {
    const { app, gateway } = gatewayWith();
    gateway.addProvider('gem', { unsafeAllowKeyOverPlainHttp: true,
      endpoint: ProviderEndpoint.custom({ hostname: 'g.example', apiBasePath: '/v1beta/openai/' }),
      credential: ProviderCredential.demoLiteral('k'),
      models: ['g1'],
    });
    const rule = find(synth(app), 'HTTPRoute', 'gem-route').spec.rules[0];
    expect(rule.matches[0].path.value).toBe('/gem/v1/');
    expect(rule.filters[0].urlRewrite.path.replacePrefixMatch).toBe('/v1beta/openai/');
  });

  test('Bearer keys are folded into one literal; quotes in keys are escaped for CEL', () => {
    const { app, gateway } = gatewayWith();
    gateway.addProvider('v', { unsafeAllowKeyOverPlainHttp: true,
      endpoint: ProviderEndpoint.vllm({ hostname: 'vllm.example' }),
      credential: ProviderCredential.demoLiteral("it's"),
      models: ['q'],
    });
    const headers = find(synth(app), 'AuthPolicy', 'v-bridge-auth').spec.rules.response.success.headers;
    expect(headers).toEqual({ authorization: { plain: { expression: "'Bearer it\\'s'" } } });
  });

  test('the AuthPolicy re-creates the identity from the platform contract', () => {
    const platform = MaasPlatform.tierBased({
      identity: MaasIdentity.tierBased({ audiences: ['aud-1'], tierSource: TierSource.fromLookup({ url: 'https://t.example/lookup' }) }),
    });
    const { app, gateway } = gatewayWith({ platform });
    gateway.addProvider('p', { unsafeAllowKeyOverPlainHttp: true, endpoint: ProviderEndpoint.vllm({ hostname: 'h.example' }), credential: ProviderCredential.demoLiteral('k'), models: ['m'] });
    const rules = find(synth(app), 'AuthPolicy', 'p-bridge-auth').spec.rules;
    expect(rules.authentication['service-accounts'].kubernetesTokenReview.audiences).toEqual(['aud-1']);
    expect(rules.metadata.matchedTier.http).toMatchObject({ url: 'https://t.example/lookup', method: 'POST' });
    expect(rules.response.success.filters.identity.json.properties).toEqual({
      userid: { expression: 'auth.identity.userid' },
      tier: { expression: 'auth.metadata.matchedTier["tier"]' },
    });
  });

  test('registers its models in the registry', () => {
    const { app, gateway } = gatewayWith();
    gateway.addProvider('a', { unsafeAllowKeyOverPlainHttp: true, endpoint: ProviderEndpoint.vllm({ hostname: 'a.example' }), credential: ProviderCredential.demoLiteral('k'), models: ['m1', 'm2'] });
    gateway.addProvider('b', { unsafeAllowKeyOverPlainHttp: true, endpoint: ProviderEndpoint.vllm({ hostname: 'b.example' }), credential: ProviderCredential.demoLiteral('k'), models: ['m3'] });
    expect(gateway.registry!.models).toEqual([
      { id: 'm1', provider: 'a', backend: 'a-backend' },
      { id: 'm2', provider: 'a', backend: 'a-backend' },
      { id: 'm3', provider: 'b', backend: 'b-backend' },
    ]);
    const cm = find(synth(app), 'ConfigMap', 'external-model-registry', 'opendatahub');
    expect(cm.data.models).toBe('- id: m1\n  provider: a\n  backend: a-backend\n- id: m2\n  provider: a\n  backend: a-backend\n- id: m3\n  provider: b\n  backend: b-backend\n');
  });

  test('a bridge in another namespace gets a ReferenceGrant for the Envoy Service', () => {
    const { app, gateway } = gatewayWith();
    gateway.addProvider('t', { unsafeAllowKeyOverPlainHttp: true,
      endpoint: ProviderEndpoint.vllm({ hostname: 't.example' }),
      credential: ProviderCredential.demoLiteral('k'),
      models: ['m'],
      bridgeNamespace: 'team-a',
    });
    const out = synth(app);
    const bridge = find(out, 'HTTPRoute', 't-bridge', 'team-a');
    expect(bridge.spec.rules[0].backendRefs).toEqual([{ name: 'envoy-maas-egress-egress-gateway', namespace: 'maas-egress', port: 8080 }]);
    expect(find(out, 'AuthPolicy', 't-bridge-auth', 'team-a')).toBeDefined();
    const [grant] = ofKind(out, 'ReferenceGrant');
    expect(grant.metadata.namespace).toBe('maas-egress');
    expect(grant.spec).toEqual({
      from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'team-a' }],
      to: [{ group: '', kind: 'Service', name: 'envoy-maas-egress-egress-gateway' }],
    });
  });
});

describe('ExternalProvider client token', () => {
  test.each([
    ['Authorization (replaced by the key)', KeyHeader.bearer(), ['Accept-Encoding']],
    ['another header (MaaS token removed)', KeyHeader.plain('api-key'), ['Authorization', 'Accept-Encoding']],
  ])('key in %s', (_name, keyHeader, removal) => {
    const { app, gateway } = gatewayWith();
    gateway.addProvider('p', { unsafeAllowKeyOverPlainHttp: true,
      endpoint: ProviderEndpoint.custom({ hostname: 'p.example', keyHeader }),
      credential: ProviderCredential.demoLiteral('k'),
      models: ['m'],
    });
    const filters = find(synth(app), 'HTTPRoute', 'p-bridge').spec.rules[0].filters;
    expect(filters[0].type).toBe('URLRewrite');
    // Accept-Encoding too, on every plane: Kuadrant counts the tokens of this route from the raw answer
    expect(filters[1]).toEqual({ type: 'RequestHeaderModifier', requestHeaderModifier: { remove: removal } });
    expect(filters).toHaveLength(2);
  });
});
