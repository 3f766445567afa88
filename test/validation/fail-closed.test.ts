import { ApiObject } from 'cdk8s';
import {
  BackendTls,
  BudgetTarget,
  EgressDataPlane,
  MaasEgressGateway,
  MaasIdentity,
  MaasPlatform,
  ProviderCredential,
  ProviderEndpoint,
  TierSource,
  TierTokenBudget,
} from '../../lib';
import { PLAINTEXT_KEY_ANNOTATION } from '../../lib/constructs/external-provider';
import { Manifest } from '../../lib/core/manifest';
import { admittedTiers, meteringProblems } from '../../lib/validation/metering-checks';
import { allApps, find, newChart, ofKind, synth } from '../helpers';

const KNOWN = ['free', 'premium', 'enterprise'];
const key = ProviderCredential.demoLiteral('k');
const tlsVllm = (hostname = 'v.example.com') => ProviderEndpoint.vllm({ hostname, port: 443, tls: BackendTls.verified() });
const onMaasGateway = (m: any) => m.kind === 'HTTPRoute' && (m.spec.parentRefs ?? []).some((p: any) => p.name === 'maas-default-gateway');
const policyOf = (manifests: Manifest[], kind: string, route: any) => manifests.find((m: any) => m.kind === kind
  && m.metadata.namespace === route.metadata.namespace && m.spec.targetRef?.kind === 'HTTPRoute' && m.spec.targetRef.name === route.metadata.name) as any;

const tierBasedApps = allApps().filter(([name]) => name !== 'current-maas');

describe.each(tierBasedApps)('app %s: no unmetered path', (name, createApp) => {
  const manifests = synth(createApp());
  const routes = manifests.filter(onMaasGateway);

  test('has routes on the MaaS gateway, and the check finds nothing', () => {
    expect(routes.length).toBeGreaterThan(0);
    expect(meteringProblems(manifests)).toEqual([]);
  });

  test.each(['AuthPolicy', 'TokenRateLimitPolicy'])('every MaaS-gateway route has its own %s, applied no later than the route', (kind) => {
    for (const route of routes) {
      const policy = policyOf(manifests, kind, route);
      expect([route.metadata.name, policy?.kind]).toEqual([route.metadata.name, kind]);
      const wave = (m: any) => Number(m.metadata.annotations['argocd.argoproj.io/sync-wave']);
      expect(wave(policy)).toBeLessThanOrEqual(wave(route));
    }
  });

  test('every route AuthPolicy reviews the token and admits exactly the known tiers, from the tier lookup', () => {
    for (const route of routes) {
      const rules = policyOf(manifests, 'AuthPolicy', route).spec.rules;
      expect(rules.authentication['service-accounts'].kubernetesTokenReview.audiences).toEqual(['maas-default-gateway-sa']);
      expect(rules.authorization['known-tier'].patternMatching.patterns).toEqual([
        { predicate: 'has(auth.metadata.matchedTier.tier) && auth.metadata.matchedTier.tier in ["free", "premium", "enterprise"]' },
      ]);
      expect(rules.metadata.matchedTier.http.url).toBe('https://maas-api.opendatahub.svc.cluster.local:8443/v1/tiers/lookup');
      expect(rules.response.success.filters.identity.json.properties.tier.expression).toBe('auth.metadata.matchedTier["tier"]');
      expect(admittedTiers(rules)).toEqual(KNOWN);
    }
  });

  test('every route token policy limits every known tier per user and gives any other tier 0 tokens', () => {
    for (const route of routes) {
      const limits = Object.values<any>(policyOf(manifests, 'TokenRateLimitPolicy', route).spec.limits);
      for (const tier of KNOWN) {
        const mine = limits.filter((l) => l.when.some((w: any) => w.predicate.startsWith(`auth.identity.tier == "${tier}"`)));
        expect([route.metadata.name, tier, mine.length > 0]).toEqual([route.metadata.name, tier, true]);
        for (const l of mine) expect(l.counters).toEqual([{ expression: 'auth.identity.userid' }]);
      }
      const unknown = limits.filter((l) => l.rates[0].limit === 0);
      expect(unknown.length).toBeGreaterThan(0);
      for (const l of unknown) expect(l.when[0].predicate).toMatch(/^!\(auth\.identity\.tier in \["free", "premium", "enterprise"\]\)/);
    }
  });

  test('every route that sends to a provider removes Accept-Encoding (compressed usage is never counted)', () => {
    const providerFacing = manifests.filter((m: any) => m.kind === 'HTTPRoute' && m.spec.rules.some((r: any) => (r.backendRefs ?? [])
      .some((b: any) => b.kind === 'Hostname' || b.kind === 'Backend' || (b.kind === undefined && b.namespace === 'external-models'))));
    expect(providerFacing.length).toBeGreaterThan(0);
    for (const route of providerFacing as any[]) {
      for (const rule of route.spec.rules) {
        const modifiers = (rule.filters ?? []).filter((f: any) => f.type === 'RequestHeaderModifier');
        expect([route.metadata.name, modifiers.length]).toEqual([route.metadata.name, 1]);
        expect(modifiers[0].requestHeaderModifier.remove).toContain('Accept-Encoding');
      }
    }
  });

  test('a key over plain HTTP is on a route that says so', () => {
    for (const route of routes) {
      const plaintext = (route.metadata.annotations as any)?.[PLAINTEXT_KEY_ANNOTATION] === 'true';
      const provider = /^(.*)-bridge$/.exec(route.metadata.name)?.[1] ?? '';
      // the seed's simulators and vLLM serve plain HTTP; real-providers has only hosted providers over TLS
      const seed = name !== 'real-providers' && ['openai', 'anthropic', 'vllm'].includes(provider);
      expect([route.metadata.name, plaintext]).toEqual([route.metadata.name, seed]);
    }
  });
});

