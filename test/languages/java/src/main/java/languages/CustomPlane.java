// A data plane written in Java against the library's public contracts
// (IEgressDataPlane, IDataPlaneBinding): every provider through one forward
// proxy Service. Synthesizes into the outdir given as argument; the
// cross-language test reads the provider's route and the proxy Service back.
package languages;

import io.github.cdk8s.maas.egress.ExternalProviderOptions;
import io.github.cdk8s.maas.egress.IDataPlaneBinding;
import io.github.cdk8s.maas.egress.IEgressDataPlane;
import io.github.cdk8s.maas.egress.IEgressGateway;
import io.github.cdk8s.maas.egress.IExternalProvider;
import io.github.cdk8s.maas.egress.IUnifiedModelEndpoint;
import io.github.cdk8s.maas.egress.MaasEgressGateway;
import io.github.cdk8s.maas.egress.MaasEgressGatewayProps;
import io.github.cdk8s.maas.egress.ProviderCredential;
import io.github.cdk8s.maas.egress.ProviderEndpoint;
import io.github.cdk8s.maas.egress.RouteRule;
import java.util.List;
import java.util.Map;
import org.cdk8s.ApiObject;
import org.cdk8s.ApiObjectMetadata;
import org.cdk8s.App;
import org.cdk8s.AppProps;
import org.cdk8s.Chart;
import org.cdk8s.JsonPatch;

public final class CustomPlane {
  static final class ForwardProxyBinding implements IDataPlaneBinding {
    private final String namespace;

    ForwardProxyBinding(final IEgressGateway gateway) {
      namespace = gateway.getNamespace();
      // the gateway is an IConstruct here, and ApiObject takes a Construct: the plane's objects join the gateway's chart
      ApiObject proxy = ApiObject.Builder.create(Chart.of(gateway), "ForwardProxy").apiVersion("v1").kind("Service")
          .metadata(ApiObjectMetadata.builder().name("forward-proxy").namespace(namespace).build()).build();
      proxy.addJsonPatch(JsonPatch.add("/spec", Map.of(
          "selector", Map.of("app", "forward-proxy"),
          "ports", List.of(Map.of("name", "http", "port", 3128)))));
    }

    @Override
    public String getProxyNamespace() {
      return namespace;
    }

    @Override
    public RouteRule maasRouteRule(final IExternalProvider provider) {
      return RouteRule.builder()
          .matches(List.of(Map.of("path", Map.of("type", "PathPrefix", "value", provider.getPublicPathPrefix() + "v1/"))))
          .filters(List.of(Map.of("type", "URLRewrite", "urlRewrite", Map.of("hostname", provider.getEndpoint().getHostname()))))
          .backendRefs(List.of(Map.of("name", "forward-proxy", "namespace", namespace, "port", 3128)))
          .build();
    }

    @Override
    public void addProvider(final IExternalProvider provider) {
    }

    @Override
    public String backendName(final IExternalProvider provider) {
      return "forward-proxy";
    }

    @Override
    public String egressRouteName(final IExternalProvider provider) {
      return null;
    }

    @Override
    public RouteRule unifiedRouteRule(final IUnifiedModelEndpoint endpoint) {
      throw new UnsupportedOperationException("the forward proxy serves no unified endpoint");
    }

    @Override
    public void addUnifiedRoute(final IUnifiedModelEndpoint endpoint, final IExternalProvider provider) {
    }
  }

  static final class ForwardProxyPlane implements IEgressDataPlane {
    @Override
    public String getKind() {
      return "forward-proxy";
    }

    @Override
    public IDataPlaneBinding bind(final IEgressGateway gateway) {
      return new ForwardProxyBinding(gateway);
    }
  }

  public static void main(final String[] args) {
    App app = new App(AppProps.builder().outdir(args[0]).build());
    MaasEgressGateway egress = new MaasEgressGateway(new Chart(app, "custom-plane"), "egress",
        MaasEgressGatewayProps.builder().dataPlane(new ForwardProxyPlane()).build());
    egress.addProvider("openai", ExternalProviderOptions.builder().endpoint(ProviderEndpoint.openAi())
        .credential(ProviderCredential.demoLiteral("sk-demo-only")).models(List.of("gpt-4o")).unsafeAllowKeyOverPlainHttp(true).build());
    app.synth();
  }
}
