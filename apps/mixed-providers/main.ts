import { App, Chart } from 'cdk8s';
import {
  BudgetTarget,
  MaasEgressGateway,
  ProviderCredential,
  ProviderEndpoint,
  ProviderSimulator,
  SimulatedOnPremModel,
  TierTokenBudget,
} from '../../lib';

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

  new SimulatedOnPremModel(chart, 'on-prem-model');

  new TierTokenBudget(chart, 'tier-tokens', {
    target: BudgetTarget.allProviders(egress),
    limits: [{ tier: 'free', tokens: 100, window: '1m' }],
  });
  return app;
}

if (require.main === module) createApp().synth();