describe('the check catches', () => {
  function app(bridgeNamespace?: string) {
    const { app: a, chart } = newChart();
    const egress = new MaasEgressGateway(chart, 'egress');
    const p = egress.addProvider('p', { endpoint: tlsVllm(), credential: key, models: ['m'], bridgeNamespace });
    new TierTokenBudget(chart, 'budget', { target: BudgetTarget.providers(p), limits: [{ tier: 'free', tokens: 7 }] });
    return synth(a);
  }

  test('a budget emitted in another namespace than its bridge (dangling target, provider unlimited)', () => {
    const manifests = app('bridges');
    const budget = find(manifests, 'TokenRateLimitPolicy', 'budget-p');
    expect(budget.metadata.namespace).toBe('bridges');
    expect(meteringProblems(manifests)).toEqual([]);
    const moved = manifests.map((m: any) => (m === budget ? { ...m, metadata: { ...m.metadata, namespace: 'maas-egress' } } : m));
    expect(meteringProblems(moved)).toEqual([
      'HTTPRoute bridges/p-bridge (on openshift-ingress/maas-default-gateway): no TokenRateLimitPolicy in these manifests limits it: every token is free; add a route token policy (TierTokenBudget)',
    ]);
  });

  test('a token policy that restates only one tier, and one without the 0-token limit', () => {
    const manifests = app();
    const budget = find(manifests, 'TokenRateLimitPolicy', 'budget-p');
    const onlyFree = manifests.map((m: any) => (m === budget ? { ...m, spec: { ...m.spec, limits: { free: m.spec.limits['free-user-tokens'] } } } : m));
    expect(meteringProblems(onlyFree)).toEqual([
      'HTTPRoute maas-egress/p-bridge (on openshift-ingress/maas-default-gateway): TokenRateLimitPolicy maas-egress/budget-p does not limit tier "premium", which AuthPolicy maas-egress/p-bridge-auth admits: that tier is unlimited there',
      'HTTPRoute maas-egress/p-bridge (on openshift-ingress/maas-default-gateway): TokenRateLimitPolicy maas-egress/budget-p does not limit tier "enterprise", which AuthPolicy maas-egress/p-bridge-auth admits: that tier is unlimited there',
      'HTTPRoute maas-egress/p-bridge (on openshift-ingress/maas-default-gateway): TokenRateLimitPolicy maas-egress/budget-p gives no 0-token limit to tiers it does not name',
    ]);
  });

  test('an AuthPolicy without the tier rule, and a policy applied after its route', () => {
    const manifests = app();
    const auth = find(manifests, 'AuthPolicy', 'p-bridge-auth');
    const { 'known-tier': _dropped, ...otherRules } = auth.spec.rules.authorization;
    const broken = manifests.map((m: any) => (m === auth ? {
      ...m,
      metadata: { ...m.metadata, annotations: { 'argocd.argoproj.io/sync-wave': '5' } },
      spec: { ...m.spec, rules: { ...m.spec.rules, authorization: otherRules } },
    } : m));
    expect(meteringProblems(broken)).toEqual([
      'HTTPRoute maas-egress/p-bridge (on openshift-ingress/maas-default-gateway): AuthPolicy maas-egress/p-bridge-auth is applied in sync wave 5, after HTTPRoute maas-egress/p-bridge (wave 4): the route would serve before it is protected; apply the policy no later than the route',
      'HTTPRoute maas-egress/p-bridge (on openshift-ingress/maas-default-gateway): AuthPolicy maas-egress/p-bridge-auth admits a caller of any tier, or none (no authorization rule restricts auth.identity.tier to known tiers); add one such as MaasIdentity.tierAuthorization emits',
    ]);
  });

  test('a route on the MaaS gateway with no policy at all fails synth', () => {
    const { app: a, chart } = newChart();
    new MaasEgressGateway(chart, 'egress').addProvider('p', { endpoint: tlsVllm(), credential: key, models: ['m'] });
    new ApiObject(chart, 'stray', {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'stray', namespace: 'maas-egress' },
      spec: { parentRefs: [{ name: 'maas-default-gateway', namespace: 'openshift-ingress' }], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/stray/' } }] }] },
    });
    expect(() => synth(a)).toThrow('HTTPRoute maas-egress/stray (on openshift-ingress/maas-default-gateway): no AuthPolicy in these manifests authenticates it');
  });
});

