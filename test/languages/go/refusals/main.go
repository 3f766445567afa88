// The library's checks from Go: a bad input and an object that violates its CRD
// schema are refused with the library's messages. Prints one line per case (the
// whole message on that line). Argument: the output directory.
package main

import (
	"fmt"
	"os"
	"strings"

	"example.invalid/cdk8s-maas-egress/maasegress"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
)

// message runs build and returns the error it panics with (jsii raises the JavaScript Error as a Go panic), on one line.
func message(build func()) (text string) {
	defer func() {
		if recovered := recover(); recovered != nil {
			lines := strings.Split(fmt.Sprint(recovered), "\n")
			for i := range lines {
				lines[i] = strings.TrimSpace(lines[i])
			}
			text = strings.Join(lines, " ")
		}
	}()
	build()
	return "no error"
}

func main() {
	defer jsii.Close()
	outdir := jsii.String(os.Args[1])
	fmt.Println(message(func() {
		chart := cdk8s.NewChart(cdk8s.NewApp(&cdk8s.AppProps{Outdir: outdir}), jsii.String("app"), nil)
		egress := maasegress.NewMaasEgressGateway(chart, jsii.String("egress"), nil)
		egress.AddProvider(jsii.String("OpenAI"), &maasegress.ExternalProviderOptions{
			Endpoint: maasegress.ProviderEndpoint_OpenAi(nil), Credential: maasegress.ProviderCredential_DemoLiteral(jsii.String("k")),
			Models: jsii.Strings("m"),
		})
	}))
	fmt.Println(message(func() {
		app := cdk8s.NewApp(&cdk8s.AppProps{Outdir: outdir})
		chart := cdk8s.NewChart(app, jsii.String("app"), nil)
		maasegress.NewMaasEgressGateway(chart, jsii.String("egress"), nil)
		typo := cdk8s.NewApiObject(chart, jsii.String("typo"), &cdk8s.ApiObjectProps{
			ApiVersion: jsii.String("kuadrant.io/v1"), Kind: jsii.String("AuthPolicy"),
			Metadata: &cdk8s.ApiObjectMetadata{Name: jsii.String("typo"), Namespace: jsii.String("maas-egress")},
		})
		typo.AddJsonPatch(cdk8s.JsonPatch_Add(jsii.String("/spec"), map[string]interface{}{
			"targetRef":    map[string]interface{}{"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "name": "r"},
			"unknownField": true,
		}))
		app.Synth()
	}))
}
