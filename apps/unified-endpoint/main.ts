import { App, Chart } from 'cdk8s';
import {
  BudgetTarget,
  MaasEgressGateway,
  ProviderCredential,
  ProviderEndpoint,
  ProviderSimulator,
  TierLimit,
  TierTokenBudget,
} from '../../lib';

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

  const egress = new MaasEgressGateway(chart, 'egress', { controller: {} });

  const openaiSim = new ProviderSimulator(chart, 'openai-simulator', {
    model: 'gpt-4',
    apiKey: ProviderCredential.demoLiteral('sk-openai-key-for-demo'),
  });
  egress.addProvider('openai', { endpoint: openaiSim.endpoint(), credential: openaiSim.apiKey, models: [openaiSim.model] });

  const anthropicSim = new ProviderSimulator(chart, 'anthropic-simulator', {
    model: 'claude-3-sonnet',
    apiKey: ProviderCredential.demoLiteral('sk-ant-claude-key-for-demo'),
  });
  egress.addProvider('anthropic', { endpoint: anthropicSim.endpoint(), credential: anthropicSim.apiKey, models: [anthropicSim.model] });

  egress.addProvider('vllm', {
    endpoint: ProviderEndpoint.vllm({ hostname: options.vllmHost ?? 'ec2-34-202-9-189.compute-1.amazonaws.com' }),
    credential: ProviderCredential.demoLiteral('change-me-super-secret'),
    models: ['Qwen/Qwen3-0.6B'],
  });

  egress.addUnifiedEndpoint({
    tierBudgets: TIER_BUDGETS,
    requestLimits: [{ requests: 5, window: '1m' }],
  });

  new TierTokenBudget(chart, 'tier-tokens', { target: BudgetTarget.allProviders(egress), limits: TIER_BUDGETS });
  return app;
}

if (require.main === module) createApp().synth();