describe('budgets hold for every tier', () => {
  test('a provider without a TierTokenBudget gets the platform\'s tiers; a budget replaces that policy', () => {
    const { app: a, chart } = newChart();
    const egress = new MaasEgressGateway(chart, 'egress', { platform: MaasPlatform.tierBased({ tiers: [{ tier: 'gold', tokens: 5 }, { tier: 'silver', tokens: 3 }] }) });
    egress.addProvider('plain', { endpoint: tlsVllm('a.example.com'), credential: key, models: ['a'] });
    const budgeted = egress.addProvider('budgeted', { endpoint: tlsVllm('b.example.com'), credential: key, models: ['b'] });
    new TierTokenBudget(chart, 'gold-only', { target: BudgetTarget.providers(budgeted), limits: [{ tier: 'gold', tokens: 50 }] });
    const manifests = synth(a);
    const limitsOf = (name: string) => Object.fromEntries(Object.entries<any>(find(manifests, 'TokenRateLimitPolicy', name).spec.limits)
      .map(([n, l]) => [n, l.rates[0].limit]));
    expect(ofKind(manifests, 'TokenRateLimitPolicy').map((p) => p.metadata.name).sort()).toEqual(['gold-only-budgeted', 'plain-bridge-tokens']);
    expect(limitsOf('plain-bridge-tokens')).toEqual({ 'gold-user-tokens': 5, 'silver-user-tokens': 3, 'unknown-tier-tokens': 0 });
    expect(limitsOf('gold-only-budgeted')).toEqual({ 'gold-user-tokens': 50, 'silver-user-tokens': 3, 'unknown-tier-tokens': 0 });
    expect(find(manifests, 'AuthPolicy', 'plain-bridge-auth').spec.rules.authorization['known-tier'].patternMatching.patterns[0].predicate)
      .toBe('has(auth.metadata.matchedTier.tier) && auth.metadata.matchedTier.tier in ["gold", "silver"]');
  });

  test('a budget naming a tier the platform does not know is an error listing the known ones', () => {
    const { chart } = newChart();
    const p = new MaasEgressGateway(chart, 'egress').addProvider('p', { endpoint: tlsVllm(), credential: key, models: ['m'] });
    expect(() => new TierTokenBudget(chart, 'typo', { target: BudgetTarget.providers(p), limits: [{ tier: 'premuim', tokens: 5 }] }))
      .toThrow('[test/typo] invalid tier "premuim": the platform knows the tiers "free", "premium", "enterprise"; budget one of them, or add the tier to MaasPlatform.tierBased({ tiers })');
  });

  test('two budgets over all providers name both constructs', () => {
    const { chart } = newChart();
    const egress = new MaasEgressGateway(chart, 'egress');
    egress.addProvider('p', { endpoint: tlsVllm(), credential: key, models: ['m'] });
    new TierTokenBudget(chart, 'first', { target: BudgetTarget.allProviders(egress) });
    expect(() => new TierTokenBudget(chart, 'second', { target: BudgetTarget.allProviders(egress) }))
      .toThrow('[test/second] invalid budget target "HTTPRoute/maas-egress/p-bridge": test/first already budgets it; Kuadrant enforces one token policy per route');
  });

  test('the unified endpoint without its own tier budgets holds each provider\'s budget on that provider\'s models', () => {
    const { app: a, chart } = newChart();
    const egress = new MaasEgressGateway(chart, 'egress', { dataPlane: EgressDataPlane.istioGateway() });
    const p = egress.addProvider('p', { endpoint: tlsVllm('a.example.com'), credential: key, models: ['a1', 'a2'] });
    egress.addProvider('q', { endpoint: tlsVllm('b.example.com'), credential: key, models: ['b'] });
    new TierTokenBudget(chart, 'small', { target: BudgetTarget.providers(p), limits: [{ tier: 'free', tokens: 9 }] });
    egress.addUnifiedEndpoint();
    const limits = find(synth(a), 'TokenRateLimitPolicy', 'unified-models-tokens').spec.limits;
    expect(limits['free-user-tokens-p']).toEqual({
      rates: [{ limit: 9, window: '1m' }],
      when: [{ predicate: 'auth.identity.tier == "free" && !request.path.endsWith("/v1/models") && requestBodyJSON(\'/model\') in ["a1", "a2"]' }],
      counters: [{ expression: 'auth.identity.userid' }],
    });
    expect(limits['free-user-tokens-q'].rates).toEqual([{ limit: 100, window: '1m' }]);
    expect(limits['premium-user-tokens-p'].rates).toEqual([{ limit: 50000, window: '1m' }]);
    expect(limits['unknown-tier-tokens-q'].rates).toEqual([{ limit: 0, window: '1m' }]);
  });

  test('a budget states its scope: one counter per user and route', () => {
    const { chart } = newChart();
    const egress = new MaasEgressGateway(chart, 'egress');
    egress.addProvider('p', { endpoint: tlsVllm('a.example.com'), credential: key, models: ['a'] });
    egress.addProvider('q', { endpoint: tlsVllm('b.example.com'), credential: key, models: ['b'] });
    const budget = new TierTokenBudget(chart, 'b', { target: BudgetTarget.allProviders(egress) });
    expect(budget.scope).toBe('per-route');
    expect(budget.coveredRoutes).toEqual(['maas-egress/p-bridge', 'maas-egress/q-bridge']);
    expect(() => new TierTokenBudget(chart, 'shared', { target: BudgetTarget.allProviders(egress), scope: 'per-user' as any }))
      .toThrow('[test/shared] invalid budget scope "per-user": Kuadrant counts tokens per route');
  });
});

