import { Construct } from 'constructs';
import {
  BackendTls, BudgetTarget, KeyHeader, MaasEgressGateway, MaasPlatform, ProviderCredential, ProviderEndpoint, SecretStoreRef,
  SubscriptionPlatformProps, TierTokenBudget,
} from '../../lib';
import { MaasProviderType } from '../../lib/providers/maas-provider-type';
import { checkIppEndpoint, emitIppExternalProvider } from '../../lib/platform/subscription/ipp-external-provider';
import { emitIppExternalModel } from '../../lib/platform/subscription/ipp-external-model';
import { modelResourceName } from '../../lib/platform/subscription/model-resource-name';
import { resolveSubscriptionSettings } from '../../lib/platform/subscription/subscription-settings';
import { toMaasWindow } from '../../lib/platform/subscription/token-window';
import { find, newChart, ofKind, synth } from '../helpers';

const tls = BackendTls.verified();
const vault = ProviderCredential.fromVault({ address: 'https://vault.vault.svc:8200', path: 'maas/providers/openai', tokenSecret: { name: 't' } });

describe('toMaasWindow', () => {
  const { chart } = newChart();
  test.each([['1m', '1m'], ['60s', '1m'], ['90s', '90s'], ['1h30m', '90m'], ['24h', '24h'], ['2h60m', '3h'], ['9999h', '9999h']])('%s -> %s', (from, to) => {
    expect(toMaasWindow(chart, 'window', from)).toBe(to);
  });
  test.each([
    ['1500ms', 'drop the milliseconds'],
    ['10000h', 'at most 9999'],
    ['0s', 'longer than zero'],
    ['1d', 'Kuadrant duration'],
  ])('rejects %s', (bad, message) => {
    expect(() => toMaasWindow(chart, 'window', bad)).toThrow(message);
  });
});

describe('modelResourceName', () => {
  test('keeps DNS labels and hashes every other id into a distinct label', () => {
    expect(modelResourceName('gpt-4o')).toBe('gpt-4o');
    const qwen = modelResourceName('Qwen/Qwen3-0.6B');
    expect(qwen).toMatch(/^qwen-qwen3-0-6b-[0-9a-f]{8}$/);
    expect(modelResourceName('qwen/qwen3-0.6b')).not.toBe(qwen);
    expect(modelResourceName('x'.repeat(80) + '.A').length).toBeLessThanOrEqual(63);
  });
});

