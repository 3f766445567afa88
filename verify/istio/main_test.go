package main

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"

	"istio.io/istio/pilot/pkg/config/kube/gatewaycommon"
)

// A MaaS gateway of the same shape as shared/reference/maas-tier-era/maas-gateway-api.yaml.
const testMaasGateway = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: maas-default-gateway
  namespace: openshift-ingress
spec:
  gatewayClassName: openshift-default
  listeners:
   - name: http
     hostname: maas.${CLUSTER_DOMAIN}
     port: 80
     protocol: HTTP
     allowedRoutes:
       namespaces:
         from: All
   - name: https
     hostname: maas.${CLUSTER_DOMAIN}
     port: 443
     protocol: HTTPS
     allowedRoutes:
       namespaces:
         from: All
     tls:
       certificateRefs:
       - group: ''
         kind: Secret
         name: ${CERT_NAME}
       mode: Terminate
`

const nsEgress = `apiVersion: v1
kind: Namespace
metadata:
  name: maas-egress
`

func serviceEntry(name, host string, exportTo ...string) string {
	s := `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: ` + name + `
  namespace: maas-egress
spec:
  hosts: [` + host + `]
  location: MESH_EXTERNAL
  ports:
  - {name: https, number: 443, protocol: HTTPS}
  resolution: DNS
`
	if len(exportTo) > 0 {
		s += "  exportTo: [\"" + strings.Join(exportTo, "\", \"") + "\"]\n"
	}
	return s
}

func destinationRule(name, host string, exportTo ...string) string {
	s := `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: ` + name + `
  namespace: maas-egress
spec:
  host: ` + host + `
  trafficPolicy:
    tls:
      mode: SIMPLE
`
	if len(exportTo) > 0 {
		s += "  exportTo: [\"" + strings.Join(exportTo, "\", \"") + "\"]\n"
	}
	return s
}

func bridge(name, prefix, host string, rewriteHost bool) string {
	rw := ""
	if rewriteHost {
		rw = "\n        hostname: " + host
	}
	return `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: ` + name + `
  namespace: maas-egress
spec:
  parentRefs:
  - name: maas-default-gateway
    namespace: openshift-ingress
  rules:
  - backendRefs:
    - group: networking.istio.io
      kind: Hostname
      name: ` + host + `
      port: 443
    filters:
    - type: URLRewrite
      urlRewrite:` + rw + `
        path:
          type: ReplacePrefixMatch
          replacePrefixMatch: /
    matches:
    - path: {type: PathPrefix, value: ` + prefix + `}
    timeouts:
      request: 300s
`
}

const headerGuardWrongSelector = `apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata:
  name: header-guard
  namespace: openshift-ingress
spec:
  workloadSelector:
    labels:
      gateway.networking.k8s.io/gateway-name: maas-gateway
  configPatches:
  - applyTo: HTTP_FILTER
    match:
      context: GATEWAY
      listener:
        filterChain:
          filter:
            name: envoy.filters.network.http_connection_manager
    patch:
      operation: INSERT_FIRST
      value:
        name: envoy.filters.http.lua
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua
          inline_code: |
            -- test header guard
            function envoy_on_request(handle) handle:headers():remove("x-internal") end
`

const egressGateway = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: egress-gateway
  namespace: maas-egress
  annotations:
    networking.istio.io/service-type: ClusterIP
spec:
  gatewayClassName: openshift-default
  listeners:
  - name: http
    port: 8080
    protocol: HTTP
    allowedRoutes:
      namespaces:
        from: Same
`

var (
	sharedOnce sync.Once
	sharedDir  string
)

func testShared(t *testing.T) string {
	sharedOnce.Do(func() {
		d, err := os.MkdirTemp("", "verify-istio-shared-")
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(d, "reference", "maas-tier-era")
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(p, "maas-gateway-api.yaml"), []byte(testMaasGateway), 0o644); err != nil {
			t.Fatal(err)
		}
		sharedDir = d
	})
	return sharedDir
}

