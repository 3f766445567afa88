// A data plane written in Go against the library's public contracts
// (IEgressDataPlane, IDataPlaneBinding): every provider through one forward
// proxy Service. Synthesizes into the outdir given as argument; the
// cross-language test reads the provider's route and the proxy Service back.
package main

import (
	"os"

	"example.invalid/cdk8s-maas-egress/maasegress"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
)

// jsii keeps Go objects it calls back by address: pass pointers, and give each struct a field (distinct addresses)
type forwardProxyPlane struct{ kind string }

func (p *forwardProxyPlane) Kind() *string { return jsii.String(p.kind) }

func (p *forwardProxyPlane) Bind(gateway maasegress.IEgressGateway) maasegress.IDataPlaneBinding {
	// the gateway is an IConstruct here, and Go's NewApiObject takes a Construct: the plane's objects join the gateway's chart
	proxy := cdk8s.NewApiObject(cdk8s.Chart_Of(gateway), jsii.String("ForwardProxy"), &cdk8s.ApiObjectProps{
		ApiVersion: jsii.String("v1"), Kind: jsii.String("Service"),
		Metadata: &cdk8s.ApiObjectMetadata{Name: jsii.String("forward-proxy"), Namespace: gateway.Namespace()},
	})
	proxy.AddJsonPatch(cdk8s.JsonPatch_Add(jsii.String("/spec"), map[string]interface{}{
		"selector": map[string]interface{}{"app": "forward-proxy"},
		"ports":    []interface{}{map[string]interface{}{"name": "http", "port": 3128}},
	}))
	return &forwardProxyBinding{namespace: *gateway.Namespace()}
}

type forwardProxyBinding struct{ namespace string }

func (b *forwardProxyBinding) ProxyNamespace() *string { return jsii.String(b.namespace) }

func (b *forwardProxyBinding) MaasRouteRule(provider maasegress.IExternalProvider) *maasegress.RouteRule {
	return &maasegress.RouteRule{
		Matches:     &[]interface{}{map[string]interface{}{"path": map[string]interface{}{"type": "PathPrefix", "value": *provider.PublicPathPrefix() + "v1/"}}},
		Filters:     &[]interface{}{map[string]interface{}{"type": "URLRewrite", "urlRewrite": map[string]interface{}{"hostname": *provider.Endpoint().Hostname()}}},
		BackendRefs: &[]interface{}{map[string]interface{}{"name": "forward-proxy", "namespace": b.namespace, "port": 3128}},
	}
}

func (b *forwardProxyBinding) AddProvider(maasegress.IExternalProvider) {}

func (b *forwardProxyBinding) BackendName(maasegress.IExternalProvider) *string {
	return jsii.String("forward-proxy")
}

func (b *forwardProxyBinding) EgressRouteName(maasegress.IExternalProvider) *string { return nil }

func (b *forwardProxyBinding) UnifiedRouteRule(maasegress.IUnifiedModelEndpoint) *maasegress.RouteRule {
	panic("the forward proxy serves no unified endpoint")
}

func (b *forwardProxyBinding) AddUnifiedRoute(maasegress.IUnifiedModelEndpoint, maasegress.IExternalProvider) {
}

func main() {
	defer jsii.Close()
	app := cdk8s.NewApp(&cdk8s.AppProps{Outdir: jsii.String(os.Args[1])})
	egress := maasegress.NewMaasEgressGateway(cdk8s.NewChart(app, jsii.String("custom-plane"), nil), jsii.String("egress"),
		&maasegress.MaasEgressGatewayProps{DataPlane: &forwardProxyPlane{kind: "forward-proxy"}})
	egress.AddProvider(jsii.String("openai"), &maasegress.ExternalProviderOptions{
		Endpoint: maasegress.ProviderEndpoint_OpenAi(nil), Credential: maasegress.ProviderCredential_DemoLiteral(jsii.String("sk-demo-only")),
		Models: jsii.Strings("gpt-4o"), UnsafeAllowKeyOverPlainHttp: jsii.Bool(true),
	})
	app.Synth()
}
