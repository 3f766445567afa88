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

/** Options of the current-maas stack. */
export interface CurrentMaasOptions {
  /**
   * External Secrets store that reads the provider keys from Vault.
   * @default 'vault-provider-keys' (a ClusterSecretStore)
   */
  readonly keyStore?: string;
  /**
   * The MaaS release on the cluster.
   * @default the library's default release
   */
  readonly release?: string;
}

/**
 * The demo's intent on current (subscription-based) MaaS, with providers the
 * payload processor can reach (TLS on 443): OpenAI, Anthropic and Gemini
 * through their OpenAI-compatible APIs, each key synced from Vault by External
 * Secrets, and the free-tier budget as MaaSSubscriptions. Model ids are the
 * providers' own (dots are fine); MaaS and the payload processor create the
 * routes and Kuadrant policies themselves.
 */
export function createApp(options: CurrentMaasOptions = {}): App {
  const app = new App();
  const chart = new Chart(app, 'current-maas');

  const egress = new MaasEgressGateway(chart, 'egress', {
    namespace: 'llm',
    platform: MaasPlatform.subscriptionBased({
      release: options.release,
      keyStore: SecretStoreRef.cluster(options.keyStore ?? 'vault-provider-keys'),
    }),
  });
  const vaultKey = (provider: string) => ProviderCredential.fromVault({
    address: 'https://vault.vault.svc:8200',
    path: `maas/providers/${provider}`,
    tokenSecret: { name: 'vault-provider-keys-token' },
  });
  egress.addProvider('openai', { endpoint: ProviderEndpoint.openAi(), credential: vaultKey('openai'), models: ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1'] });
  egress.addProvider('anthropic', { endpoint: ProviderEndpoint.anthropic(), credential: vaultKey('anthropic'), models: ['claude-sonnet-4-5'] });
  const gemini = egress.addProvider('gemini', { endpoint: ProviderEndpoint.gemini(), credential: vaultKey('gemini'), models: ['gemini-2.5-pro'] });
  egress.addModel('gemini-2.5-flash', { routes: [{ provider: gemini }], displayName: 'Gemini 2.5 Flash' });

  new TierTokenBudget(chart, 'tier-tokens', {
    target: BudgetTarget.allProviders(egress),
    limits: [{ tier: 'free', tokens: 100, window: '1m' }],
  });
  return app;
}

if (require.main === module) createApp().synth();
