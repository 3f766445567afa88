import { Construct } from 'constructs';
import { MaasEgressGateway, ProviderCredential, ProviderEndpoint, ProviderSimulator } from '../../lib';

/** The proof of concept's remote vLLM host. */
export const SEED_VLLM_HOST = 'ec2-34-202-9-189.compute-1.amazonaws.com';

/**
 * The seed's external providers on `egress`: OpenAI and Anthropic simulators
 * (`gpt-4`, `claude-3-sonnet`) and a remote vLLM (`Qwen/Qwen3-0.6B`), all with
 * the seed's demo keys.
 */
export function addSeedProviders(scope: Construct, egress: MaasEgressGateway, vllmHost: string = SEED_VLLM_HOST): void {
  const openaiSim = new ProviderSimulator(scope, 'openai-simulator', {
    model: 'gpt-4',
    apiKey: ProviderCredential.demoLiteral('sk-openai-key-for-demo'),
  });
  // the simulators and the seed's vLLM serve plain HTTP: their demo keys cross the network in clear text
  egress.addProvider('openai', { endpoint: openaiSim.endpoint(), credential: openaiSim.apiKey, models: [openaiSim.model], unsafeAllowKeyOverPlainHttp: true });

  const anthropicSim = new ProviderSimulator(scope, 'anthropic-simulator', {
    model: 'claude-3-sonnet',
    apiKey: ProviderCredential.demoLiteral('sk-ant-claude-key-for-demo'),
  });
  egress.addProvider('anthropic', {
    endpoint: anthropicSim.endpoint(), credential: anthropicSim.apiKey, models: [anthropicSim.model], unsafeAllowKeyOverPlainHttp: true,
  });

  egress.addProvider('vllm', {
    endpoint: ProviderEndpoint.vllm({ hostname: vllmHost }),
    credential: ProviderCredential.demoLiteral('change-me-super-secret'),
    models: ['Qwen/Qwen3-0.6B'],
    unsafeAllowKeyOverPlainHttp: true,
  });
}
