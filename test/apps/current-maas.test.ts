import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { createApp } from '../../apps/current-maas/main';
import {
  BackendTls, BudgetTarget, EgressDataPlane, KeyHeader, MaasEgressGateway, MaasPlatform, MaasProviderType,
  ProviderCredential, ProviderEndpoint, SecretStoreRef, TierTokenBudget,
} from '../../lib';
import { credentialFindings } from '../../lib/validation/credential-scan';
import { find, newChart, ofKind, readYamlDir, REPO_DIR, synth } from '../helpers';
import { byRow, subscriptionGrants, subscriptionTable, tierBasedTable } from './access-tables';

const manifests = synth(createApp());
const committed = readYamlDir(path.join(REPO_DIR, 'dist', 'current-maas')).filter((m) => m.kind !== 'Kustomization');
const IPP_LABEL = 'inference.llm-d.ai/ipp-managed';

describe('current-maas', () => {
  test('only current-MaaS kinds, ExternalSecrets for the keys, Namespaces and the Accept-Encoding guard', () => {
    const kinds = new Set(manifests.map((m) => `${m.apiVersion}/${m.kind}`));
    expect([...kinds].sort()).toEqual([
      'external-secrets.io/v1/ExternalSecret',
      'inference.opendatahub.io/v1alpha1/ExternalModel',
      'inference.opendatahub.io/v1alpha1/ExternalProvider',
      'maas.opendatahub.io/v1alpha1/MaaSAuthPolicy',
      'maas.opendatahub.io/v1alpha1/MaaSModelRef',
      'maas.opendatahub.io/v1alpha1/MaaSSubscription',
      'networking.istio.io/v1alpha3/EnvoyFilter',
      'v1/Namespace',
    ]);
  });

  test('one EnvoyFilter, on the MaaS gateway: Accept-Encoding removed on its routes, or compressed answers go uncounted', () => {
    const [filter] = ofKind(manifests, 'EnvoyFilter');
    expect(ofKind(manifests, 'EnvoyFilter')).toHaveLength(1);
    expect(filter.metadata).toMatchObject({ name: 'maas-egress-accept-encoding-guard', namespace: 'openshift-ingress' });
    expect(filter.spec.workloadSelector).toEqual({ labels: { 'gateway.networking.k8s.io/gateway-name': 'maas-default-gateway' } });
    expect(filter.spec.configPatches).toEqual([{
      applyTo: 'HTTP_ROUTE', match: { context: 'GATEWAY' }, patch: { operation: 'MERGE', value: { request_headers_to_remove: ['accept-encoding'] } },
    }]);
  });

  test('every provider is reachable by the payload processor: TLS on 443 to a public host, named with the prefix', () => {
    const providers = ofKind(manifests, 'ExternalProvider');
    expect(providers.map((p) => [p.metadata.name, p.spec.endpoint]).sort()).toEqual([
      ['ext-anthropic', 'api.anthropic.com'], ['ext-gemini', 'generativelanguage.googleapis.com'], ['ext-openai', 'api.openai.com'],
    ]);
    for (const provider of providers) {
      expect(provider.spec.endpoint).not.toMatch(/\.svc(\.cluster\.local)?$|^[0-9.]+$/);
      expect(provider.metadata.annotations?.['inference.opendatahub.io/tls']).toBeUndefined();
      expect(provider.spec.auth.type).toBe('apikey');
    }
  });

  test('every key Secret a provider names comes from an ExternalSecret that labels it for the payload processor', () => {
    for (const provider of ofKind(manifests, 'ExternalProvider')) {
      const name = provider.spec.auth.secretRef.name;
      const external = find(manifests, 'ExternalSecret', name, provider.metadata.namespace);
      expect(external.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'vault-provider-keys' });
      expect(external.spec.target.template.metadata.labels[IPP_LABEL]).toBe('true');
      expect(external.spec.data.map((d: any) => d.secretKey)).toEqual(['api-key']);
    }
    expect(ofKind(manifests, 'Secret')).toEqual([]);
  });

  test('model ids are the object names, and the release routes them only as the providers\' own ids', () => {
    const models = ofKind(manifests, 'ExternalModel');
    expect(models.map((m) => m.metadata.name).sort()).toEqual(['claude-sonnet-4-5', 'gemini-2.5-flash', 'gemini-2.5-pro', 'gpt-4.1', 'gpt-4o', 'gpt-4o-mini']);
    for (const model of models) {
      expect(model.spec.modelName).toBeUndefined();
      expect(find(manifests, 'MaaSModelRef', model.metadata.name, 'llm').spec.modelRef).toEqual({ kind: 'ExternalModel', name: model.metadata.name });
    }
    for (const model of models) expect(model.spec.externalProviderRefs.map((r: any) => r.targetModel)).toEqual([model.metadata.name]);
    expect(find(manifests, 'MaaSModelRef', 'gemini-2.5-flash', 'llm').metadata.annotations['openshift.io/display-name']).toBe('Gemini 2.5 Flash');
  });

  test('the models\' namespace admits the payload processor\'s HTTPRoutes at the MaaS gateway', () => {
    expect(find(manifests, 'Namespace', 'llm').metadata.labels).toEqual({ 'maas.opendatahub.io/gateway-access': 'true' });
  });

  test('no key material (synthesized and committed)', () => {
    for (const objects of [manifests, committed]) {
      expect(credentialFindings(objects, [])).toEqual([]);
      expect(JSON.stringify(objects)).not.toMatch(/change-me|for-demo|sk-/i);
    }
    expect(committed.length).toBe(manifests.length);
  });
});

