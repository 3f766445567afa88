// The mixed-providers intent (apps/mixed-providers/main.ts) in Java, through the
// library's jsii package; scripts/cross-language.js compares its output with the
// TypeScript app's, byte for byte. Argument: the output directory.
package languages;

import io.github.cdk8s.maas.egress.BudgetTarget;
import io.github.cdk8s.maas.egress.EgressDataPlane;
import io.github.cdk8s.maas.egress.ExternalProviderOptions;
import io.github.cdk8s.maas.egress.MaasEgressGateway;
import io.github.cdk8s.maas.egress.ProviderCredential;
import io.github.cdk8s.maas.egress.ProviderEndpoint;
import io.github.cdk8s.maas.egress.ProviderSimulator;
import io.github.cdk8s.maas.egress.SimulatedOnPremModel;
import io.github.cdk8s.maas.egress.TierLimit;
import io.github.cdk8s.maas.egress.TierTokenBudget;
import io.github.cdk8s.maas.egress.VllmEndpointProps;
import io.github.cdk8s.maas.egress.WgAiGatewayControllerProps;
import io.github.cdk8s.maas.egress.WgAiGatewayPlaneProps;
import java.util.List;
import org.cdk8s.App;
import org.cdk8s.AppProps;
import org.cdk8s.Chart;

public final class MixedProviders {
  public static void main(final String[] args) {
    App app = new App(AppProps.builder().outdir(args[0]).build());
    Chart chart = new Chart(app, "mixed-providers");
    MaasEgressGateway egress = MaasEgressGateway.Builder.create(chart, "egress")
        .dataPlane(EgressDataPlane.wgAiGateway(WgAiGatewayPlaneProps.builder().controller(WgAiGatewayControllerProps.builder().build()).build()))
        .build();
    ProviderSimulator openaiSim = ProviderSimulator.Builder.create(chart, "openai-simulator")
        .model("gpt-4").apiKey(ProviderCredential.demoLiteral("sk-openai-key-for-demo")).build();
    egress.addProvider("openai", ExternalProviderOptions.builder().endpoint(openaiSim.endpoint()).credential(openaiSim.getApiKey())
        .models(List.of(openaiSim.getModel())).unsafeAllowKeyOverPlainHttp(true).build());
    ProviderSimulator anthropicSim = ProviderSimulator.Builder.create(chart, "anthropic-simulator")
        .model("claude-3-sonnet").apiKey(ProviderCredential.demoLiteral("sk-ant-claude-key-for-demo")).build();
    egress.addProvider("anthropic", ExternalProviderOptions.builder().endpoint(anthropicSim.endpoint()).credential(anthropicSim.getApiKey())
        .models(List.of(anthropicSim.getModel())).unsafeAllowKeyOverPlainHttp(true).build());
    egress.addProvider("vllm", ExternalProviderOptions.builder()
        .endpoint(ProviderEndpoint.vllm(VllmEndpointProps.builder().hostname("ec2-34-202-9-189.compute-1.amazonaws.com").build()))
        .credential(ProviderCredential.demoLiteral("change-me-super-secret")).models(List.of("Qwen/Qwen3-0.6B"))
        .unsafeAllowKeyOverPlainHttp(true).build());
    new SimulatedOnPremModel(chart, "on-prem-model");
    TierTokenBudget.Builder.create(chart, "tier-tokens").target(BudgetTarget.allProviders(egress))
        .limits(List.of(TierLimit.builder().tier("free").tokens(100).window("1m").build())).build();
    app.synth();
  }
}
