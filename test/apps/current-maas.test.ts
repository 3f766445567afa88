import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { createApp } from '../../apps/current-maas/main';
import { addSeedProviders } from '../../apps/shared/seed-providers';
import {
  BackendTls, BudgetTarget, DEMO_CREDENTIAL_ANNOTATION, EgressDataPlane, KeyHeader, MaasEgressGateway, MaasPlatform, MaasProviderType,
  ProviderCredential, ProviderEndpoint, TierTokenBudget,
} from '../../lib';
import { credentialFindings } from '../../lib/validation/credential-scan';
import { find, newChart, ofKind, readYamlDir, REPO_DIR, synth } from '../helpers';
import { byRow, subscriptionGrants, subscriptionTable, tierBasedTable } from './access-tables';

const manifests = synth(createApp());
const committed = readYamlDir(path.join(REPO_DIR, 'dist', 'current-maas')).filter((m) => m.kind !== 'Kustomization');
const IPP_LABEL = 'inference.llm-d.ai/ipp-managed';

describe('current-maas', () => {
  test('only current-MaaS kinds, key Secrets, ExternalSecrets, Namespaces and the simulators themselves', () => {
    const kinds = new Set(manifests.map((m) => `${m.apiVersion}/${m.kind}`));
    expect([...kinds].sort()).toEqual([
      'apps/v1/Deployment',
      'external-secrets.io/v1/ExternalSecret',
      'inference.opendatahub.io/v1alpha1/ExternalModel',
      'inference.opendatahub.io/v1alpha1/ExternalProvider',
      'maas.opendatahub.io/v1alpha1/MaaSAuthPolicy',
      'maas.opendatahub.io/v1alpha1/MaaSModelRef',
      'maas.opendatahub.io/v1alpha1/MaaSSubscription',
      'v1/Namespace',
      'v1/Secret',
      'v1/Service',
    ]);
    // Deployments and Services are the seed's simulators only
    expect(ofKind(manifests, 'Deployment').map((d) => d.metadata.name).sort()).toEqual(['anthropic-simulator', 'openai-simulator']);
  });

  test('every key Secret a provider names comes from a labelled demo Secret or an ExternalSecret that labels it', () => {
    for (const provider of ofKind(manifests, 'ExternalProvider')) {
      const name = provider.spec.auth.secretRef.name;
      const ns = provider.metadata.namespace;
      const secret = manifests.find((m: any) => m.kind === 'Secret' && m.metadata.name === name && m.metadata.namespace === ns) as any;
      const external = manifests.find((m: any) => m.kind === 'ExternalSecret' && m.spec.target.name === name && m.metadata.namespace === ns) as any;
      expect([secret, external].filter(Boolean)).toHaveLength(1);
      if (secret) {
        expect(secret.metadata.labels[IPP_LABEL]).toBe('true');
        expect(secret.metadata.annotations[DEMO_CREDENTIAL_ANNOTATION]).toBe('true');
        expect(Object.keys(secret.stringData)).toEqual(['api-key']);
      } else {
        expect(external.spec.target.template.metadata.labels[IPP_LABEL]).toBe('true');
        expect(external.spec.data.map((d: any) => d.secretKey)).toEqual(['api-key']);
      }
    }
  });

  test('the real provider: TLS on 443 and its key only through External Secrets', () => {
    const provider = find(manifests, 'ExternalProvider', 'openai-api', 'llm');
    expect(provider.metadata.annotations).toMatchObject({ 'inference.opendatahub.io/tls': 'true', 'inference.opendatahub.io/port': '443' });
    expect(provider.spec.provider).toBe('openai');
    expect(find(manifests, 'ExternalSecret', 'openai-api-api-key', 'llm').spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'vault-provider-keys' });
  });

  test('gpt-4o-mini is one ExternalModel split 9:1 between OpenAI and the OpenAI simulator', () => {
    expect(find(manifests, 'ExternalModel', 'gpt-4o-mini', 'llm').spec.externalProviderRefs.map((r: any) => [r.ref.name, r.targetModel, r.weight]))
      .toEqual([['openai-api', 'gpt-4o-mini', 9], ['openai', 'gpt-4', 1]]);
  });

  test('no key material outside the demo objects (synthesized and committed)', () => {
    for (const objects of [manifests, committed]) {
      const nonDemo = objects.filter((m: any) => m.metadata.annotations?.[DEMO_CREDENTIAL_ANNOTATION] !== 'true');
      expect(credentialFindings(nonDemo, [])).toEqual([]);
      expect(JSON.stringify(nonDemo)).not.toMatch(/change-me|for-demo|sk-/i);
    }
    expect(committed.length).toBe(manifests.length);
  });
});

