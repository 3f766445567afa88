import { App, Chart } from 'cdk8s';
import {
  BudgetTarget,
  EgressDataPlane,
  MaasEgressGateway,
  SimulatedOnPremModel,
  TierTokenBudget,
} from '../../lib';
import { addSeedProviders } from '../shared/seed-providers';

/** Options of the mixed-providers demo. */
export interface MixedProvidersOptions {
  /** Host of the remote vLLM server (default: the proof of concept's). */
  readonly vllmHost?: string;
}

/**
 * The proof of concept's demo: OpenAI and Anthropic simulators, a remote vLLM
 * and an on-prem simulated model behind one MaaS gateway, with a free-tier
 * token budget of 100 tokens per minute.
 */
export function createApp(options: MixedProvidersOptions = {}): App {
  const app = new App();
  const chart = new Chart(app, 'mixed-providers');

  const egress = new MaasEgressGateway(chart, 'egress', {
    dataPlane: EgressDataPlane.wgAiGateway({ controller: {} }),
  });

  addSeedProviders(chart, egress, options.vllmHost);

  new SimulatedOnPremModel(chart, 'on-prem-model');

  new TierTokenBudget(chart, 'tier-tokens', {
    target: BudgetTarget.allProviders(egress),
    limits: [{ tier: 'free', tokens: 100, window: '1m' }],
  });
  return app;
}

if (require.main === module) createApp().synth();