/** One team's intent, reachable on both platforms: three hosted providers over TLS and the free-tier budget. */
function hostedApp(platform: MaasPlatform, dataPlane?: EgressDataPlane): App {
  const app = new App();
  const chart = new Chart(app, 'same-intent');
  const egress = new MaasEgressGateway(chart, 'egress', { platform, dataPlane });
  const key = (name: string) => ProviderCredential.fromVault({ address: 'https://vault.vault.svc:8200', path: `maas/providers/${name}`, tokenSecret: { name: 'vault-token' } });
  egress.addProvider('openai', { endpoint: ProviderEndpoint.openAi(), credential: key('openai'), models: ['gpt-4o'] });
  egress.addProvider('anthropic', { endpoint: ProviderEndpoint.anthropic(), credential: key('anthropic'), models: ['claude-sonnet-4-5'] });
  egress.addProvider('gemini', { endpoint: ProviderEndpoint.gemini(), credential: key('gemini'), models: ['gemini-2.5-flash'] });
  new TierTokenBudget(chart, 'tier-tokens', { target: BudgetTarget.allProviders(egress), limits: [{ tier: 'free', tokens: 100, window: '60s' }] });
  return app;
}

describe('same intent, both platforms', () => {
  // the tier-based platform then knows the one tier the subscription platform is given
  const tierBased = synth(hostedApp(MaasPlatform.tierBased({ tiers: [{ tier: 'free', tokens: 100 }] }), EgressDataPlane.istioGateway()));
  const keyStore = SecretStoreRef.cluster('vault-provider-keys');
  const onlyFree = synth(hostedApp(MaasPlatform.subscriptionBased({ keyStore, tiers: [{ tier: 'free', groups: ['system:authenticated'] }] })));

  test('the same models, tiers and limits, each table read from its own output', () => {
    const expected = ['claude-sonnet-4-5', 'gemini-2.5-flash', 'gpt-4o'].map((model) => ({ model, tier: 'free', limit: 100, seconds: 60 })).sort(byRow);
    expect(tierBasedTable(tierBased)).toEqual(expected);
    expect(subscriptionTable(onlyFree)).toEqual(expected);
    // on current MaaS a caller needs access and quota: the policies grant exactly the subscribed pairs
    expect(subscriptionGrants(onlyFree)).toEqual(expected.map((r) => `${r.model}|${r.tier}`).sort());
  });

  test('with the default tier mapping, unbudgeted tiers get MaaS\'s default per-minute limits', () => {
    const table = subscriptionTable(synth(hostedApp(MaasPlatform.subscriptionBased({ keyStore }))));
    expect(table.filter((r) => r.tier === 'free')).toEqual(subscriptionTable(onlyFree));
    expect(new Set(table.filter((r) => r.tier !== 'free').map((r) => `${r.tier}:${r.limit}/${r.seconds}s`))).toEqual(new Set(['premium:50000/60s', 'enterprise:100000/60s']));
  });
});