/** One team's intent: the seed's providers and the free-tier budget; only the platform differs. */
function seedApp(platform: MaasPlatform, dataPlane?: EgressDataPlane): App {
  const app = new App();
  const chart = new Chart(app, 'same-intent');
  const egress = new MaasEgressGateway(chart, 'egress', { platform, dataPlane });
  addSeedProviders(chart, egress);
  new TierTokenBudget(chart, 'tier-tokens', { target: BudgetTarget.allProviders(egress), limits: [{ tier: 'free', tokens: 100, window: '60s' }] });
  return app;
}

describe('same intent, both platforms', () => {
  // the tier-based platform then knows the one tier the subscription platform is given
  const tierBased = synth(seedApp(MaasPlatform.tierBased({ tiers: [{ tier: 'free', tokens: 100 }] }), EgressDataPlane.wgAiGateway()));
  const onlyFree = synth(seedApp(MaasPlatform.subscriptionBased({ allowPlaintextProviders: true, tiers: [{ tier: 'free', groups: ['system:authenticated'] }] })));

  test('the same models, tiers and limits, each table read from its own output', () => {
    const expected = ['claude-3-sonnet', 'gpt-4', 'Qwen/Qwen3-0.6B'].map((model) => ({ model, tier: 'free', limit: 100, seconds: 60 })).sort(byRow);
    expect(tierBasedTable(tierBased)).toEqual(expected);
    expect(subscriptionTable(onlyFree)).toEqual(expected);
    // on current MaaS a caller needs access and quota: the policies grant exactly the subscribed pairs
    expect(subscriptionGrants(onlyFree)).toEqual(expected.map((r) => `${r.model}|${r.tier}`).sort());
  });

  test('with the default tier mapping, unbudgeted tiers get MaaS\'s default per-minute limits', () => {
    const table = subscriptionTable(synth(seedApp(MaasPlatform.subscriptionBased({ allowPlaintextProviders: true }))));
    expect(table.filter((r) => r.tier === 'free')).toEqual(subscriptionTable(onlyFree));
    expect(new Set(table.filter((r) => r.tier !== 'free').map((r) => `${r.tier}:${r.limit}/${r.seconds}s`))).toEqual(new Set(['premium:50000/60s', 'enterprise:100000/60s']));
  });
});