describe('who the caller is', () => {
  test('the namespace tier source trusts only the whole namespace name', () => {
    const { app: a, chart } = newChart();
    const identity = MaasIdentity.tierBased({ tierSource: TierSource.fromServiceAccountNamespace({ prefix: 'maas-default-gateway' }) });
    new MaasEgressGateway(chart, 'egress', { platform: MaasPlatform.tierBased({ identity }) })
      .addProvider('p', { endpoint: tlsVllm(), credential: key, models: ['m'] });
    const predicate: string = find(synth(a), 'AuthPolicy', 'p-bridge-auth').spec.rules.authorization['known-tier'].patternMatching.patterns[0].predicate;
    expect(predicate).toBe('auth.identity.user.username.matches("^system:serviceaccount:maas-default-gateway-tier-(free|premium|enterprise):[^:]+$")');
    const regex = new RegExp(JSON.parse(/matches\((".*")\)/.exec(predicate)![1]));
    expect(regex.test('system:serviceaccount:maas-default-gateway-tier-premium:alice')).toBe(true);
    for (const forged of ['system:serviceaccount:evil-maas-default-gateway-tier-enterprise:eve', 'system:serviceaccount:me-tier-gold:m',
      'system:serviceaccount:maas-default-gateway-tier-gold:m', 'system:serviceaccount:team-a:bob', 'alice']) {
      expect([forged, regex.test(forged)]).toEqual([forged, false]);
    }
  });

  test.each([
    [{ prefix: undefined }, '[test/egress] invalid tier namespace prefix undefined'],
    [{ prefix: 'a-tier-b' }, '[test/egress] invalid tier namespace prefix "a-tier-b": a prefix must not contain "-tier-"'],
  ])('a namespace tier source with prefix %j is refused', (props, message) => {
    const { chart } = newChart();
    const identity = MaasIdentity.tierBased({ tierSource: TierSource.fromServiceAccountNamespace(props as any) });
    expect(() => new MaasEgressGateway(chart, 'egress', { platform: MaasPlatform.tierBased({ identity }) })).toThrow(message);
  });
});

