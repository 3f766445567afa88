import { App, Chart } from 'cdk8s';
import {
  BackendTls,
  BudgetTarget,
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
  /**
   * Secret in the egress namespace with the public CAs (key `ca.crt`).
   * @default 'public-ca-bundle'
   */
  readonly caBundleSecret?: string;
}

/**
 * OpenAI, Anthropic and Gemini reached over verified TLS through the egress
 * gateway. Their keys live in Vault (KV v2, `secret/maas/providers/<name>`,
 * field `api_key`) and are fetched by Authorino at request time, so nothing in
 * these manifests is a credential. Same tier budget as the demo.
 */
export function createApp(options: RealProvidersOptions = {}): App {
  const app = new App();
  const chart = new Chart(app, 'real-providers');

  const egress = new MaasEgressGateway(chart, 'egress', { controller: {} });
  // Created outside Git (see README, "Connect a real provider").
  const tls = BackendTls.verified({ caBundleSecret: egress.declareExistingSecret(options.caBundleSecret ?? 'public-ca-bundle') });
  const vaultKey = (provider: string) => ProviderCredential.fromVault({
    address: options.vaultAddress ?? 'https://vault.vault.svc:8200',
    path: `maas/providers/${provider}`,
    tokenSecret: { name: options.vaultTokenSecret ?? 'vault-provider-keys-token' },
  });

  egress.addProvider('openai', {
    endpoint: ProviderEndpoint.openAi({ tls }),
    credential: vaultKey('openai'),
    models: ['gpt-4o', 'gpt-4o-mini'],
  });
  egress.addProvider('anthropic', {
    endpoint: ProviderEndpoint.anthropic({ tls }),
    credential: vaultKey('anthropic'),
    models: ['claude-sonnet-4-5', 'claude-haiku-4-5'],
  });
  egress.addProvider('gemini', {
    endpoint: ProviderEndpoint.gemini({ tls }),
    credential: vaultKey('gemini'),
    models: ['gemini-2.5-flash', 'gemini-2.5-pro'],
  });

  new TierTokenBudget(chart, 'tier-tokens', {
    target: BudgetTarget.allProviders(egress),
    limits: [{ tier: 'free', tokens: 100, window: '1m' }],
  });
  return app;
}

if (require.main === module) createApp().synth();
