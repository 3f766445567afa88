import { App, Chart } from 'cdk8s';
import {
  BudgetTarget,
  MaasEgressGateway,
  MaasPlatform,
  ProviderCredential,
  ProviderEndpoint,
  SecretStoreRef,
  TierTokenBudget,
} from '../../lib';
import { addSeedProviders } from '../shared/seed-providers';

/** Options of the current-maas stack. */
export interface CurrentMaasOptions {
  /** Host of the remote vLLM server (default: the proof of concept's). */
  readonly vllmHost?: string;
  /**
   * External Secrets store that reads the provider keys from Vault.
   * @default 'vault-provider-keys' (a ClusterSecretStore)
   */
  readonly keyStore?: string;
}

/**
 * The same intent as the demo, for current (subscription-based) MaaS: the
 * seed's simulators and remote vLLM, OpenAI with its key synced from Vault by
 * External Secrets, `gpt-4o-mini` split 9:1 between OpenAI and the OpenAI
 * simulator, and the free-tier budget as a MaaSSubscription. MaaS creates the
 * routes and Kuadrant policies itself.
 */
export function createApp(options: CurrentMaasOptions = {}): App {
  const app = new App();
  const chart = new Chart(app, 'current-maas');

  const egress = new MaasEgressGateway(chart, 'egress', {
    namespace: 'llm',
    platform: MaasPlatform.subscriptionBased({
      keyStore: SecretStoreRef.cluster(options.keyStore ?? 'vault-provider-keys'),
      // the seed's simulators and vLLM serve plain HTTP (see README, "Teams on current MaaS")
      allowPlaintextProviders: true,
    }),
  });
  addSeedProviders(chart, egress, options.vllmHost);
  const openai = egress.addProvider('openai-api', {
    endpoint: ProviderEndpoint.openAi(),
    credential: ProviderCredential.fromVault({
      address: 'https://vault.vault.svc:8200',
      path: 'maas/providers/openai',
      tokenSecret: { name: 'vault-provider-keys-token' },
    }),
    models: ['gpt-4o'],
  });
  const simulator = egress.providers.find((p) => p.name === 'openai')!;
  egress.addModel('gpt-4o-mini', {
    routes: [
      { provider: openai, weight: 9 },
      { provider: simulator, targetModel: 'gpt-4', weight: 1 },
    ],
  });

  new TierTokenBudget(chart, 'tier-tokens', {
    target: BudgetTarget.allProviders(egress),
    limits: [{ tier: 'free', tokens: 100, window: '1m' }],
  });
  return app;
}

if (require.main === module) createApp().synth();
