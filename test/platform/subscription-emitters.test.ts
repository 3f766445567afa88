import {
  BackendTls, BudgetTarget, KeyHeader, MaasEgressGateway, MaasPlatform, ProviderCredential, ProviderEndpoint, SecretStoreRef,
  SubscriptionPlatformProps, TierTokenBudget,
} from '../../lib';
import { MaasProviderType } from '../../lib/core/maas-provider-type';
import { checkIppEndpoint, emitIppExternalProvider } from '../../lib/platform/subscription/ipp-external-provider';
import { checkModelRoutes, emitIppExternalModel } from '../../lib/platform/subscription/ipp-external-model';
import { isMaasModelId, suggestMaasModelId } from '../../lib/platform/subscription/maas-model-id';
import { MAAS_RELEASES } from '../../lib/platform/subscription/maas-releases';
import * as releaseTraits from '../../lib/platform/subscription/release-traits';
import { ReleaseTraits } from '../../lib/platform/subscription/release-traits';
import { resolveSubscriptionSettings } from '../../lib/platform/subscription/subscription-settings';
import { toMaasWindow } from '../../lib/platform/subscription/token-window';
import { emitIppKeySecret, ippAuthOf } from '../../lib/platform/subscription/ipp-credential';
import type { CredentialSource } from '../../lib/credentials/credential-source';
import { find, newChart, ofKind, synth } from '../helpers';

const tls = BackendTls.verified();
const vault = ProviderCredential.fromVault({ address: 'https://vault.vault.svc:8200', path: 'maas/providers/openai', tokenSecret: { name: 't' } });

describe('toMaasWindow', () => {
  const { chart } = newChart();
  test.each([['1m', '1m'], ['60s', '1m'], ['90s', '90s'], ['1h30m', '90m'], ['24h', '24h'], ['2h60m', '3h'], ['8784h', '8784h'], ['9999m', '9999m']])('%s -> %s', (from, to) => {
    expect(toMaasWindow(chart, 'window', from)).toBe(to);
  });
  test.each([
    ['1500ms', 'drop the milliseconds'],
    ['8785h', 'exceeds 366 days'],
    ['10000h', 'exceeds 366 days'],
    ['10000m', 'at most 9999'],
    ['0s', 'longer than zero'],
    ['1d', 'Kuadrant duration'],
  ])('rejects %s', (bad, message) => {
    expect(() => toMaasWindow(chart, 'window', bad)).toThrow(message);
  });
});

describe('MaaS model ids', () => {
  test('a lower-case DNS subdomain of at most 63 characters; dots are fine', () => {
    for (const id of ['gpt-4o', 'gpt-4.1', 'gemini-2.5-flash', 'a'.repeat(63)]) expect(isMaasModelId(id)).toBe(true);
    for (const id of ['Qwen/Qwen3-0.6B', 'GPT-4o', 'a'.repeat(64), 'model:latest', '-x', 'x.', '']) expect(isMaasModelId(id)).toBe(false);
  });

  test('the suggestion for an id that cannot be one is itself valid', () => {
    expect(suggestMaasModelId('Qwen/Qwen3-0.6B')).toBe('qwen-qwen3-0.6b');
    expect(suggestMaasModelId('meta-llama/Llama-3.1-8B-Instruct:free')).toBe('meta-llama-llama-3.1-8b-instruct-free');
    for (const id of ['Qwen/Qwen3-0.6B', `${'X'.repeat(70)}.y`, '///', '..a..b..', 'a_b']) expect(isMaasModelId(suggestMaasModelId(id))).toBe(true);
  });
});

