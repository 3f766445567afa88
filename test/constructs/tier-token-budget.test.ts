import { BudgetTarget, GatewayReference, MaasEgressGateway, MaasPlatform, ProviderCredential, ProviderEndpoint, TierTokenBudget, EgressDataPlane } from '../../lib';
import { find, newChart, ofKind, synth } from '../helpers';

const provider = (gateway: MaasEgressGateway, name: string) => gateway.addProvider(name, { unsafeAllowKeyOverPlainHttp: true,
  endpoint: ProviderEndpoint.vllm({ hostname: `${name}.example` }),
  credential: ProviderCredential.demoLiteral('k'),
  models: [`${name}-model`],
});

describe('TierTokenBudget', () => {
  test('defaults to the MaaS tiers, one limit per tier counted per user', () => {
    const { app, chart } = newChart();
    const gateway = new MaasEgressGateway(chart, 'egress', { dataPlane: EgressDataPlane.wgAiGateway() });
    new TierTokenBudget(chart, 'tokens', { target: BudgetTarget.providers(provider(gateway, 'a')) });
    const policy = find(synth(app), 'TokenRateLimitPolicy', 'tokens-a', 'maas-egress');
    expect(policy.spec.targetRef).toEqual({ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'a-bridge' });
    expect(Object.keys(policy.spec.limits).sort()).toEqual(['enterprise-user-tokens', 'free-user-tokens', 'premium-user-tokens', 'unknown-tier-tokens']);
    expect(policy.spec.limits['premium-user-tokens']).toEqual({
      rates: [{ limit: 50000, window: '1m' }],
      when: [{ predicate: 'auth.identity.tier == "premium" && !request.path.endsWith("/v1/models")' }],
      counters: [{ expression: 'auth.identity.userid' }],
    });
    expect(policy.spec.limits['enterprise-user-tokens'].rates).toEqual([{ limit: 100000, window: '1m' }]);
    expect(policy.spec.limits['free-user-tokens'].rates).toEqual([{ limit: 100, window: '1m' }]);
  });

  test('allProviders covers providers added after the budget', () => {
    const { app, chart } = newChart();
    const gateway = new MaasEgressGateway(chart, 'egress', {
      dataPlane: EgressDataPlane.wgAiGateway(),
      platform: MaasPlatform.tierBased({ tiers: [{ tier: 'gold', tokens: 70 }] }),
    });
    provider(gateway, 'early');
    const budget = new TierTokenBudget(chart, 'tokens', { target: BudgetTarget.allProviders(gateway), limits: [{ tier: 'gold', tokens: 7, window: '2h' }] });
    provider(gateway, 'late');
    expect(budget.policyCount).toBe(2);
    const names = ofKind(synth(app), 'TokenRateLimitPolicy').map((p) => p.metadata.name).sort();
    expect(names).toEqual(['tokens-early', 'tokens-late']);
    // the default policies of both providers gave way to the budget's
    expect(names.filter((n) => n.endsWith('-bridge-tokens'))).toEqual([]);
  });

  test('BudgetTarget.providers() with no provider fails at construction (no policy would mean unlimited tokens)', () => {
    const { chart } = newChart();
    expect(() => new TierTokenBudget(chart, 'tokens', { target: BudgetTarget.providers() })).toThrow(
      '[test/tokens] invalid budget target "BudgetTarget.providers()": name at least one provider '
      + '(BudgetTarget.providers(gateway.addProvider(...))), or use BudgetTarget.allProviders(gateway)');
  });

  test('allProviders on a gateway that never gets a provider fails at synth, naming the budget and the gateway', () => {
    const { app, chart } = newChart();
    const gateway = new MaasEgressGateway(chart, 'egress');
    new TierTokenBudget(chart, 'tokens', { target: BudgetTarget.allProviders(gateway) });
    const message = '[test/tokens] invalid budget target BudgetTarget.allProviders(test/egress): that gateway has no provider, '
      + 'so the budget limits nothing; add a provider with gateway.addProvider(...), or remove the budget';
    expect(() => synth(app)).toThrow(message);
    expect(() => app.synth()).toThrow(message);
    provider(gateway, 'late');
    expect(ofKind(synth(app), 'TokenRateLimitPolicy').map((p) => p.metadata.name)).toEqual(['tokens-late']);
  });

  test('can target a whole gateway', () => {
    const { app, chart } = newChart();
    new TierTokenBudget(chart, 'gateway-tokens', { target: BudgetTarget.gateway(GatewayReference.maasDefault()), limits: [{ tier: 'free', tokens: 10 }] });
    const policy = find(synth(app), 'TokenRateLimitPolicy', 'gateway-tokens', 'openshift-ingress');
    expect(policy.spec.targetRef).toEqual({ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'maas-default-gateway' });
  });
});