describe('versions', () => {
  const gateway = (props: object) => () => new MaasEgressGateway(newChart().chart, 'egress', { platform: MaasPlatform.tierBased(props) });

  test.each([
    ['1.4.1', 'appends the provider key that an AuthPolicy sets beside the client\'s MaaS token'],
    ['1.3.2', 'appends the provider key'],
    ['1.2.0', 'has no TokenRateLimitPolicy (it arrived in 1.3)'],
    ['1.6.0', 'is newer than the releases this library was checked against'],
    ['latest', 'give a release such as "1.5.2"'],
  ])('Kuadrant %s is refused with the reason', (version, reason) => {
    expect(gateway({ kuadrantVersion: version })).toThrow(`[test/egress] invalid Kuadrant version "${version}": `);
    expect(gateway({ kuadrantVersion: version })).toThrow(reason);
  });

  test.each(['1.4.2', '1.4.6', 'v1.5.2', '1.5'])('Kuadrant %s is accepted', (version) => {
    expect(gateway({ kuadrantVersion: version })).not.toThrow();
  });

  test('OpenShift releases other than 4.19 to 4.21 are refused', () => {
    expect(gateway({ openShiftVersion: '4.18' })).toThrow('[test/egress] invalid OpenShift version "4.18": the library was checked against the Istio of OpenShift 4.19, 4.20, 4.21');
    expect(gateway({ openShiftVersion: '4.21' })).not.toThrow();
  });
});