describe('what current MaaS cannot express is rejected', () => {
  const platform = () => MaasPlatform.subscriptionBased({ allowPlaintextProviders: true });
  const tls = BackendTls.verified();

  test('a data plane, gateway name or path prefix given explicitly', () => {
    expect(() => new MaasEgressGateway(newChart().chart, 'e', { platform: platform(), dataPlane: EgressDataPlane.direct() })).toThrow(/leave dataPlane out/);
    expect(() => new MaasEgressGateway(newChart().chart, 'e', { platform: platform(), name: 'gw' })).toThrow(/leave name out/);
    expect(() => new MaasEgressGateway(newChart().chart, 'e', { platform: platform(), pathPrefix: '/x/' })).toThrow(/leave pathPrefix out/);
  });

  test('the unified endpoint: MaaS routes by body itself', () => {
    const egress = new MaasEgressGateway(newChart().chart, 'e', { platform: platform() });
    egress.addProvider('openai', { endpoint: ProviderEndpoint.openAi({ tls }), credential: ProviderCredential.demoLiteral('k'), models: ['gpt-4o'] });
    expect(() => egress.addUnifiedEndpoint()).toThrow(/current MaaS routes by the body's model itself/);
  });

  test('Anthropic\'s native API while response translation is off', () => {
    const egress = new MaasEgressGateway(newChart().chart, 'e', { platform: platform() });
    const native = ProviderEndpoint.custom({ hostname: 'api.anthropic.com', tls, keyHeader: KeyHeader.plain('x-api-key'), maasProviderType: MaasProviderType.ANTHROPIC });
    expect(() => egress.addProvider('claude', { unsafeAllowKeyOverPlainHttp: true, endpoint: native, credential: ProviderCredential.demoLiteral('k'), models: ['claude'] }))
      .toThrow(/\[test\/e\/claude\] invalid MaaS provider type "anthropic": Anthropic's native Messages API needs the payload processor's response translation/);
  });

  test('a tenant other than the default', () => {
    expect(() => new MaasEgressGateway(newChart().chart, 'e', { platform: MaasPlatform.subscriptionBased({ tenant: 'ai-tenant-a' }) }))
      .toThrow(/MaaS serves external models to its default tenant "models-as-a-service" only/);
  });

  test('keys from an HTTP key service, or from Vault without a key store', () => {
    const egress = new MaasEgressGateway(newChart().chart, 'e', { platform: platform() });
    const add = (name: string, credential: ProviderCredential) => egress.addProvider(name, { endpoint: ProviderEndpoint.openAi({ tls }), credential, models: [name] });
    expect(() => add('a', ProviderCredential.fromHttpKeyService({ url: 'https://keys.example.svc/v1/keys' }))).toThrow(/fromHttpKeyService has no equivalent on current MaaS/);
    expect(() => add('b', ProviderCredential.fromVault({ address: 'https://vault:8200', path: 'p', tokenSecret: { name: 't' } }))).toThrow(/give the platform a keyStore/);
  });

  test('a provider without TLS unless allowed, a request timeout or bridge namespace', () => {
    const egress = new MaasEgressGateway(newChart().chart, 'e', { platform: MaasPlatform.subscriptionBased() });
    const add = (name: string, extra: object, endpoint = ProviderEndpoint.openAi({ tls })) =>
      egress.addProvider(name, { unsafeAllowKeyOverPlainHttp: true, endpoint, credential: ProviderCredential.demoLiteral('k'), models: [name], ...extra });
    expect(() => add('a', {}, ProviderEndpoint.vllm({ hostname: 'v.example.com' }))).toThrow(/refuses a provider without TLS/);
    expect(() => add('b', { requestTimeout: '60s' })).toThrow(/with 300s timeouts; leave requestTimeout out/);
    expect(() => add('c', { bridgeNamespace: 'other' })).toThrow(/has no bridge routes/);
  });

  test('a budget on the MaaS gateway itself (a Kuadrant policy MaaS would not own)', () => {
    const { app, chart } = newChart();
    const egress = new MaasEgressGateway(chart, 'e', { platform: platform() });
    egress.addProvider('openai', { endpoint: ProviderEndpoint.openAi({ tls }), credential: ProviderCredential.demoLiteral('k'), models: ['gpt-4o'] });
    new TierTokenBudget(chart, 'gw', { target: BudgetTarget.gateway(MaasPlatform.subscriptionBased().gateway) });
    expect(() => synth(app)).toThrow(/TokenRateLimitPolicy test\/gw\/Policy: current MaaS creates the Kuadrant policies/);
  });

  test('on the tier-based platform, a model served by several providers', () => {
    const egress = new MaasEgressGateway(newChart().chart, 'e', { platform: MaasPlatform.tierBased() });
    const a = egress.addProvider('a', { endpoint: ProviderEndpoint.openAi({ tls }), credential: ProviderCredential.demoLiteral('k'), models: ['m-a'] });
    const b = egress.addProvider('b', { endpoint: ProviderEndpoint.openAi({ tls }), credential: ProviderCredential.demoLiteral('k'), models: ['m-b'] });
    expect(() => egress.addModel('m', { routes: [{ provider: a }, { provider: b, weight: 2 }] }))
      .toThrow(/cannot split one model's traffic by weight; list the model under one provider, or use MaasPlatform.subscriptionBased/);
  });
});

describe('what the payload processor and MaaS gateway need', () => {
  const platform = (props: object = {}) => MaasPlatform.subscriptionBased({ allowPlaintextProviders: true, ...props });
  const build = (props?: object) => {
    const { app, chart } = newChart();
    const egress = new MaasEgressGateway(chart, 'e', { namespace: 'llm', platform: platform(props) });
    egress.addProvider('openai', { endpoint: ProviderEndpoint.openAi(), credential: ProviderCredential.demoLiteral('k'), models: ['gpt-4o'] });
    return synth(app);
  };

  test('providers authenticate with auth.type apikey (simple is deprecated and refused by the payload processor\'s CRD)', () => {
    for (const provider of ofKind(build(), 'ExternalProvider')) expect(provider.spec.auth.type).toBe('apikey');
  });

  test('the models\' namespace is labelled for the MaaS gateway by default; the label can be changed or omitted', () => {
    expect(find(build(), 'Namespace', 'llm').metadata.labels).toEqual({ 'maas.opendatahub.io/gateway-access': 'true' });
    expect(find(build({ modelNamespaceLabels: { 'gateway-access-acme': 'true' } }), 'Namespace', 'llm').metadata.labels).toEqual({ 'gateway-access-acme': 'true' });
    expect(find(build({ modelNamespaceLabels: {} }), 'Namespace', 'llm').metadata.labels).toBeUndefined();
  });
});
