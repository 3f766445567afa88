# The library's checks from Python: a bad input and an object that violates its
# CRD schema are refused with the library's messages. Prints one line per case
# (the whole message on that line).
import sys
from cdk8s import ApiObject, App, Chart, JsonPatch
from cdk8s_maas_egress import MaasEgressGateway, ProviderCredential, ProviderEndpoint

def message(build):
    try:
        build()
    except Exception as error:  # jsii raises the JavaScript Error as a RuntimeError
        return " ".join(line.strip() for line in str(error).splitlines())
    return "no error"

def bad_name():
    egress = MaasEgressGateway(Chart(App(outdir=sys.argv[1]), "app"), "egress")
    egress.add_provider("OpenAI", endpoint=ProviderEndpoint.open_ai(), credential=ProviderCredential.demo_literal("k"), models=["m"])

def bad_schema():
    app = App(outdir=sys.argv[1])
    chart = Chart(app, "app")
    MaasEgressGateway(chart, "egress")
    typo = ApiObject(chart, "typo", api_version="kuadrant.io/v1", kind="AuthPolicy", metadata={"name": "typo", "namespace": "maas-egress"})
    typo.add_json_patch(JsonPatch.add("/spec", {"targetRef": {"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "name": "r"}, "unknownField": True}))
    app.synth()

print(message(bad_name))
print(message(bad_schema))
