# The mixed-providers intent (apps/mixed-providers/main.ts) in Python, through the
# library's jsii package; scripts/cross-language.js compares its output with the
# TypeScript app's, byte for byte.
import sys
from cdk8s import App, Chart
from cdk8s_maas_egress import (BudgetTarget, EgressDataPlane, MaasEgressGateway, ProviderCredential, ProviderEndpoint,
                               ProviderSimulator, SimulatedOnPremModel, TierLimit, TierTokenBudget, WgAiGatewayControllerProps)

app = App(outdir=sys.argv[1])
chart = Chart(app, "mixed-providers")
egress = MaasEgressGateway(chart, "egress", data_plane=EgressDataPlane.wg_ai_gateway(controller=WgAiGatewayControllerProps()))
openai_sim = ProviderSimulator(chart, "openai-simulator", model="gpt-4", api_key=ProviderCredential.demo_literal("sk-openai-key-for-demo"))
egress.add_provider("openai", endpoint=openai_sim.endpoint(), credential=openai_sim.api_key, models=[openai_sim.model], unsafe_allow_key_over_plain_http=True)
anthropic_sim = ProviderSimulator(chart, "anthropic-simulator", model="claude-3-sonnet", api_key=ProviderCredential.demo_literal("sk-ant-claude-key-for-demo"))
egress.add_provider("anthropic", endpoint=anthropic_sim.endpoint(), credential=anthropic_sim.api_key, models=[anthropic_sim.model], unsafe_allow_key_over_plain_http=True)
egress.add_provider("vllm", endpoint=ProviderEndpoint.vllm(hostname="ec2-34-202-9-189.compute-1.amazonaws.com"),
                    credential=ProviderCredential.demo_literal("change-me-super-secret"), models=["Qwen/Qwen3-0.6B"], unsafe_allow_key_over_plain_http=True)
SimulatedOnPremModel(chart, "on-prem-model")
TierTokenBudget(chart, "tier-tokens", target=BudgetTarget.all_providers(egress), limits=[TierLimit(tier="free", tokens=100, window="1m")])
app.synth()