describe('keys stay where they belong', () => {
  test('a provider without TLS is refused unless it opts in, and then its route is annotated', () => {
    const { app: a, chart } = newChart();
    const egress = new MaasEgressGateway(chart, 'egress');
    expect(() => egress.addProvider('p', { endpoint: ProviderEndpoint.vllm({ hostname: 'v.example.com' }), credential: key, models: ['m'] }))
      .toThrow('[test/egress/p] invalid endpoint without TLS "http://v.example.com:8000": the provider\'s key would cross the network in clear text');
    egress.addProvider('q', { endpoint: ProviderEndpoint.vllm({ hostname: 'v.example.com' }), credential: key, models: ['m'], unsafeAllowKeyOverPlainHttp: true });
    expect(find(synth(a), 'HTTPRoute', 'q-bridge').metadata.annotations[PLAINTEXT_KEY_ANNOTATION]).toBe('true');
  });

  test('the hop to an Istio egress gateway carries the egress Service as Host, not the MaaS host', () => {
    const { app: a, chart } = newChart();
    const egress = new MaasEgressGateway(chart, 'egress', { dataPlane: EgressDataPlane.istioGateway() });
    egress.addProvider('p', { endpoint: tlsVllm(), credential: key, models: ['m'] });
    egress.addUnifiedEndpoint();
    const manifests = synth(a);
    for (const name of ['p-bridge', 'unified-models']) {
      const rewrite = find(manifests, 'HTTPRoute', name).spec.rules[0].filters.find((f: any) => f.type === 'URLRewrite');
      expect([name, rewrite.urlRewrite.hostname]).toEqual([name, 'egress-gateway-openshift-default.maas-egress.svc.cluster.local']);
    }
  });

  test('the unified egress routes drop the routing header and Accept-Encoding before the provider', () => {
    const { app: a, chart } = newChart();
    const egress = new MaasEgressGateway(chart, 'egress', { dataPlane: EgressDataPlane.istioGateway() });
    egress.addProvider('p', { endpoint: tlsVllm(), credential: key, models: ['m'] });
    egress.addUnifiedEndpoint();
    const rule = find(synth(a), 'HTTPRoute', 'p-unified').spec.rules[0];
    expect(rule.filters.find((f: any) => f.type === 'RequestHeaderModifier').requestHeaderModifier.remove).toEqual(['x-maas-egress-provider', 'Accept-Encoding']);
  });
});

describe('bad inputs read well', () => {
  test('a provider id added twice', () => {
    const egress = new MaasEgressGateway(newChart().chart, 'egress');
    egress.addProvider('openai', { endpoint: tlsVllm(), credential: key, models: ['m'] });
    expect(() => egress.addProvider('openai', { endpoint: tlsVllm(), credential: key, models: ['n'], name: 'other' }))
      .toThrow('[test/egress] invalid provider id "openai": test/egress/openai already has it; give every provider its own id (and name)');
  });

  test('a JavaScript caller who forgets the credential', () => {
    const egress = new MaasEgressGateway(newChart().chart, 'egress');
    expect(() => egress.addProvider('p', { endpoint: tlsVllm(), models: ['m'] } as any))
      .toThrow('[test/egress/p] invalid credential undefined: give credential: ProviderCredential.fromVault({...})');
  });
});

describe('trace and diff speak of tiers and scope', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { ManifestSet } = require('../../lib/trace/manifest-set');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { traceRequest } = require('../../lib/trace/tracer');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { diffOutputs } = require('../../lib/trace/differ');

  function output() {
    const { app: a, chart } = newChart();
    const p = new MaasEgressGateway(chart, 'egress').addProvider('p', { endpoint: tlsVllm(), credential: key, models: ['m'] });
    new TierTokenBudget(chart, 'budget', { target: BudgetTarget.providers(p), limits: [{ tier: 'free', tokens: 7 }] });
    return synth(a);
  }
  const request = (tier: string) => ({ method: 'POST', path: '/external/p/v1/chat/completions', user: 'u', tier, body: Buffer.from('{"model":"m"}') });

  test('an unknown tier is rejected with 403 by the tier rule; a known tier shows its limit and that the counter is per route', () => {
    const set = new ManifestSet(output());
    const gold = traceRequest(set, request('gold'));
    expect([gold.outcome, gold.status, gold.reason]).toEqual(['rejected', 403, 'denied by authorization rule known-tier of AuthPolicy maas-egress/p-bridge-auth']);
    const free = traceRequest(set, request('free'));
    expect(free.outcome).toBe('forwarded');
    expect(free.limits.filter((l: any) => !l.condition)).toEqual([expect.objectContaining({ name: 'free-user-tokens', amount: 7, route: 'maas-egress/p-bridge' })]);
  });

  test('diff reports a tier that lost its limit as a change of meaning', () => {
    const before = output();
    const after = before.map((m: any) => {
      if (m.kind !== 'TokenRateLimitPolicy') return m;
      const { 'premium-user-tokens': _gone, ...limits } = m.spec.limits;
      return { ...m, spec: { ...m.spec, limits } };
    });
    const diff = diffOutputs(new ManifestSet(before), new ManifestSet(after));
    const premium = diff.subjects.flatMap((s: any) => s.changes).filter((c: any) => c.caller === 'tier premium' && c.aspect === 'limits');
    expect(premium.length).toBe(1);
    expect(premium[0].old).toContain('50000 tokens per 1m per auth.identity.userid on route maas-egress/p-bridge alone');
    expect(premium[0].new).not.toContain('premium-user-tokens');
  });

  test('a stream without include_usage is warned about', () => {
    const set = new ManifestSet(output());
    const result = traceRequest(set, { ...request('free'), body: Buffer.from('{"model":"m","stream":true}') });
    expect(result.warnings.join('\n')).toContain('a streaming request without "stream_options": {"include_usage": true} is NOT counted');
  });
});

