# A data plane written in Python against the library's public contracts
# (IEgressDataPlane, IDataPlaneBinding): every provider through one forward
# proxy Service. Synthesizes into the outdir given as argument; the
# cross-language test reads the provider's route and the proxy Service back.
import sys
import jsii
from cdk8s import ApiObject, App, Chart, JsonPatch
from cdk8s_maas_egress import (
    IDataPlaneBinding, IEgressDataPlane, MaasEgressGateway, ProviderCredential, ProviderEndpoint, RouteRule,
)


@jsii.implements(IDataPlaneBinding)
class ForwardProxyBinding:
    def __init__(self, gateway):
        self._namespace = gateway.namespace
        proxy = ApiObject(gateway, "ForwardProxy", api_version="v1", kind="Service",
                          metadata={"name": "forward-proxy", "namespace": gateway.namespace})
        proxy.add_json_patch(JsonPatch.add("/spec", {"selector": {"app": "forward-proxy"}, "ports": [{"name": "http", "port": 3128}]}))

    @property
    def proxy_namespace(self):
        return self._namespace

    def maas_route_rule(self, provider):
        return RouteRule(
            matches=[{"path": {"type": "PathPrefix", "value": provider.public_path_prefix + "v1/"}}],
            filters=[{"type": "URLRewrite", "urlRewrite": {"hostname": provider.endpoint.hostname}}],
            backend_refs=[{"name": "forward-proxy", "namespace": self._namespace, "port": 3128}],
        )

    def add_provider(self, provider):
        pass

    def backend_name(self, provider):
        return "forward-proxy"

    def egress_route_name(self, provider):
        return None

    def unified_route_rule(self, endpoint):
        raise Exception("the forward proxy serves no unified endpoint")

    def add_unified_route(self, endpoint, provider):
        pass


@jsii.implements(IEgressDataPlane)
class ForwardProxyPlane:
    @property
    def kind(self):
        return "forward-proxy"

    def bind(self, gateway):
        return ForwardProxyBinding(gateway)


app = App(outdir=sys.argv[1])
egress = MaasEgressGateway(Chart(app, "custom-plane"), "egress", data_plane=ForwardProxyPlane())
egress.add_provider("openai", endpoint=ProviderEndpoint.open_ai(), credential=ProviderCredential.demo_literal("sk-demo-only"),
                    models=["gpt-4o"], unsafe_allow_key_over_plain_http=True)
app.synth()