describe('what current MaaS cannot express is rejected', () => {
  const platform = () => MaasPlatform.subscriptionBased();
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

  test('a provider without TLS or off port 443, a request timeout or bridge namespace', () => {
    const egress = new MaasEgressGateway(newChart().chart, 'e', { platform: MaasPlatform.subscriptionBased() });
    const add = (name: string, extra: object, endpoint = ProviderEndpoint.openAi({ tls })) =>
      egress.addProvider(name, { unsafeAllowKeyOverPlainHttp: true, endpoint, credential: ProviderCredential.demoLiteral('k'), models: [name], ...extra });
    expect(() => add('a', {}, ProviderEndpoint.vllm({ hostname: 'v.example.com' }))).toThrow(/always opens TLS to port 443 of the provider/);
    expect(() => add('a2', {}, ProviderEndpoint.vllm({ hostname: 'v.example.com', tls }))).toThrow(/invalid provider transport "https:\/\/v.example.com:8000"/);
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
  const platform = (props: object = {}) => MaasPlatform.subscriptionBased(props);
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

describe('trace and diff on subscription output', () => {
  const { ManifestSet } = require('../../lib/trace/manifest-set') as typeof import('../../lib/trace/manifest-set');
  const { traceRequest } = require('../../lib/trace/tracer') as typeof import('../../lib/trace/tracer');
  const { diffOutputs } = require('../../lib/trace/differ') as typeof import('../../lib/trace/differ');
  const { callersOf } = require('../../lib/trace/probes') as typeof import('../../lib/trace/probes');
  const set = new ManifestSet(manifests);
  const body = Buffer.from('{"model":"gpt-4o","messages":[]}');

  test('--tier stands for the groups owning that tier\'s subscription, and says to pass --group', () => {
    const t = traceRequest(set, { method: 'POST', path: '/v1/chat/completions', user: 'u', tier: 'premium', body });
    expect(t.outcome).toBe('forwarded');
    expect(t.limits.map((l) => `${l.policy} ${l.amount}/${l.window}`)).toEqual(['models-as-a-service/maas-egress-premium 50000/1m']);
    expect(t.warnings).toContain('--tier premium is taken as the groups owning MaaSSubscription models-as-a-service/maas-egress-premium (tier-premium-users, premium-group); on current MaaS pass --group <group> instead');
    expect(t.hops[0].steps.join('\n')).toMatch(/Accept-Encoding removed on every route of the MaaS gateway/);
    const unguarded = traceRequest(new ManifestSet(manifests.filter((m) => m.kind !== 'EnvoyFilter')), { method: 'POST', path: '/v1/chat/completions', user: 'u', tier: 'premium', body });
    expect(unguarded.warnings.join('\n')).toMatch(/nothing removes the client's Accept-Encoding \(the payload processor keeps it\)/);
    const unknown = traceRequest(set, { method: 'POST', path: '/v1/chat/completions', user: 'u', tier: 'gold', body });
    expect(unknown.warnings.join('\n')).toMatch(/--tier gold means nothing on current MaaS .* pass --group <group>/);
    // the free tier is every authenticated user
    expect(unknown.limits.map((l) => l.policy)).toEqual(['models-as-a-service/maas-egress-free']);
  });

  test('diff callers are the tiers, each as its subscription\'s groups, so a tier is compared with the same tier', () => {
    const callers = callersOf([set]);
    expect(callers.map((c) => c.label)).toEqual(['no token', 'tier enterprise', 'tier free', 'tier premium']);
    expect(callers.find((c) => c.label === 'tier premium')!.groups).toEqual(['tier-premium-users', 'premium-group']);
    const raised = manifests.map((m: any) => m.kind === 'MaaSSubscription' && m.metadata.name === 'maas-egress-premium'
      ? { ...m, spec: { ...m.spec, modelRefs: m.spec.modelRefs.map((r: any) => ({ ...r, tokenRateLimits: [{ limit: 70000, window: '1m' }] })) } } : m);
    const diff = diffOutputs(set, new ManifestSet(raised));
    const changes = diff.subjects.flatMap((s) => s.changes.map((c) => `${c.aspect} ${c.caller}`));
    expect(new Set(changes)).toEqual(new Set(['limits tier premium']));
  });
});
