// The library's checks from Java: a bad input and an object that violates its
// CRD schema are refused with the library's messages. Prints one line per case
// (the whole message on that line). Argument: the output directory.
package languages;

import io.github.cdk8s.maas.egress.ExternalProviderOptions;
import io.github.cdk8s.maas.egress.MaasEgressGateway;
import io.github.cdk8s.maas.egress.ProviderCredential;
import io.github.cdk8s.maas.egress.ProviderEndpoint;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.cdk8s.ApiObject;
import org.cdk8s.ApiObjectMetadata;
import org.cdk8s.App;
import org.cdk8s.AppProps;
import org.cdk8s.Chart;
import org.cdk8s.JsonPatch;

public final class Refusals {
  private static String message(final Runnable build) {
    try {
      build.run();
    } catch (RuntimeException error) { // jsii throws the JavaScript Error as a JsiiError
      return Stream.of(String.valueOf(error.getMessage()).split("\n")).map(String::strip).collect(Collectors.joining(" "));
    }
    return "no error";
  }

  public static void main(final String[] args) {
    System.out.println(message(() -> {
      MaasEgressGateway egress = new MaasEgressGateway(new Chart(new App(AppProps.builder().outdir(args[0]).build()), "app"), "egress");
      egress.addProvider("OpenAI", ExternalProviderOptions.builder().endpoint(ProviderEndpoint.openAi())
          .credential(ProviderCredential.demoLiteral("k")).models(List.of("m")).build());
    }));
    System.out.println(message(() -> {
      App app = new App(AppProps.builder().outdir(args[0]).build());
      Chart chart = new Chart(app, "app");
      new MaasEgressGateway(chart, "egress");
      ApiObject typo = ApiObject.Builder.create(chart, "typo").apiVersion("kuadrant.io/v1").kind("AuthPolicy")
          .metadata(ApiObjectMetadata.builder().name("typo").namespace("maas-egress").build()).build();
      typo.addJsonPatch(JsonPatch.add("/spec", Map.of(
          "targetRef", Map.of("group", "gateway.networking.k8s.io", "kind", "HTTPRoute", "name", "r"),
          "unknownField", true)));
      app.synth();
    }));
  }
}
