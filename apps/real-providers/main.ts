import { App, Chart } from 'cdk8s';
import {
  BudgetTarget,
  EgressDataPlane,
  MaasEgressGateway,
  ProviderCredential,
  ProviderEndpoint,
  TierTokenBudget,
} from '../../lib';

/** Options of the real-providers stack. */
export interface RealProvidersOptions {
  /**
   * Vault address as Authorino reaches it.
   * @default 'https://vault.vault.svc:8200'
   */
  readonly vaultAddress?: string;
  /**
   * Secret in Authorino's namespace holding the Vault token (key `token`).
   * @default 'vault-provider-keys-token'
   */
  readonly vaultTokenSecret?: string;
}

/**
 * OpenAI, Anthropic and Gemini reached through a dedicated Istio egress
 * gateway over TLS checked by chain (system trust store) and by name. Their
 * keys live in Vault (KV v2, `secret/maas/providers/<name>`, field `api_key`)
 * and are fetched by Authorino at request time, so nothing in these manifests
 * is a credential. Every model is also served at `/v1/chat/completions`,
 * routed by the body's `model`. Same tier budget as the demo.
 */
export function createApp(options: RealProvidersOptions = {}): App {
  const app = new App();
  const chart = new Chart(app, 'real-providers');

  const egress = new MaasEgressGateway(chart, 'egress', { dataPlane: EgressDataPlane.istioGateway() });
  const vaultKey = (provider: string) => ProviderCredential.fromVault({
    address: options.vaultAddress ?? 'https://vault.vault.svc:8200',
    path: `maas/providers/${provider}`,
    tokenSecret: { name: options.vaultTokenSecret ?? 'vault-provider-keys-token' },
  });

  egress.addProvider('openai', {
    endpoint: ProviderEndpoint.openAi(),
    credential: vaultKey('openai'),
    models: ['gpt-4o', 'gpt-4o-mini'],
  });
  egress.addProvider('anthropic', {
    endpoint: ProviderEndpoint.anthropic(),
    credential: vaultKey('anthropic'),
    models: ['claude-sonnet-4-5', 'claude-haiku-4-5'],
  });
  egress.addProvider('gemini', {
    endpoint: ProviderEndpoint.gemini(),
    credential: vaultKey('gemini'),
    models: ['gemini-2.5-flash', 'gemini-2.5-pro'],
  });

  const free = [{ tier: 'free', tokens: 100, window: '1m' }];
  egress.addUnifiedEndpoint({ tierBudgets: free });
  new TierTokenBudget(chart, 'tier-tokens', { target: BudgetTarget.allProviders(egress), limits: free });
  return app;
}

if (require.main === module) createApp().synth();