describe('ExternalProvider emitter', () => {
  const settings = (props = {}) => resolveSubscriptionSettings(newChart().chart, props);

  test('OpenAI preset: openai type, TLS on 443, key Secret, no header override', () => {
    const { app, chart } = newChart();
    emitIppExternalProvider(chart, { name: 'openai', namespace: 'llm', endpoint: ProviderEndpoint.openAi({ tls }), secretName: 'openai-api-key' });
    const provider = find(synth(app), 'ExternalProvider', 'openai', 'llm');
    // the payload processor reads no TLS or port annotation: nothing is emitted that nothing reads
    expect(Object.keys(provider.metadata.annotations ?? {}).filter((k) => k.startsWith('inference.opendatahub.io/'))).toEqual([]);
    expect(provider.spec).toEqual({ provider: 'openai', endpoint: 'api.openai.com', auth: { type: 'apikey', secretRef: { name: 'openai-api-key' } } });
  });

  // Every way a key header can differ from the one the provider type implies: each must be spelled out in config,
  // or the payload processor sends its default (name and prefix) to a provider that expects another.
  test.each([
    ['same name and prefix', MaasProviderType.OPENAI, KeyHeader.bearer(), undefined],
    ['same name, other case', MaasProviderType.OPENAI, KeyHeader.withPrefix('authorization', 'Bearer '), undefined],
    ['same name, no prefix', MaasProviderType.OPENAI, KeyHeader.plain('Authorization'), { authHeaderName: 'Authorization', authValuePrefix: '' }],
    ['same name, other prefix', MaasProviderType.OPENAI, KeyHeader.withPrefix('Authorization', 'Token '), { authHeaderName: 'Authorization', authValuePrefix: 'Token ' }],
    ['other name, same prefix', MaasProviderType.OPENAI, KeyHeader.withPrefix('X-Key', 'Bearer '), { authHeaderName: 'X-Key', authValuePrefix: 'Bearer ' }],
    ['azure default', MaasProviderType.AZURE_OPENAI, KeyHeader.plain('api-key'), undefined],
    ['azure with a prefix', MaasProviderType.AZURE_OPENAI, KeyHeader.withPrefix('api-key', 'Bearer '), { authHeaderName: 'api-key', authValuePrefix: 'Bearer ' }],
    ['anthropic default', MaasProviderType.ANTHROPIC, KeyHeader.plain('x-api-key'), undefined],
    ['anthropic as bearer', MaasProviderType.ANTHROPIC, KeyHeader.bearer(), { authHeaderName: 'Authorization', authValuePrefix: 'Bearer ' }],
  ])('key header: %s', (_, maasProviderType, keyHeader, config) => {
    const { app, chart } = newChart();
    const endpoint = ProviderEndpoint.custom({ hostname: 'p.example.com', port: 443, tls, keyHeader, maasProviderType });
    emitIppExternalProvider(chart, { name: 'p', namespace: 'llm', endpoint, secretName: 'k' });
    expect(find(synth(app), 'ExternalProvider', 'p').spec.config).toEqual(config);
  });

  test('rejects what the payload processor cannot express', () => {
    const { chart } = newChart();
    const plain = ProviderEndpoint.vllm({ hostname: 'vllm.example.com' });
    expect(() => checkIppEndpoint(chart, plain, settings())).toThrow(
      /invalid provider transport "http:\/\/vllm.example.com:8000": the payload processor of Open Data Hub MaaS 2.0 always opens TLS to port 443/);
    const tlsOn8443 = ProviderEndpoint.vllm({ hostname: 'vllm.example.com', port: 8443, tls });
    expect(() => checkIppEndpoint(chart, tlsOn8443, settings())).toThrow(/"https:\/\/vllm.example.com:8443".*serve the provider with TLS on 443/);
    expect(() => checkIppEndpoint(chart, ProviderEndpoint.vllm({ hostname: 'vllm.example.com', port: 443, tls }), settings())).not.toThrow();
    expect(() => settings({ allowPlaintextProviders: true })).toThrow(/invalid allowPlaintextProviders true: the option is gone/);
    const mutual = ProviderEndpoint.openAi({ tls: BackendTls.mutual({ caBundleSecret: 'ca', clientCertificateSecret: 'cert' }) });
    expect(() => checkIppEndpoint(chart, mutual, settings())).toThrow('without a client certificate');
    expect(() => checkIppEndpoint(chart, ProviderEndpoint.openAi({ tls: BackendTls.insecureSkipVerify() }), settings())).toThrow('always verifies');
    const native = ProviderEndpoint.custom({ hostname: 'api.anthropic.com', tls, keyHeader: KeyHeader.plain('x-api-key'), maasProviderType: MaasProviderType.ANTHROPIC });
    expect(() => checkIppEndpoint(chart, native, settings())).toThrow(/native Messages API needs the payload processor's response translation/);
    expect(() => checkIppEndpoint(chart, native, settings({ responseTranslation: true }))).not.toThrow();
  });
});

const odh = MAAS_RELEASES.find((r) => r.release === 'odh-2.0')!;
const lenient: ReleaseTraits = { ...odh, splitWeights: 'any', targetModels: 'any' };

describe('ExternalModel emitter', () => {
  const route = (providerName: string, weight: number, targetModel = 'm', endpoint = ProviderEndpoint.openAi({ tls })) =>
    ({ providerName, providerObjectName: `ext-${providerName}`, endpoint, targetModel, weight });

  test('one model over two providers: named by the client id, no modelName, provider ids in targetModel', () => {
    const { app, chart } = newChart();
    emitIppExternalModel(chart, {
      modelId: 'qwen3-0.6b',
      namespace: 'llm',
      routes: [
        route('vllm', 3, 'Qwen/Qwen3-0.6B', ProviderEndpoint.vllm({ hostname: 'v.example.com', port: 443, tls })),
        route('groq', 1, 'qwen3', ProviderEndpoint.groq({ tls })),
      ],
      displayName: 'Qwen3 0.6B',
    });
    const manifests = synth(app);
    const model = find(manifests, 'ExternalModel', 'qwen3-0.6b', 'llm');
    expect(model.apiVersion).toBe('inference.opendatahub.io/v1alpha1');
    expect(model.spec.modelName).toBeUndefined();
    expect(model.spec.externalProviderRefs).toEqual([
      { ref: { name: 'ext-vllm' }, targetModel: 'Qwen/Qwen3-0.6B', apiFormat: 'openai-chat', path: '/v1/chat/completions', weight: 3 },
      { ref: { name: 'ext-groq' }, targetModel: 'qwen3', apiFormat: 'openai-chat', path: '/openai/v1/chat/completions', weight: 1 },
    ]);
    const ref = find(manifests, 'MaaSModelRef', 'qwen3-0.6b', 'llm');
    expect(ref.spec).toEqual({ modelRef: { kind: 'ExternalModel', name: 'qwen3-0.6b' } });
    expect(ref.metadata.annotations).toMatchObject({ 'openshift.io/display-name': 'Qwen3 0.6B' });
  });

  test('rejects bad routes', () => {
    const check = (routes: any[], traits = lenient) => checkModelRoutes(newChart().chart, 'm', routes, traits);
    expect(() => check([])).toThrow('give 1 to 7 providers');
    expect(() => check(Array.from({ length: 7 }, (_, i) => route(`p${i}`, 1)))).not.toThrow();
    // 8 providers: 2 * 8 + 2 = 18 rules, above Gateway API's 16
    expect(() => check(Array.from({ length: 8 }, (_, i) => route(`p${i}`, 1)))).toThrow(/give 1 to 7 providers: the payload processor's HTTPRoute takes two rules per provider plus two, and Gateway API allows 16/);
    expect(() => check([route('a', 101)])).toThrow('from 0 (no traffic) to 100');
    expect(() => check([route('a', 1.5)])).toThrow('from 0 (no traffic) to 100');
    expect(() => check([route('a', 0)])).toThrow('at least one provider a weight above 0');
    expect(() => check([route('a', 1), route('a', 2)])).toThrow('list each provider once');
  });

  test('a release that splits only over equal weights, or only when every provider knows the model by its id', () => {
    const equal: ReleaseTraits = { ...lenient, name: 'MaaS X', splitWeights: 'equal', splitWeightsWhy: 'reason' };
    const byId: ReleaseTraits = { ...lenient, name: 'MaaS Y', targetModels: 'model-id', targetModelsWhy: 'reason' };
    const check = (routes: any[], traits: ReleaseTraits) => checkModelRoutes(newChart().chart, 'm', routes, traits);
    expect(() => check([route('a', 9), route('b', 1)], equal)).toThrow(/invalid weights of model "m" \[9,1\]: MaaS X splits a model only over equal weights \(reason\)/);
    expect(() => check([route('a', 2), route('b', 2), route('c', 0)], equal)).not.toThrow();
    expect(() => check([route('a', 9), route('b', 1)], lenient)).not.toThrow();
    expect(() => check([route('a', 1), route('b', 1, 'other')], byId)).toThrow(/invalid target model of provider "b" for model "m" "other": MaaS Y routes a model only when its provider knows it by the model's own id \(reason\)/);
    expect(() => check([route('a', 1, 'other')], byId)).toThrow(/have the provider serve it under "m" \(vLLM: --served-model-name\)/);
    expect(() => check([route('a', 1, 'other')], lenient)).not.toThrow();
  });

  test('Open Data Hub MaaS 2.0 routes any weights but only target models equal to the model id', () => {
    const check = (routes: any[]) => checkModelRoutes(newChart().chart, 'm', routes, odh);
    expect(() => check([route('a', 9), route('b', 1)])).not.toThrow();
    expect(() => check([route('a', 1, 'provider-id')])).toThrow(/Open Data Hub MaaS 2.0 routes a model only when its provider knows it by the model's own id \(its HTTPRoute matches each provider on X-Gateway-Model-Name/);
  });
});

describe('subscription realization (through the constructs)', () => {
  const realize = (props: SubscriptionPlatformProps = {}) => {
    const { app, chart } = newChart();
    const egress = new MaasEgressGateway(chart, 'egress', { namespace: 'llm', platform: MaasPlatform.subscriptionBased(props) });
    const provider = (name: string, models: string[]) => egress.addProvider(name, {
      endpoint: ProviderEndpoint.custom({ hostname: `${name}.example.com`, port: 443, tls }), credential: ProviderCredential.demoLiteral(`sk-${name}`), models,
    });
    return { app, chart, egress, provider };
  };

  test('per tier one subscription (groups, priority, limits) and one auth policy over the same models', () => {
    const { app, chart, egress, provider } = realize();
    const openai = provider('openai', ['gpt-4o']);
    const vllm = provider('vllm', []);
    egress.addModel('qwen3-0.6b', { routes: [{ provider: vllm }], displayName: 'Qwen3 0.6B' });
    new TierTokenBudget(chart, 'openai-budget', { target: BudgetTarget.providers(openai), limits: [{ tier: 'free', tokens: 100, window: '60s' }] });
    new TierTokenBudget(chart, 'vllm-budget', { target: BudgetTarget.providers(vllm), limits: [{ tier: 'free', tokens: 500, window: '1h' }] });
    const manifests = synth(app);
    const qwen = 'qwen3-0.6b';
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
    egress.addModel('shared', { routes: [{ provider: a, weight: 2 }, { provider: b, weight: 2 }] });
    new TierTokenBudget(chart, 'budget', { target: BudgetTarget.providers(a), limits: [{ tier: 'free', tokens: 10 }] });
    const manifests = synth(app);
    expect(find(manifests, 'ExternalModel', 'shared').spec.externalProviderRefs.map((r: any) => [r.ref.name, r.targetModel, r.weight]))
      .toEqual([['ext-a', 'shared', 2], ['ext-b', 'shared', 2]]);
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

  test('settings reject a non-default tenant, duplicate or negative priorities, empty groups, names MaaS denies and unknown releases', () => {
    const make = (props: SubscriptionPlatformProps) => new MaasEgressGateway(newChart().chart, 'egress', { platform: MaasPlatform.subscriptionBased(props) });
    expect(() => make({ tenant: 'team-a' })).toThrow('default tenant "models-as-a-service" only');
    expect(() => make({ tiers: [{ tier: 'a', groups: ['g'] }, { tier: 'b', groups: ['h'] }] })).toThrow('own priority');
    expect(() => make({ tiers: [{ tier: 'a', groups: [] }] })).toThrow('at least one entry');
    expect(() => make({ tiers: [{ tier: 'a', groups: ['g'], priority: -1 }] })).toThrow(/invalid priority of tier "a" -1: give a whole number from 0 to 2147483647 \(maas-api treats a negative priority as 0\)/);
    for (const group of ['team a', 'team@corp', 'ops,admins', ' g', 'oidc:team/a']) {
      expect(() => make({ tiers: [{ tier: 'a', groups: [group] }] })).toThrow(/MaaS refuses API keys for, and its gateway denies, a group outside that pattern/);
    }
    expect(() => make({ tiers: [{ tier: 'a', groups: ['system:authenticated', 'oidc:team_a.b-c'] }] })).not.toThrow();
    expect(() => make({ tiers: [{ tier: 'a', groups: ['g'], defaultTokensPerMinute: 1_000_000_001 }] })).toThrow(/at most 1000000000 tokens per window/);
    expect(() => make({ release: '2.9' })).toThrow(/invalid MaaS release "2.9": the library knows MaaS releases 'rhoai-3.4', 'rhoai-3.5-ea.1', 'odh-2.0' and emits for 'odh-2.0'/);
    expect(() => make({ release: 'rhoai-3.4' })).toThrow(/invalid MaaS release "rhoai-3.4": Red Hat OpenShift AI 3.4 ships no inference.opendatahub.io CRDs: its payload processor watches only the legacy/);
  });

  test('the default tiers rank by level: a key minted without a subscription binds to the highest tier the user has', () => {
    const { app, provider } = realize();
    provider('openai', ['gpt-4o']);
    const priority = (tier: string) => find(synth(app), 'MaaSSubscription', `maas-egress-${tier}`).spec.priority;
    expect(priority('free')).toBeLessThan(priority('premium'));
    expect(priority('premium')).toBeLessThan(priority('enterprise'));
    expect(priority('free')).toBeGreaterThanOrEqual(0);
  });

  test('provider objects are prefixed (the payload processor overwrites Services of their name); one provider per host', () => {
    const { app, egress, provider } = realize();
    provider('vllm', ['m']);
    const provider2 = () => egress.addProvider('vllm-b', { endpoint: ProviderEndpoint.custom({ hostname: 'vllm.example.com', port: 443, tls }), credential: ProviderCredential.demoLiteral('k'), models: ['n'] });
    expect(provider2).toThrow(/\[test\/egress\/vllm-b\] invalid provider endpoint "vllm.example.com": test\/egress\/vllm has it too/);
    const manifests = synth(app);
    expect(ofKind(manifests, 'ExternalProvider').map((p) => p.metadata.name)).toEqual(['ext-vllm']);
    expect(find(manifests, 'ExternalModel', 'm').spec.externalProviderRefs[0].ref).toEqual({ name: 'ext-vllm' });
  });

  test('a model id that cannot be an object name is refused with the id to use', () => {
    const { provider } = realize();
    expect(() => provider('vllm', ['Qwen/Qwen3-0.6B'])).toThrow(
      /\[test\/egress\/vllm\] invalid model id "Qwen\/Qwen3-0.6B": current MaaS lists, subscribes and routes a model by its object name .*; Open Data Hub MaaS 2.0 sends the provider the id the client sent, so have the provider serve the model as "qwen-qwen3-0.6b" \(vLLM: --served-model-name qwen-qwen3-0.6b\)/);
    const { egress, provider: p2 } = realize();
    const a = p2('a', ['x']);
    expect(() => egress.addModel('Big.Model', { routes: [{ provider: a }] })).toThrow(/invalid model id "Big.Model"/);
  });

  test('a target model that is another model\'s id is refused, whichever is added first', () => {
    // no supported release routes a target model other than the model id yet; the check guards the release that will
    const spy = jest.spyOn(releaseTraits, 'resolveRelease').mockReturnValue(lenient);
    const first = realize();
    const a = first.provider('a', ['gpt-4']);
    expect(() => first.egress.addModel('gpt-4o-mini', { routes: [{ provider: a, targetModel: 'gpt-4' }] }))
      .toThrow(/invalid target model of model "gpt-4o-mini" "gpt-4": it is also the id of the model that test\/egress\/a serves/);
    const second = realize();
    const b = second.provider('b', []);
    second.egress.addModel('gpt-4o-mini', { routes: [{ provider: b, targetModel: 'gpt-4' }] });
    expect(() => second.provider('c', ['gpt-4'])).toThrow(/invalid model id "gpt-4": model "gpt-4o-mini" \(test\/egress\) sends it to its provider as target model/);
    spy.mockRestore();
  });

  test('a provider that serves no model is a synth error', () => {
    const { app, provider } = realize();
    provider('idle', []);
    expect(() => synth(app)).toThrow(/provider "idle" serves no model; list its models, or route a model to it with gateway.addModel/);
  });

  test('cost attribution: metering on every subscription and access policy (a tier\'s over the platform\'s), billing rates per model', () => {
    const { app, provider } = realize({
      metering: { organizationId: 'acme', costCenter: 'ai-platform', labels: { team: 'ml' } },
      billingRates: { 'gpt-4o': '0.0000025' },
      tiers: [
        { tier: 'free', groups: ['system:authenticated'], priority: 0, defaultTokensPerMinute: 100 },
        { tier: 'premium', groups: ['premium'], priority: 10, defaultTokensPerMinute: 1000, metering: { costCenter: 'sales', labels: { plan: 'premium' } } },
      ],
    });
    provider('openai', ['gpt-4o', 'gpt-4o-mini']);
    const manifests = synth(app);
    const premium = find(manifests, 'MaaSSubscription', 'maas-egress-premium');
    expect(premium.spec.tokenMetadata).toEqual({ organizationId: 'acme', costCenter: 'sales', labels: { team: 'ml', plan: 'premium' } });
    expect(find(manifests, 'MaaSAuthPolicy', 'maas-egress-premium-access').spec.meteringMetadata).toEqual(premium.spec.tokenMetadata);
    expect(find(manifests, 'MaaSSubscription', 'maas-egress-free').spec.tokenMetadata).toEqual({ organizationId: 'acme', costCenter: 'ai-platform', labels: { team: 'ml' } });
    expect(premium.spec.modelRefs.map((r: any) => [r.name, r.billingRate])).toEqual([['gpt-4o', { perToken: '0.0000025' }], ['gpt-4o-mini', undefined]]);
  });

  test('a billing rate that is not a decimal, or names a model the gateway does not serve, is refused', () => {
    expect(() => realize({ billingRates: { 'gpt-4o': '$0.01' } })).toThrow(/invalid billing rate of model "gpt-4o" "\$0.01": give the cost per token as a decimal string/);
    expect(() => realize({ metering: { costCenter: ' ' } })).toThrow(/invalid platform metering costCenter " "/);
    const { app, provider } = realize({ billingRates: { 'gpt-5': '0.00001' } });
    provider('openai', ['gpt-4o']);
    expect(() => synth(app)).toThrow(/the platform's billingRates name model "gpt-5", which this gateway does not serve \(models: gpt-4o\)/);
  });

  test('limits above MaaS\'s maximum are refused', () => {
    const { chart, provider } = realize();
    const openai = provider('openai', ['gpt-4o']);
    expect(() => new TierTokenBudget(chart, 'b', { target: BudgetTarget.providers(openai), limits: [{ tier: 'free', tokens: 2e9, window: '1h' }] }))
      .toThrow(/\[test\/b\] invalid tokens of tier "free" 2000000000: MaaS takes at most 1000000000 tokens per window/);
  });
});

describe('key Secrets for the payload processor', () => {
  test('a demo literal becomes a labelled, annotated Secret with key api-key', () => {
    const { app, chart } = newChart();
    emitIppKeySecret(chart, ProviderCredential.demoLiteral('sk-demo')._source(chart), { name: 'sim-api-key', namespace: 'llm' });
    const secret = find(synth(app), 'Secret', 'sim-api-key', 'llm');
    expect(secret.metadata.labels).toEqual({ 'inference.llm-d.ai/ipp-managed': 'true' });
    expect(secret.metadata.annotations).toMatchObject({ 'maas-egress/demo-credentials': 'true' });
    expect(secret.stringData).toEqual({ 'api-key': 'sk-demo' });
  });

  test('a Vault key becomes an ExternalSecret whose template labels the Secret', () => {
    const { app, chart } = newChart();
    emitIppKeySecret(chart, vault._source(chart), { name: 'openai-api-key', namespace: 'llm', keyStore: SecretStoreRef.cluster('vault-provider-keys') });
    const manifests = synth(app);
    expect(ofKind(manifests, 'Secret')).toEqual([]);
    const es = find(manifests, 'ExternalSecret', 'openai-api-key', 'llm');
    expect(es.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'vault-provider-keys' });
    expect(es.spec.target.template.metadata.labels).toEqual({ 'inference.llm-d.ai/ipp-managed': 'true' });
    expect(es.spec.data).toEqual([{ secretKey: 'api-key', remoteRef: { key: 'maas/providers/openai', property: 'api_key' } }]);
  });

  test('a Vault key without a key store, and an HTTP key service, are rejected', () => {
    const { chart } = newChart();
    expect(() => emitIppKeySecret(chart, vault._source(chart), { name: 'k', namespace: 'llm' })).toThrow('give the platform a keyStore');
    const service = ProviderCredential.fromHttpKeyService({ url: 'https://keys.example.svc/v1/keys' });
    expect(() => ippAuthOf(chart, service._source(chart), 'keys.example.svc')).toThrow('fromHttpKeyService has no equivalent on current MaaS');
  });

  test('a credential kind the platform does not know is refused, not given an apikey Secret', () => {
    const { chart } = newChart();
    const unknown = { kind: 'hardware-token', description: 'hardware token 7' } as unknown as CredentialSource;
    expect(() => ippAuthOf(chart, unknown, 'api.example.com'))
      .toThrow('[test] invalid credential "hardware token 7": the subscription platform does not know how current MaaS takes this kind of credential');
  });
});

describe('cloud credentials: SigV4 (Bedrock) and OAuth2 (Vertex), signed by the payload processor', () => {
  const keyStore = SecretStoreRef.cluster('vault-provider-keys');
  const bedrock = (hostname = 'bedrock-runtime.us-east-1.amazonaws.com') => ProviderEndpoint.custom({
    hostname, port: 443, tls, apiBasePath: '/openai/v1/', maasProviderType: MaasProviderType.BEDROCK_OPENAI,
  });
  const build = (add: (egress: MaasEgressGateway) => void, props: SubscriptionPlatformProps = { keyStore }) => {
    const { app, chart } = newChart();
    add(new MaasEgressGateway(chart, 'egress', { namespace: 'llm', platform: MaasPlatform.subscriptionBased(props) }));
    return synth(app);
  };

  test('AWS keys become an ExternalSecret with the payload processor\'s keys and a sigv4 provider with its service', () => {
    const manifests = build((egress) => egress.addProvider('bedrock', {
      endpoint: bedrock(), models: ['openai.gpt-oss-120b-1'],
      credential: ProviderCredential.awsKeysFromStore({ path: 'maas/providers/bedrock', service: 'bedrock', sessionTokenField: 'session_token' }),
    }));
    const provider = find(manifests, 'ExternalProvider', 'ext-bedrock', 'llm');
    expect(provider.spec).toEqual({
      provider: 'bedrock-openai', endpoint: 'bedrock-runtime.us-east-1.amazonaws.com',
      auth: { type: 'sigv4', secretRef: { name: 'bedrock-api-key' } }, config: { service: 'bedrock' },
    });
    expect(find(manifests, 'ExternalSecret', 'bedrock-api-key', 'llm').spec.data).toEqual([
      { secretKey: 'aws-access-key-id', remoteRef: { key: 'maas/providers/bedrock', property: 'aws_access_key_id' } },
      { secretKey: 'aws-secret-access-key', remoteRef: { key: 'maas/providers/bedrock', property: 'aws_secret_access_key' } },
      { secretKey: 'aws-session-token', remoteRef: { key: 'maas/providers/bedrock', property: 'session_token' } },
    ]);
    expect(find(manifests, 'ExternalModel', 'openai.gpt-oss-120b-1').spec.externalProviderRefs[0].path).toBe('/openai/v1/chat/completions');
  });

  test('a host the payload processor cannot read the region from needs region; the service is required', () => {
    const add = (props: any, host?: string) => () => build((egress) => egress.addProvider('bedrock', {
      endpoint: bedrock(host), models: ['m'], credential: ProviderCredential.awsKeysFromStore({ path: 'maas/providers/bedrock', ...props }),
    }));
    expect(add({ service: 'bedrock' }, 'bedrock.vpce.example.com')).toThrow(/invalid AWS region "none": the payload processor reads the region only from a <service>.<region>.amazonaws.com endpoint, and "bedrock.vpce.example.com" is not one: give region/);
    expect(add({ service: 'bedrock', region: 'us-east-1' }, 'bedrock.vpce.example.com')).not.toThrow();
    expect(add({ service: 'Bedrock Runtime' })).toThrow(/invalid AWS signing service "Bedrock Runtime"/);
    expect(add({ service: 'bedrock', region: 'east' })).toThrow(/invalid AWS region "east": give a region such as "us-east-1"/);
  });

  test('a GCP service account becomes an oauth2 provider whose Secret holds gcp-service-account-json', () => {
    const vertex = ProviderEndpoint.custom({
      hostname: 'us-central1-aiplatform.googleapis.com', port: 443, tls, maasProviderType: MaasProviderType.VERTEX_OPENAI,
      apiBasePath: '/v1/projects/acme/locations/us-central1/endpoints/openapi/',
    });
    const manifests = build((egress) => egress.addProvider('vertex', {
      endpoint: vertex, models: ['google.gemini-2.5-pro'], credential: ProviderCredential.gcpServiceAccountFromStore({ path: 'maas/providers/vertex' }),
    }));
    expect(find(manifests, 'ExternalProvider', 'ext-vertex').spec.auth).toEqual({ type: 'oauth2', secretRef: { name: 'vertex-api-key' } });
    expect(find(manifests, 'ExternalProvider', 'ext-vertex').spec.config).toBeUndefined();
    expect(find(manifests, 'ExternalSecret', 'vertex-api-key').spec.data).toEqual([
      { secretKey: 'gcp-service-account-json', remoteRef: { key: 'maas/providers/vertex', property: 'service_account_json' } },
    ]);
  });

  test('without a key store, or on the tier-based platform, cloud credentials are refused', () => {
    const aws = ProviderCredential.awsKeysFromStore({ path: 'maas/providers/bedrock', service: 'bedrock' });
    expect(() => build((egress) => egress.addProvider('bedrock', { endpoint: bedrock(), models: ['m'], credential: aws }), {}))
      .toThrow(/invalid credential "AWS keys maas\/providers\/bedrock": current MaaS reads credentials only from labelled Secrets: give the platform a keyStore/);
    const tierBased = new MaasEgressGateway(newChart().chart, 'egress', { platform: MaasPlatform.tierBased() });
    expect(() => tierBased.addProvider('bedrock', { endpoint: bedrock(), models: ['m'], credential: aws }))
      .toThrow(/invalid credential "AWS keys maas\/providers\/bedrock": only current MaaS's payload processor signs requests or exchanges tokens/);
  });
});
