// Package openshiftenv gives this process the pilot environment that
// OpenShift's cluster-ingress-operator sets on istiod
// (pkg/operator/controller/gatewayclass/istio_olm.go gatewayAPIPilotEnv).
//
// Istio reads these variables while its packages initialize
// (pilot/pkg/features), and some tables are derived from them at init (the
// gateway class table, classInfos in pilot/pkg/config/kube/gateway at 1.27).
// Go initializes packages in import-path order among those whose imports are
// done (Go spec, "Package initialization"); this package imports only the
// standard library and its path sorts before istio.io/..., so its init runs
// before any Istio package reads the environment. Values already present in
// the environment are kept.
package openshiftenv

import "os"

// Env is the pilot environment of OpenShift's istiod (OCP 4.19-4.21).
var Env = map[string]string{
	"PILOT_ENABLE_GATEWAY_API":                         "true",
	"PILOT_ENABLE_ALPHA_GATEWAY_API":                   "false",
	"PILOT_ENABLE_GATEWAY_API_STATUS":                  "true",
	"PILOT_ENABLE_GATEWAY_API_DEPLOYMENT_CONTROLLER":   "true",
	"PILOT_ENABLE_GATEWAY_API_GATEWAYCLASS_CONTROLLER": "false",
	"PILOT_GATEWAY_API_DEFAULT_GATEWAYCLASS_NAME":      "openshift-default",
	"PILOT_GATEWAY_API_CONTROLLER_NAME":                "openshift.io/gateway-controller/v1",
	"PILOT_MULTI_NETWORK_DISCOVER_GATEWAY_API":         "false",
	"ENABLE_GATEWAY_API_MANUAL_DEPLOYMENT":             "false",
	"PILOT_ENABLE_GATEWAY_API_CA_CERT_ONLY":            "true",
	"PILOT_ENABLE_GATEWAY_API_COPY_LABELS_ANNOTATIONS": "false",
}

func init() {
	for k, v := range Env {
		if _, ok := os.LookupEnv(k); !ok {
			_ = os.Setenv(k, v)
		}
	}
}