func writeApp(t *testing.T, files map[string]string) string {
	t.Helper()
	d := filepath.Join(t.TempDir(), "app")
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	for n, c := range files {
		if err := os.WriteFile(filepath.Join(d, n), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

var setupOnce sync.Once

func check(t *testing.T, kuadrant, semantics string, files map[string]string) appResult {
	t.Helper()
	setupOnce.Do(func() { quiet(); setupFeatures() })
	res := checkApp(writeApp(t, files), options{Shared: testShared(t), Kuadrant: kuadrant, Semantics: semantics})
	for _, p := range res.Problems {
		t.Logf("problem: %s %s: %s", p.File, p.Object, p.Message)
	}
	if res.Summary == nil {
		t.Fatalf("no summary (istio machinery failed)")
	}
	return res
}

func findProblem(res appResult, file, substr string) bool {
	for _, p := range res.Problems {
		if p.File == file && strings.Contains(p.Message, substr) {
			return true
		}
	}
	return false
}

func proxy(t *testing.T, res appResult, name string) proxySummary {
	t.Helper()
	for _, p := range res.Summary.Proxies {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no proxy %s", name)
	return proxySummary{}
}

func routeByName(t *testing.T, p proxySummary, prefix string) routeSummary {
	t.Helper()
	for _, r := range p.Routes {
		if strings.HasPrefix(r.Name, prefix) {
			return r
		}
	}
	t.Fatalf("proxy %s has no route %s*", p.Name, prefix)
	return routeSummary{}
}

func clusterByName(p proxySummary, name string) *clusterSummary {
	for i := range p.Clusters {
		if p.Clusters[i].Name == name {
			return &p.Clusters[i]
		}
	}
	return nil
}

const maasProxy = "openshift-ingress/maas-default-gateway"

// (5) A clean Hostname-backend route: cluster, auto SNI, system CA, rewrites.
func TestCleanHostnameRoute(t *testing.T) {
	res := check(t, "1.5", "1.26", map[string]string{
		"ns.yaml": nsEgress,
		"se.yaml": serviceEntry("openai", "api.openai.com", ".", "openshift-ingress"),
		"dr.yaml": destinationRule("openai", "api.openai.com", ".", "openshift-ingress"),
		"rt.yaml": bridge("openai-bridge", "/external/openai/", "api.openai.com", true),
	})
	// istioctl analyze's IST0128 (TLS SIMPLE without caCertificates) is expected:
	// istiod then verifies against the system CAs (cluster_tls.go), see README.
	for _, p := range res.Problems {
		if !strings.Contains(p.Message, "[IST0128]") {
			t.Errorf("unexpected problem: %s", p.Message)
		}
	}
	if res.Checked != 4 {
		t.Errorf("checked %d objects, want 4", res.Checked)
	}
	p := proxy(t, res, maasProxy)
	r := routeByName(t, p, "maas-egress.openai-bridge.")
	if r.Cluster != "outbound|443||api.openai.com" {
		t.Errorf("cluster %q", r.Cluster)
	}
	if r.HostRewriteLiteral != "api.openai.com" {
		t.Errorf("host rewrite %q", r.HostRewriteLiteral)
	}
	// ReplacePrefixMatch "/" becomes a regex rewrite that drops the prefix (route.go).
	if r.RegexRewrite == nil || r.RegexRewrite.Pattern != `^/external/openai(/?)(.*)` || r.RegexRewrite.Substitution != `/\2` {
		t.Errorf("path rewrite %q %+v", r.PrefixRewrite, r.RegexRewrite)
	}
	if r.Timeout != "5m0s" {
		t.Errorf("timeout %q", r.Timeout)
	}
	c := clusterByName(p, "outbound|443||api.openai.com")
	if c == nil {
		t.Fatalf("no cluster outbound|443||api.openai.com")
	}
	if c.Type != "STRICT_DNS" || len(c.Endpoints) != 1 || c.Endpoints[0].Host != "api.openai.com" || c.Endpoints[0].Port != 443 {
		t.Errorf("cluster %+v", c)
	}
	if c.TLS == nil || c.TLS.SNI != "" || !c.TLS.AutoSNI || !c.TLS.AutoSANValidation || c.TLS.CA != "system" || c.TLS.InsecureSkipVerify {
		t.Errorf("tls %+v", c.TLS)
	}
	// Kuadrant 1.5's wasm sits before the router on the MaaS gateway.
	for k, fl := range p.HTTPFilters {
		if len(fl) < 2 || fl[len(fl)-1] != "envoy.filters.http.router" || fl[len(fl)-2] != "kuadrant-wasm" {
			t.Errorf("listener %s filters %v", k, fl)
		}
	}
}

// (1) ServiceEntry not exported to the gateway's namespace: the route resolves
// (same namespace) but the gateway has no cluster for it.
func TestServiceEntryNotExportedToGateway(t *testing.T) {
	res := check(t, "1.5", "1.26", map[string]string{
		"ns.yaml": nsEgress,
		"se.yaml": serviceEntry("openai", "api.openai.com", "."),
		"rt.yaml": bridge("openai-bridge", "/external/openai/", "api.openai.com", true),
	})
	if !findProblem(res, "rt.yaml", "outbound|443||api.openai.com, which the proxy's CDS does not contain") {
		t.Errorf("missing-cluster problem not reported")
	}
}

// (2) A DestinationRule whose host matches no ServiceEntry.
func TestDestinationRuleWithoutService(t *testing.T) {
	res := check(t, "1.5", "1.26", map[string]string{
		"ns.yaml": nsEgress,
		"dr.yaml": destinationRule("anthropic", "api.anthropic.com"),
	})
	if !findProblem(res, "dr.yaml", "matches no service visible to any gateway proxy") {
		t.Errorf("DestinationRule problem not reported")
	}
}

// (3) A bridge whose rewrite drops the provider hostname: Host stays the MaaS host.
func TestBridgeWithoutHostRewrite(t *testing.T) {
	res := check(t, "1.4", "1.26", map[string]string{
		"ns.yaml": nsEgress,
		"se.yaml": serviceEntry("openai", "api.openai.com", ".", "openshift-ingress"),
		"dr.yaml": destinationRule("openai", "api.openai.com", ".", "openshift-ingress"),
		"rt.yaml": bridge("openai-bridge", "/external/openai/", "api.openai.com", false),
	})
	r := routeByName(t, proxy(t, res, maasProxy), "maas-egress.openai-bridge.")
	if r.Cluster != "outbound|443||api.openai.com" {
		t.Errorf("cluster %q", r.Cluster)
	}
	if r.HostRewriteLiteral != "" || r.AutoHostRewrite {
		t.Errorf("expected no host rewrite, got %q/%v", r.HostRewriteLiteral, r.AutoHostRewrite)
	}
	for _, h := range r.RequestHeadersToAdd {
		if strings.EqualFold(h.Name, "host") || h.Name == ":authority" {
			t.Errorf("unexpected Host header %+v", h)
		}
	}
	// Kuadrant 1.4: the WasmPlugin shows up as an ECDS filter on the MaaS gateway.
	found := false
	for _, fl := range proxy(t, res, maasProxy).HTTPFilters {
		for _, f := range fl {
			if strings.Contains(f, "/openshift-ingress.kuadrant-maas-default-gateway") && strings.HasSuffix(f, " (ECDS)") {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("Kuadrant 1.4 WasmPlugin not in the MaaS gateway's filters")
	}
}

// (4) A Lua EnvoyFilter whose workloadSelector misses the gateway pods.
func TestEnvoyFilterSelectsNoProxy(t *testing.T) {
	res := check(t, "1.5", "1.26", map[string]string{
		"ef.yaml": headerGuardWrongSelector,
	})
	if !findProblem(res, "ef.yaml", "applies to no proxy") {
		t.Errorf("EnvoyFilter problem not reported")
	}
}

// Kuadrant 1.5's EnvoyFilter reaches a second gateway on istiod 1.26 only.
func TestKuadrantEnvoyFilterReachesEgressGateway(t *testing.T) {
	files := map[string]string{"ns.yaml": nsEgress, "gw.yaml": egressGateway}
	res := check(t, "1.5", "1.26", files)
	if !findProblem(res, "", "is applied to gateway proxy maas-egress/egress-gateway too") {
		t.Errorf("Kuadrant leak not reported on 1.26")
	}
	res = check(t, "1.5", "1.27", files)
	if findProblem(res, "", "is applied to gateway proxy maas-egress/egress-gateway too") {
		t.Errorf("Kuadrant leak reported on 1.27")
	}
	if len(proxy(t, res, "maas-egress/egress-gateway").Routes) == 0 && false {
		t.Errorf("unreachable")
	}
}

// internal/openshiftenv must run before Istio's packages initialize: the
// gateway class table pilot derives at init then knows OpenShift's controller.
func TestOpenShiftClassKnownAtInit(t *testing.T) {
	if _, ok := gatewaycommon.ClassInfos[gatewayv1.GatewayController(openshiftControllerName)]; !ok {
		t.Fatalf("gateway class infos lack %s: %v", openshiftControllerName, gatewaycommon.ClassInfos)
	}
	if gatewaycommon.BuiltinGatewayClasses[gatewayv1.ObjectName(openshiftClassName)] != gatewayv1.GatewayController(openshiftControllerName) {
		t.Fatalf("builtin classes: %v", gatewaycommon.BuiltinGatewayClasses)
	}
}
