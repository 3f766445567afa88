import { App, Chart } from 'cdk8s';
import {
  BudgetTarget,
  EgressDataPlane,
  MaasEgressGateway,
  TierLimit,
  TierTokenBudget,
} from '../../lib';
import { addSeedProviders } from '../shared/seed-providers';

/** Options of the unified-endpoint demo. */
export interface UnifiedEndpointOptions {
  /** Host of the remote vLLM server (default: the proof of concept's). */
  readonly vllmHost?: string;
}

/** The demo's tier budget, on the per-provider paths and on the unified endpoint alike. */
const TIER_BUDGETS: TierLimit[] = [{ tier: 'free', tokens: 100, window: '1m' }];

/**
 * The seed's providers (OpenAI and Anthropic simulators, a remote vLLM) behind
 * one `/v1/chat/completions` and `/v1/completions` on the MaaS gateway, where
 * the body's `model` picks the provider; 5 requests per minute per user and
 * model, and the demo's tier budget. The per-provider `/external/<name>/`
 * paths stay available.
 */
export function createApp(options: UnifiedEndpointOptions = {}): App {
  const app = new App();
  const chart = new Chart(app, 'unified-endpoint');

  const egress = new MaasEgressGateway(chart, 'egress', {
    dataPlane: EgressDataPlane.wgAiGateway({ controller: {} }),
  });

  addSeedProviders(chart, egress, options.vllmHost);

  egress.addUnifiedEndpoint({
    tierBudgets: TIER_BUDGETS,
    requestLimits: [{ requests: 5, window: '1m' }],
  });

  new TierTokenBudget(chart, 'tier-tokens', { target: BudgetTarget.allProviders(egress), limits: TIER_BUDGETS });
  return app;
}

if (require.main === module) createApp().synth();