describe('ExternalProvider emitter', () => {
  const settings = (props = {}) => resolveSubscriptionSettings(newChart().chart, props);

  test('OpenAI preset: openai type, TLS on 443, key Secret, no header override', () => {
    const { app, chart } = newChart();
    emitIppExternalProvider(chart, { name: 'openai', namespace: 'llm', endpoint: ProviderEndpoint.openAi({ tls }), secretName: 'openai-api-key' });
    const provider = find(synth(app), 'ExternalProvider', 'openai', 'llm');
    expect(provider.metadata.annotations).toMatchObject({ 'inference.opendatahub.io/tls': 'true', 'inference.opendatahub.io/port': '443' });
    expect(provider.spec).toEqual({ provider: 'openai', endpoint: 'api.openai.com', auth: { type: 'apikey', secretRef: { name: 'openai-api-key' } } });
  });

  test('Azure keeps its implied api-key header; a simulator header becomes authHeaderName', () => {
    const { app, chart } = newChart();
    emitIppExternalProvider(new Construct(chart, 'a'), { name: 'azure', namespace: 'llm', endpoint: ProviderEndpoint.azureOpenAi({ tls, resource: 'r' }), secretName: 'k' });
    const sim = ProviderEndpoint.custom({ hostname: 'sim.ns.svc.cluster.local', port: 8000, keyHeader: KeyHeader.plain('X-Provider-Api-Key') });
    emitIppExternalProvider(new Construct(chart, 'b'), { name: 'sim', namespace: 'llm', endpoint: sim, secretName: 'k' });
    const manifests = synth(app);
    expect(find(manifests, 'ExternalProvider', 'azure').spec.provider).toBe('azure-openai');
    expect(find(manifests, 'ExternalProvider', 'azure').spec.config).toBeUndefined();
    const simulator = find(manifests, 'ExternalProvider', 'sim');
    expect(simulator.spec.config).toEqual({ authHeaderName: 'X-Provider-Api-Key', authValuePrefix: '' });
    expect(simulator.metadata.annotations).toMatchObject({ 'inference.opendatahub.io/tls': 'false', 'inference.opendatahub.io/port': '8000' });
  });

  test('rejects what the payload processor cannot express', () => {
    const { chart } = newChart();
    const plain = ProviderEndpoint.vllm({ hostname: 'vllm.example.com' });
    expect(() => checkIppEndpoint(chart, plain, settings())).toThrow(/refuses a provider without TLS.*allowPlaintextProviders/);
    expect(() => checkIppEndpoint(chart, plain, settings({ allowPlaintextProviders: true }))).not.toThrow();
    const mutual = ProviderEndpoint.openAi({ tls: BackendTls.mutual({ caBundleSecret: 'ca', clientCertificateSecret: 'cert' }) });
    expect(() => checkIppEndpoint(chart, mutual, settings())).toThrow('without a client certificate');
    expect(() => checkIppEndpoint(chart, ProviderEndpoint.openAi({ tls: BackendTls.insecureSkipVerify() }), settings())).toThrow('always verifies');
    const native = ProviderEndpoint.custom({ hostname: 'api.anthropic.com', tls, keyHeader: KeyHeader.plain('x-api-key'), maasProviderType: MaasProviderType.ANTHROPIC });
    expect(() => checkIppEndpoint(chart, native, settings())).toThrow(/native Messages API needs the payload processor's response translation/);
    expect(() => checkIppEndpoint(chart, native, settings({ responseTranslation: true }))).not.toThrow();
  });
});

describe('ExternalModel emitter', () => {
  test('one model over two providers: one ExternalModel with weighted refs and its MaaSModelRef', () => {
    const { app, chart } = newChart();
    emitIppExternalModel(chart, {
      modelId: 'Qwen/Qwen3-0.6B',
      namespace: 'llm',
      routes: [
        { providerName: 'vllm', endpoint: ProviderEndpoint.vllm({ hostname: 'v.example.com', tls }), targetModel: 'Qwen/Qwen3-0.6B', weight: 3 },
        { providerName: 'groq', endpoint: ProviderEndpoint.groq({ tls }), targetModel: 'qwen3', weight: 1 },
      ],
    });
    const manifests = synth(app);
    const [model] = ofKind(manifests, 'ExternalModel');
    expect(model.apiVersion).toBe('inference.opendatahub.io/v1alpha1');
    expect(model.spec.modelName).toBe('Qwen/Qwen3-0.6B');
    expect(model.spec.externalProviderRefs).toEqual([
      { ref: { name: 'vllm' }, targetModel: 'Qwen/Qwen3-0.6B', apiFormat: 'openai-chat', path: '/v1/chat/completions', weight: 3 },
      { ref: { name: 'groq' }, targetModel: 'qwen3', apiFormat: 'openai-chat', path: '/openai/v1/chat/completions', weight: 1 },
    ]);
    const ref = find(manifests, 'MaaSModelRef', model.metadata.name, 'llm');
    expect(ref.spec).toEqual({ modelRef: { kind: 'ExternalModel', name: model.metadata.name } });
  });

  test('rejects bad routes', () => {
    const endpoint = ProviderEndpoint.openAi({ tls });
    const route = (providerName: string, weight: number) => ({ providerName, endpoint, targetModel: 'm', weight });
    const emit = (routes: any[]) => emitIppExternalModel(newChart().chart, { modelId: 'm', namespace: 'llm', routes });
    expect(() => emit([])).toThrow('give 1 to 64 providers');
    expect(() => emit(Array.from({ length: 65 }, (_, i) => route(`p${i}`, 1)))).toThrow('give 1 to 64 providers');
    expect(() => emit([route('a', 101)])).toThrow('from 0 (no traffic) to 100');
    expect(() => emit([route('a', 1.5)])).toThrow('from 0 (no traffic) to 100');
    expect(() => emit([route('a', 0)])).toThrow('at least one provider a weight above 0');
    expect(() => emit([route('a', 1), route('a', 2)])).toThrow('list each provider once');
  });
});

describe('subscription realization (through the constructs)', () => {
  const realize = (props: SubscriptionPlatformProps = {}) => {
    const { app, chart } = newChart();
    const egress = new MaasEgressGateway(chart, 'egress', { namespace: 'llm', platform: MaasPlatform.subscriptionBased(props) });
    const provider = (name: string, models: string[]) => egress.addProvider(name, {
      endpoint: ProviderEndpoint.openAi({ tls }), credential: ProviderCredential.demoLiteral(`sk-${name}`), models,
    });
    return { app, chart, egress, provider };
  };

  test('per tier one subscription (groups, priority, limits) and one auth policy over the same models', () => {
    const { app, chart, provider } = realize();
    const openai = provider('openai', ['gpt-4o']);
    const vllm = provider('vllm', ['Qwen/Qwen3-0.6B']);
    new TierTokenBudget(chart, 'openai-budget', { target: BudgetTarget.providers(openai), limits: [{ tier: 'free', tokens: 100, window: '60s' }] });
    new TierTokenBudget(chart, 'vllm-budget', { target: BudgetTarget.providers(vllm), limits: [{ tier: 'free', tokens: 500, window: '1h' }] });
    const manifests = synth(app);
    const qwen = modelResourceName('Qwen/Qwen3-0.6B');
    const free = find(manifests, 'MaaSSubscription', 'maas-egress-free', 'models-as-a-service');
    expect(free.spec).toEqual({
      owner: { groups: [{ name: 'system:authenticated' }] },
      priority: 0,
      modelRefs: [
        { name: 'gpt-4o', namespace: 'llm', tokenRateLimits: [{ limit: 100, window: '1m' }] },
        { name: qwen, namespace: 'llm', tokenRateLimits: [{ limit: 500, window: '1h' }] },
      ],
    });
    // tiers without a budget fall back to their per-minute default
    expect(find(manifests, 'MaaSSubscription', 'maas-egress-premium').spec.modelRefs[0].tokenRateLimits).toEqual([{ limit: 50000, window: '1m' }]);
    expect(find(manifests, 'MaaSSubscription', 'maas-egress-enterprise').spec.priority).toBe(20);
    expect(find(manifests, 'MaaSAuthPolicy', 'maas-egress-free-access').spec).toEqual({
      modelRefs: [{ name: 'gpt-4o', namespace: 'llm' }, { name: qwen, namespace: 'llm' }],
      subjects: { groups: [{ name: 'system:authenticated' }] },
    });
  });

  test('a shared model takes the budgets of the providers it is routed to', () => {
    const { app, chart, egress, provider } = realize({ tiers: [{ tier: 'free', groups: ['system:authenticated'] }] });
    const a = provider('a', ['m-a']);
    const b = provider('b', ['m-b']);
    egress.addModel('shared', { routes: [{ provider: a, weight: 3 }, { provider: b, targetModel: 'other' }] });
    new TierTokenBudget(chart, 'budget', { target: BudgetTarget.providers(a), limits: [{ tier: 'free', tokens: 10 }] });
    const manifests = synth(app);
    expect(find(manifests, 'ExternalModel', 'shared').spec.externalProviderRefs.map((r: any) => [r.ref.name, r.targetModel, r.weight]))
      .toEqual([['a', 'shared', 3], ['b', 'other', 1]]);
    expect(find(manifests, 'MaaSSubscription', 'maas-egress-free').spec.modelRefs.map((r: any) => r.name)).toEqual(['m-a', 'shared']);
  });

  test('a tier without groups on this platform is an error; a tier without limits or default gets nothing', () => {
    const { app, chart, provider } = realize({ tiers: [{ tier: 'free', groups: ['system:authenticated'] }] });
    const openai = provider('openai', ['gpt-4o']);
    expect(() => new TierTokenBudget(chart, 'budget', { target: BudgetTarget.providers(openai), limits: [{ tier: 'gold', tokens: 1 }] }))
      .toThrow(/\[test\/budget\] invalid tier "gold": the platform maps no groups to it/);
    expect(ofKind(synth(app), 'MaaSSubscription')).toEqual([]);
  });

  test('a model id served twice, or routed to a provider of another gateway, is rejected', () => {
    const { chart, egress, provider } = realize();
    provider('openai', ['gpt-4o']);
    expect(() => provider('azure', ['gpt-4o'])).toThrow(/already serves it on this gateway; serve a model from several providers with one addModel/);
    const other = new MaasEgressGateway(newChart().chart, 'other', { platform: MaasPlatform.subscriptionBased() });
    const stranger = other.addProvider('x', { endpoint: ProviderEndpoint.openAi({ tls }), credential: ProviderCredential.demoLiteral('k'), models: ['x'] });
    expect(() => egress.addModel('m', { routes: [{ provider: stranger }] })).toThrow('route a model only to providers added to this gateway');
    expect(chart).toBeDefined();
  });

  test('settings reject a non-default tenant, duplicate priorities and empty groups', () => {
    const make = (props: SubscriptionPlatformProps) => new MaasEgressGateway(newChart().chart, 'egress', { platform: MaasPlatform.subscriptionBased(props) });
    expect(() => make({ tenant: 'team-a' })).toThrow('default tenant "models-as-a-service" only');
    expect(() => make({ tiers: [{ tier: 'a', groups: ['g'] }, { tier: 'b', groups: ['h'] }] })).toThrow('own priority');
    expect(() => make({ tiers: [{ tier: 'a', groups: [] }] })).toThrow('at least one entry');
  });
});

describe('key Secrets for the payload processor', () => {
  test('a demo literal becomes a labelled, annotated Secret with key api-key', () => {
    const { app, chart } = newChart();
    ProviderCredential.demoLiteral('sk-demo')._emitIppKeySecret(chart, { name: 'sim-api-key', namespace: 'llm' });
    const secret = find(synth(app), 'Secret', 'sim-api-key', 'llm');
    expect(secret.metadata.labels).toEqual({ 'inference.llm-d.ai/ipp-managed': 'true' });
    expect(secret.metadata.annotations).toMatchObject({ 'maas-egress/demo-credentials': 'true' });
    expect(secret.stringData).toEqual({ 'api-key': 'sk-demo' });
  });

  test('a Vault key becomes an ExternalSecret whose template labels the Secret', () => {
    const { app, chart } = newChart();
    vault._emitIppKeySecret(chart, { name: 'openai-api-key', namespace: 'llm', keyStore: SecretStoreRef.cluster('vault-provider-keys') });
    const manifests = synth(app);
    expect(ofKind(manifests, 'Secret')).toEqual([]);
    const es = find(manifests, 'ExternalSecret', 'openai-api-key', 'llm');
    expect(es.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'vault-provider-keys' });
    expect(es.spec.target.template.metadata.labels).toEqual({ 'inference.llm-d.ai/ipp-managed': 'true' });
    expect(es.spec.data).toEqual([{ secretKey: 'api-key', remoteRef: { key: 'maas/providers/openai', property: 'api_key' } }]);
  });

  test('a Vault key without a key store, and an HTTP key service, are rejected', () => {
    const { chart } = newChart();
    expect(() => vault._emitIppKeySecret(chart, { name: 'k', namespace: 'llm' })).toThrow('give the platform a keyStore');
    const service = ProviderCredential.fromHttpKeyService({ url: 'https://keys.example.svc/v1/keys' });
    expect(() => service._emitIppKeySecret(chart, { name: 'k', namespace: 'llm' })).toThrow('fromHttpKeyService has no equivalent on current MaaS');
  });
});