describe('Vault paths', () => {
  test.each([
    ['secret/data/maas/providers/openai', 'without "secret/data/"', 'use "maas/providers/openai"'],
    ['data/maas/openai', 'without "data/"', 'use "maas/openai"'],
    ['secret/maas/openai', 'without "secret/"', 'use "maas/openai"'],
  ])('a path %s that repeats the mount or data/ is refused with the fixed path', (path, what, fix) => {
    const credential = ProviderCredential.fromVault({ address: 'https://vault.example:8200', path, tokenSecret: { name: 't' } });
    const add = () => new MaasEgressGateway(newChart().chart, 'egress').addProvider('p', { endpoint: tlsVllm(), credential, models: ['m'] });
    expect(add).toThrow(`[test/egress/p] invalid Vault secret path "${path}": give the path inside the KV v2 mount ${what}`);
    expect(add).toThrow(fix);
  });
});

describe('strategy props read well when wrong', () => {
  test.each([
    [{ dataPlane: EgressDataPlane.istioGateway }, 'invalid data plane "istioGateway (a factory: call it, e.g. istioGateway())": give dataPlane: EgressDataPlane.direct()'],
    [{ dataPlane: 'istio' }, 'invalid data plane "istio": give dataPlane: EgressDataPlane.direct()'],
    [{ platform: MaasPlatform.tierBased }, 'invalid platform "tierBased (a factory: call it, e.g. tierBased())": give platform: MaasPlatform.tierBased({...})'],
  ])('%j', (props, message) => {
    expect(() => new MaasEgressGateway(newChart().chart, 'egress', props as any)).toThrow(`[test/egress] ${message}`);
  });
});

describe('the effective maximum per user', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { ManifestSet } = require('../../lib/trace/manifest-set');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { traceRequest } = require('../../lib/trace/tracer');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { diffOutputs } = require('../../lib/trace/differ');

  function output(providers: string[]) {
    const { app: a, chart } = newChart();
    const egress = new MaasEgressGateway(chart, 'egress');
    for (const p of providers) egress.addProvider(p, { endpoint: tlsVllm(`${p}.example.com`), credential: key, models: [`${p}-m`] });
    new TierTokenBudget(chart, 'budget', { target: BudgetTarget.allProviders(egress), limits: [{ tier: 'free', tokens: 10 }] });
    return new ManifestSet(synth(a));
  }

  test('trace states what one user can spend across all routes, since each route counts apart', () => {
    const result = traceRequest(output(['p', 'q', 'r']), { method: 'POST', path: '/external/p/v1/chat/completions', user: 'u', tier: 'free', body: Buffer.from('{"model":"p-m"}') });
    expect(result.tierMaximum).toBe('tier free: at most 30 tokens per 1m over 3 limit(s) on the MaaS gateway\'s routes, per user');
  });

  test('diff reports a changed scope as a change of meaning', () => {
    const diff = diffOutputs(output(['p', 'q']), output(['p', 'q', 'r']));
    const scope = diff.subjects.flatMap((s: any) => s.changes).filter((c: any) => c.aspect === 'scope' && c.caller === 'tier free');
    expect(scope.length).toBeGreaterThan(0);
    expect(scope[0]).toEqual(expect.objectContaining({
      old: 'tier free: at most 20 tokens per 1m over 2 limit(s) on the MaaS gateway\'s routes, per user',
      new: 'tier free: at most 30 tokens per 1m over 3 limit(s) on the MaaS gateway\'s routes, per user',
    }));
  });
});
