import { App, Chart } from 'cdk8s';
import {
  BudgetTarget,
  EgressDataPlane,
  MaasEgressGateway,
  ProviderCredential,
  ProviderEndpoint,
  TierTokenBudget,
} from '../../lib';
import { addSeedProviders } from '../shared/seed-providers';

/** Options of the single-hop stack. */
export interface SingleHopOptions {
  /** Host of the remote vLLM server (default: the proof of concept's). */
  readonly vllmHost?: string;
}

/**
 * The direct data plane: no second gateway. Every provider's route sits on
 * the MaaS gateway and sends straight to the provider: the seed's simulators
 * as in-cluster Services, the remote vLLM and OpenAI through ServiceEntries,
 * OpenAI over TLS checked against the system trust store with its key from
 * Vault. Same tier budget as the demo.
 */
export function createApp(options: SingleHopOptions = {}): App {
  const app = new App();
  const chart = new Chart(app, 'single-hop');

  const egress = new MaasEgressGateway(chart, 'egress', { dataPlane: EgressDataPlane.direct() });
  addSeedProviders(chart, egress, options.vllmHost);
  egress.addProvider('openai-api', {
    endpoint: ProviderEndpoint.openAi(),
    credential: ProviderCredential.fromVault({
      address: 'https://vault.vault.svc:8200',
      path: 'maas/providers/openai',
      tokenSecret: { name: 'vault-provider-keys-token' },
    }),
    models: ['gpt-4o-mini'],
  });

  new TierTokenBudget(chart, 'tier-tokens', {
    target: BudgetTarget.allProviders(egress),
    limits: [{ tier: 'free', tokens: 100, window: '1m' }],
  });
  return app;
}

if (require.main === module) createApp().synth();
