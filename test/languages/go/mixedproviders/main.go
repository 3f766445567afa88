// The mixed-providers intent (apps/mixed-providers/main.ts) in Go, through the
// library's jsii package; scripts/cross-language.js compares its output with the
// TypeScript app's, byte for byte. Argument: the output directory.
package main

import (
	"os"

	"example.invalid/cdk8s-maas-egress/maasegress"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
)

func main() {
	defer jsii.Close()
	app := cdk8s.NewApp(&cdk8s.AppProps{Outdir: jsii.String(os.Args[1])})
	chart := cdk8s.NewChart(app, jsii.String("mixed-providers"), nil)
	egress := maasegress.NewMaasEgressGateway(chart, jsii.String("egress"), &maasegress.MaasEgressGatewayProps{
		DataPlane: maasegress.EgressDataPlane_WgAiGateway(&maasegress.WgAiGatewayPlaneProps{Controller: &maasegress.WgAiGatewayControllerProps{}}),
	})
	openaiSim := maasegress.NewProviderSimulator(chart, jsii.String("openai-simulator"), &maasegress.ProviderSimulatorProps{
		Model: jsii.String("gpt-4"), ApiKey: maasegress.ProviderCredential_DemoLiteral(jsii.String("sk-openai-key-for-demo")),
	})
	egress.AddProvider(jsii.String("openai"), &maasegress.ExternalProviderOptions{
		Endpoint: openaiSim.Endpoint(), Credential: openaiSim.ApiKey(), Models: jsii.Strings(*openaiSim.Model()),
		UnsafeAllowKeyOverPlainHttp: jsii.Bool(true),
	})
	anthropicSim := maasegress.NewProviderSimulator(chart, jsii.String("anthropic-simulator"), &maasegress.ProviderSimulatorProps{
		Model: jsii.String("claude-3-sonnet"), ApiKey: maasegress.ProviderCredential_DemoLiteral(jsii.String("sk-ant-claude-key-for-demo")),
	})
	egress.AddProvider(jsii.String("anthropic"), &maasegress.ExternalProviderOptions{
		Endpoint: anthropicSim.Endpoint(), Credential: anthropicSim.ApiKey(), Models: jsii.Strings(*anthropicSim.Model()),
		UnsafeAllowKeyOverPlainHttp: jsii.Bool(true),
	})
	egress.AddProvider(jsii.String("vllm"), &maasegress.ExternalProviderOptions{
		Endpoint:   maasegress.ProviderEndpoint_Vllm(&maasegress.VllmEndpointProps{Hostname: jsii.String("ec2-34-202-9-189.compute-1.amazonaws.com")}),
		Credential: maasegress.ProviderCredential_DemoLiteral(jsii.String("change-me-super-secret")),
		Models:     jsii.Strings("Qwen/Qwen3-0.6B"), UnsafeAllowKeyOverPlainHttp: jsii.Bool(true),
	})
	maasegress.NewSimulatedOnPremModel(chart, jsii.String("on-prem-model"), nil)
	maasegress.NewTierTokenBudget(chart, jsii.String("tier-tokens"), &maasegress.TierTokenBudgetProps{
		Target: maasegress.BudgetTarget_AllProviders(egress),
		Limits: &[]*maasegress.TierLimit{{Tier: jsii.String("free"), Tokens: jsii.Number(100), Window: jsii.String("1m")}},
	})
	app.Synth()
}
