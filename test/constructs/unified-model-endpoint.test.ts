import { BackendTls, EgressDataPlane, MaasEgressGateway, Manifests, ProviderCredential, ProviderEndpoint, UnifiedModelEndpoint } from '../../lib';
import { find, newChart, ofKind, synth } from '../helpers';

const vault = (path: string) => ProviderCredential.fromVault({ address: 'https://vault.example.com', path, tokenSecret: { name: 'vault-token' } });

function setup() {
  const { app, chart } = newChart();
  const egress = new MaasEgressGateway(chart, 'egress', { dataPlane: EgressDataPlane.wgAiGateway() });
  const tls = BackendTls.verified({ caBundleSecret: egress.declareExistingSecret('public-ca') });
  return { app, chart, egress, tls };
}

describe('UnifiedModelEndpoint', () => {
  test('secret-backed keys: every key is fetched into an internal header, set only when fetched; nothing is a demo', () => {
    const { app, egress, tls } = setup();
    egress.addProvider('openai', { endpoint: ProviderEndpoint.openAi({ tls }), credential: vault('maas/openai'), models: ['gpt-4o'] });
    egress.addUnifiedEndpoint();
    // a provider added after the endpoint is routed too
    egress.addProvider('azure', { endpoint: ProviderEndpoint.azureOpenAi({ resource: 'contoso', tls }), credential: vault('maas/azure'), models: ['gpt-4.1'] });
    const out = synth(app);
    const auth = find(out, 'AuthPolicy', 'unified-models-auth');
    expect(auth.metadata.annotations).toEqual({ [Manifests.SYNC_WAVE_ANNOTATION]: '3' }); // no demo-credential annotation
    expect(Object.keys(auth.spec.rules.metadata).sort()).toEqual(['key_azure', 'key_openai', 'matchedTier']);
    // no key deny rule: a missing key leaves its header out and the Lua answers 503 for that provider only;
    // the one authorization rule admits the known tiers
    expect(Object.keys(auth.spec.rules.authorization)).toEqual(['known-tier']);
    expect(auth.spec.rules.response.success.headers).toEqual({
      'x-maas-egress-key-openai': {
        plain: { expression: "'Bearer ' + auth.metadata.key_openai.data.data.api_key" },
        when: [{ predicate: 'has(auth.metadata.key_openai.data.data.api_key) && auth.metadata.key_openai.data.data.api_key != ""' }],
      },
      'x-maas-egress-key-azure': {
        plain: { expression: 'auth.metadata.key_azure.data.data.api_key' },
        when: [{ predicate: 'has(auth.metadata.key_azure.data.data.api_key) && auth.metadata.key_azure.data.data.api_key != ""' }],
      },
    });
    // the bridges keep denying without their key
    expect(Object.keys(find(out, 'AuthPolicy', 'openai-bridge-auth').spec.rules.authorization).sort()).toEqual(['key_openai-present', 'known-tier']);
    const lua: string = find(out, 'EnvoyFilter', 'unified-models-model-router', 'openshift-ingress').spec.configPatches[0].patch.value.typed_config.inline_code;
    expect(lua).toContain('["gpt-4.1"] = { provider = "azure", key_from = "x-maas-egress-key-azure", key_to = "api-key" }');
    // Azure's base path replaces /v1/ on its header-matched egress route
    expect(find(out, 'HTTPRoute', 'azure-unified').spec.rules[0].filters[0].urlRewrite).toEqual({
      hostname: 'contoso.openai.azure.com', path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/openai/v1/' },
    });
    expect(find(out, 'HTTPRoute', 'openai-unified').spec.rules[0].filters[0].urlRewrite).toEqual({ hostname: 'api.openai.com' });
  });

  test('per-model and per-tier request limits and token budgets', () => {
    const { app, egress, tls } = setup();
    egress.addProvider('openai', { endpoint: ProviderEndpoint.openAi({ tls }), credential: vault('o'), models: ['gpt-4o', 'gpt-4o-mini'] });
    egress.addUnifiedEndpoint({
      name: 'chat',
      tierBudgets: [{ tier: 'free', tokens: 1000 }, { tier: 'premium', tokens: 9000, window: '1h' }],
      requestLimits: [{ requests: 10 }, { models: ['gpt-4o'], tier: 'free', requests: 2, window: '10s' }],
      modelTokenLimits: [{ models: ['gpt-4o'], tier: 'free', tokens: 500 }],
    });
    const out = synth(app);
    const rlp = find(out, 'RateLimitPolicy', 'chat-requests');
    expect(rlp.spec.targetRef).toEqual({ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'chat' });
    expect(Object.keys(rlp.spec.limits).sort()).toEqual(['free-gpt-4o-requests', 'gpt-4o-mini-requests', 'gpt-4o-requests']);
    expect(rlp.spec.limits['free-gpt-4o-requests']).toEqual({
      rates: [{ limit: 2, window: '10s' }],
      when: [{ predicate: 'auth.identity.tier == "free" && requestBodyJSON(\'/model\') == "gpt-4o"' }],
      counters: [{ expression: 'auth.identity.userid' }],
    });
    const trlp = find(out, 'TokenRateLimitPolicy', 'chat-tokens');
    expect(trlp.spec.limits['premium-user-tokens']).toEqual({
      rates: [{ limit: 9000, window: '1h' }],
      when: [{ predicate: 'auth.identity.tier == "premium" && !request.path.endsWith("/v1/models")' }],
      counters: [{ expression: 'auth.identity.userid' }],
    });
    // the tier the endpoint's budgets leave out keeps the platform's default; any other tier gets 0
    expect(trlp.spec.limits['enterprise-user-tokens'].rates).toEqual([{ limit: 100000, window: '1m' }]);
    expect(trlp.spec.limits['unknown-tier-tokens'].rates).toEqual([{ limit: 0, window: '1m' }]);
    expect(trlp.spec.limits['free-gpt-4o-tokens'].when).toEqual([{ predicate: 'auth.identity.tier == "free" && requestBodyJSON(\'/model\') == "gpt-4o"' }]);
    expect(Object.keys(trlp.spec.limits)).toHaveLength(5);
  });

  test('without request limits there is no RateLimitPolicy; tier budgets default to each provider\'s (the MaaS tiers) on its models', () => {
    const { app, egress } = setup();
    egress.addProvider('v', { unsafeAllowKeyOverPlainHttp: true, endpoint: ProviderEndpoint.vllm({ hostname: 'v.example.com' }), credential: ProviderCredential.demoLiteral('k'), models: ['q'] });
    egress.addUnifiedEndpoint();
    const out = synth(app);
    expect(ofKind(out, 'RateLimitPolicy')).toEqual([]);
    expect(Object.keys(find(out, 'TokenRateLimitPolicy', 'unified-models-tokens').spec.limits).sort())
      .toEqual(['enterprise-user-tokens-v', 'free-user-tokens-v', 'premium-user-tokens-v', 'unknown-tier-tokens-v']);
    expect(find(out, 'AuthPolicy', 'unified-models-auth').metadata.annotations).toEqual({ 'maas-egress/demo-credentials': 'true', [Manifests.SYNC_WAVE_ANNOTATION]: '3' });
  });

  test('model ids that slug alike get distinct limit names', () => {
    const { app, egress } = setup();
    egress.addProvider('v', { unsafeAllowKeyOverPlainHttp: true, endpoint: ProviderEndpoint.vllm({ hostname: 'v.example.com' }), credential: ProviderCredential.demoLiteral('k'), models: ['Qwen/Qwen3', 'qwen-qwen3'] });
    egress.addUnifiedEndpoint({ requestLimits: [{ requests: 5 }] });
    expect(Object.keys(find(synth(app), 'RateLimitPolicy', 'unified-models-requests').spec.limits).sort())
      .toEqual(['qwen-qwen3-2-requests', 'qwen-qwen3-requests']);
  });

  const provider = (egress: MaasEgressGateway, name = 'p', models = ['m']) =>
    egress.addProvider(name, { unsafeAllowKeyOverPlainHttp: true, endpoint: ProviderEndpoint.vllm({ hostname: 'v.example.com' }), credential: ProviderCredential.demoLiteral('k'), models });

  test.each([
    ['a path with a trailing slash', { paths: ['/v1/chat/'] }, /^\[test\/egress\/UnifiedEndpoint\] invalid path "\/v1\/chat\/": give an exact path/],
    ['a path with a query', { paths: ['/v1/chat?x=1'] }, /invalid path "\/v1\/chat\?x=1"/],
    ['twice the same path', { paths: ['/v1/a', '/v1/a'] }, /invalid path "\/v1\/a"/],
    ['a zero request limit', { requestLimits: [{ requests: 0 }] }, /invalid request limit amount 0/],
    ['a bad window', { requestLimits: [{ requests: 1, window: 'a minute' }] }, /invalid request limit window "a minute"/],
    ['twice the same tier budget', { tierBudgets: [{ tier: 'free', tokens: 1 }, { tier: 'free', tokens: 2 }] }, /invalid tier "free"/],
    ['an invalid tier', { modelTokenLimits: [{ tier: 'Gold Tier', tokens: 1 }] }, /invalid model token limit tier "Gold Tier"/],
  ])('rejects %s', (_what, options, message) => {
    const { egress } = setup();
    provider(egress);
    expect(() => egress.addUnifiedEndpoint(options as any)).toThrow(message);
  });

  test('a limit on a model no provider serves, or two limits on one model and tier, fail synth', () => {
    const unknown = setup();
    provider(unknown.egress);
    unknown.egress.addUnifiedEndpoint({ requestLimits: [{ models: ['gpt-5'], requests: 1 }] });
    expect(() => synth(unknown.app)).toThrow(/\[test\/egress\/UnifiedEndpoint\] request limit names model "gpt-5", which no provider of test\/egress serves \(models: m\)/);
    const twice = setup();
    provider(twice.egress);
    twice.egress.addUnifiedEndpoint({ modelTokenLimits: [{ tokens: 1 }, { models: ['m'], tokens: 2 }] });
    expect(() => synth(twice.app)).toThrow(/two model token limits apply to the same model and tier \(m-tokens\)/);
  });

  test('an endpoint without providers fails synth', () => {
    const { app, egress } = setup();
    egress.addUnifiedEndpoint();
    expect(() => synth(app)).toThrow(/no models are routable: add providers to test\/egress/);
  });

  test('one endpoint per gateway, and no provider named v1', () => {
    const { egress } = setup();
    egress.addUnifiedEndpoint();
    expect(() => egress.addUnifiedEndpoint({ name: 'other' }, 'Second'))
      .toThrow(/^\[test\/egress\/Second\] invalid unified endpoint "other": test\/egress\/UnifiedEndpoint already routes/);
    expect(() => provider(egress, 'v1')).toThrow(/^\[test\/egress\/v1\] invalid provider name "v1": with a unified endpoint/);
  });

  test('paths must be OpenAI API paths under /v1/, which the egress routes rewrite to each provider\'s base path', () => {
    const { egress } = setup();
    expect(() => egress.addUnifiedEndpoint({ paths: ['/chat/completions'] }))
      .toThrow(/^\[test\/egress\/UnifiedEndpoint\] invalid path "\/chat\/completions": give a path of the OpenAI API under "\/v1\/"/);
    expect(() => egress.addUnifiedEndpoint({ paths: ['/v1/embeddings'] }, 'Embeddings')).not.toThrow();
  });

  test('a second unified endpoint on the same MaaS gateway (through another egress gateway) is refused', () => {
    const { chart, egress } = setup();
    const other = new MaasEgressGateway(chart, 'other', { namespace: 'team-b', dataPlane: EgressDataPlane.istioGateway() });
    egress.addUnifiedEndpoint();
    expect(() => other.addUnifiedEndpoint({ paths: ['/v1/embeddings'] }))
      .toThrow(/^\[test\/other\/UnifiedEndpoint\] invalid unified endpoint "unified-models": test\/egress\/UnifiedEndpoint already routes by model on MaaS gateway openshift-ingress\/maas-default-gateway, and two model routers on one gateway strip each other's key headers/);
  });

  test('an endpoint of another gateway is refused', () => {
    const { chart, egress } = setup();
    const other = new MaasEgressGateway(chart, 'other', { namespace: 'other', dataPlane: EgressDataPlane.wgAiGateway() });
    const foreign = new UnifiedModelEndpoint(chart, 'u', { gateway: other });
    expect(() => egress._registerUnifiedEndpoint(foreign))
      .toThrow(/invalid gateway "test\/other": register an endpoint with its own gateway/);
  });
});
