import { ApiObject } from 'cdk8s';
import {
  BudgetTarget, IEgressGateway, IExternalProvider, IPlatformRealization, IPlatformRealizer, ITierTokenBudget, IUnifiedModelEndpoint,
  MaasEgressGateway, MaasPlatform, ProviderCredential, ProviderEndpoint, TierTokenBudget,
} from '../../lib';
import type { SharedModelOptions } from '../../lib';
import { find, newChart, synth } from '../helpers';

// A platform of a team's own, written against the public contracts: one
// ConfigMap per provider that its own controller reads.
class CatalogRealizer implements IPlatformRealizer {
  public readonly realized: IEgressGateway[] = [];
  public readonly budgets: string[] = [];
  public realize(egress: IEgressGateway): IPlatformRealization {
    this.realized.push(egress);
    const budgets = this.budgets;
    return {
      addProvider(provider: IExternalProvider): void {
        new ApiObject(provider, 'Catalog', {
          apiVersion: 'v1', kind: 'ConfigMap',
          metadata: { name: `${provider.name}-catalog`, namespace: egress.namespace },
          data: { host: provider.endpoint.hostname, models: provider.models.join(',') },
        } as any);
      },
      addProviderBudget(budget: ITierTokenBudget, provider: IExternalProvider): void {
        budgets.push(`${budget.name} on ${provider.name}: ${budget.limits.map((l) => `${l.tier}=${l.tokens}`).join(' ')}`);
      },
      addSharedModel(modelId: string, options: SharedModelOptions): void {
        throw new Error(`${modelId}: the catalog serves each model from one provider (${options.routes.length} given)`);
      },
      addUnifiedEndpoint(endpoint: IUnifiedModelEndpoint): void {
        throw new Error(`${endpoint.node.path}: the catalog has no unified endpoint`);
      },
    };
  }
}

function customApp(realizer = new CatalogRealizer()) {
  const { app, chart } = newChart();
  const egress = new MaasEgressGateway(chart, 'egress', { platform: MaasPlatform.custom({ kind: 'catalog', realizer }) });
  return { app, egress, realizer };
}

describe('a platform of a team\'s own (MaasPlatform.custom)', () => {
  test('realizes each egress gateway once and gets every provider and budget', () => {
    const { app, egress, realizer } = customApp();
    expect(egress.platform.kind).toBe('catalog');
    expect(egress.maasGateway.name).toBe('maas-default-gateway');
    const openai = egress.addProvider('openai', { endpoint: ProviderEndpoint.openAi(), credential: ProviderCredential.demoLiteral('demo-key'), models: ['gpt-4o'] });
    new TierTokenBudget(egress, 'budget', { target: BudgetTarget.providers(openai), limits: [{ tier: 'free', tokens: 10 }] });
    expect(realizer.realized).toEqual([egress]);
    expect(realizer.budgets).toEqual(['budget on openai: free=10']);
    expect(find(synth(app), 'ConfigMap', 'openai-catalog', 'maas-egress').data).toEqual({ host: 'api.openai.com', models: 'gpt-4o' });
  });

  test('what it cannot serve it refuses, in its own words', () => {
    const { egress } = customApp();
    const a = egress.addProvider('a', { endpoint: ProviderEndpoint.openAi(), credential: ProviderCredential.demoLiteral('k'), models: ['m'] });
    expect(() => egress.addModel('shared', { routes: [{ provider: a }] })).toThrow('shared: the catalog serves each model from one provider (1 given)');
    expect(() => egress.addUnifiedEndpoint()).toThrow('test/egress/UnifiedEndpoint: the catalog has no unified endpoint');
  });

  test.each([
    ['tier-based', 'invalid custom platform kind "tier-based": give a DNS label that is not one of the library\'s platforms'],
    ['Catalog', 'invalid custom platform kind "Catalog": give a DNS label'],
  ])('a kind of %s is refused, naming the gateway', (kind, message) => {
    expect(() => new MaasEgressGateway(newChart().chart, 'egress', { platform: MaasPlatform.custom({ kind, realizer: new CatalogRealizer() }) }))
      .toThrow(`[test/egress] ${message}`);
  });

  test('a realizer without realize is refused', () => {
    expect(() => new MaasEgressGateway(newChart().chart, 'egress', { platform: MaasPlatform.custom({ kind: 'catalog', realizer: {} as any }) }))
      .toThrow('[test/egress] invalid realizer of custom platform "catalog" {}: give an IPlatformRealizer: an object with realize(egress)');
  });
});
