package main

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"
)

const (
	// As OpenShift's cluster-ingress-operator configures istiod
	// (pkg/operator/controller/gatewayclass/istio_olm.go gatewayAPIPilotEnv).
	openshiftControllerName = "openshift.io/gateway-controller/v1"
	openshiftClassName      = "openshift-default"
	rootNamespace           = "openshift-ingress"
	maasGatewayName         = "maas-default-gateway"
	maasGatewayCertName     = "maas-gateway-tls"
	clusterDomain           = "apps.example.com"
	// wg-ai-gateway (not Istio): only its deployer's Service naming matters here.
	wgControllerName = "sigs.k8s.io/wg-ai-gateway-envoy-controller"
)

// object is one YAML document of an app (or one we synthesize).
type object struct {
	File       string // base name of the file; "" for objects not from the app
	Origin     string // for synthesized objects: why it exists
	APIVersion string
	Kind       string
	Name       string
	Namespace  string
	U          map[string]any
	Raw        []byte
}

func (o *object) Group() string {
	g, _, ok := strings.Cut(o.APIVersion, "/")
	if !ok {
		return ""
	}
	return g
}

func (o *object) Ref() string { return o.Kind + " " + o.Namespace + "/" + o.Name }

func (o *object) Key() string { return o.Group() + "/" + o.Ref() }

// feed says how istiod reads a kind: "kube" through the Kubernetes client
// (core kinds, Gateway API, which the kube gateway controller reads),
// "config" through the Istio config store (networking/security/extensions),
// "" not at all (Kuadrant, wg-ai-gateway, MaaS, Deployments, RBAC, ...).
func feed(o *object) string {
	switch o.Group() {
	case "":
		switch o.Kind {
		case "Service", "Namespace", "Secret", "ConfigMap", "Pod":
			return "kube"
		}
	case "discovery.k8s.io":
		if o.Kind == "EndpointSlice" {
			return "kube"
		}
	case "gateway.networking.k8s.io":
		switch o.Kind {
		case "Gateway", "GatewayClass", "HTTPRoute", "GRPCRoute", "ReferenceGrant", "TCPRoute", "TLSRoute", "BackendTLSPolicy", "ListenerSet", "XListenerSet":
			return "kube"
		}
	case "networking.istio.io", "security.istio.io", "telemetry.istio.io", "extensions.istio.io":
		return "config"
	}
	return ""
}

func parseDocs(file string, data []byte) ([]*object, error) {
	var out []*object
	for _, doc := range splitYAML(data) {
		if len(bytes.TrimSpace(doc)) == 0 {
			continue
		}
		u := map[string]any{}
		if err := yaml.Unmarshal(doc, &u); err != nil {
			return nil, fmt.Errorf("%s: %v", file, err)
		}
		if len(u) == 0 {
			continue
		}
		o := &object{File: file, U: u, Raw: doc}
		o.APIVersion, _ = u["apiVersion"].(string)
		o.Kind, _ = u["kind"].(string)
		if md, ok := u["metadata"].(map[string]any); ok {
			o.Name, _ = md["name"].(string)
			o.Namespace, _ = md["namespace"].(string)
		}
		out = append(out, o)
	}
	return out, nil
}

func splitYAML(data []byte) [][]byte {
	var docs [][]byte
	var cur []string
	for _, line := range strings.Split(string(data), "\n") {
		if strings.TrimRight(line, " \t\r") == "---" {
			docs = append(docs, []byte(strings.Join(cur, "\n")))
			cur = nil
			continue
		}
		cur = append(cur, line)
	}
	docs = append(docs, []byte(strings.Join(cur, "\n")))
	return docs
}

// loadApp reads every *.yaml of dir except kustomization.yaml.
func loadApp(dir string) ([]*object, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []*object
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !(strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".yml")) || n == "kustomization.yaml" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			return nil, err
		}
		objs, err := parseDocs(n, data)
		if err != nil {
			return nil, err
		}
		out = append(out, objs...)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].File < out[j].File })
	return out, nil
}

func mustObject(origin string, u map[string]any) *object {
	raw, err := yaml.Marshal(u)
	if err != nil {
		panic(err)
	}
	objs, err := parseDocs("", raw)
	if err != nil || len(objs) != 1 {
		panic(fmt.Sprintf("synthesized object: %v", err))
	}
	objs[0].Origin = origin
	return objs[0]
}

// maasGateway loads the tier-era MaaS gateway with its placeholders filled.
func maasGateway(shared string) ([]*object, error) {
	p := filepath.Join(shared, "reference", "maas-tier-era", "maas-gateway-api.yaml")
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	s := strings.ReplaceAll(string(data), "${CLUSTER_DOMAIN}", clusterDomain)
	s = strings.ReplaceAll(s, "${CERT_NAME}", maasGatewayCertName)
	objs, err := parseDocs("", []byte(s))
	if err != nil {
		return nil, err
	}
	for _, o := range objs {
		o.Origin = "shared/reference/maas-tier-era/maas-gateway-api.yaml"
	}
	return objs, nil
}

func nestedMap(u map[string]any, path ...string) map[string]any {
	cur := u
	for _, p := range path {
		n, ok := cur[p].(map[string]any)
		if !ok {
			return nil
		}
		cur = n
	}
	return cur
}

func nestedString(u map[string]any, path ...string) string {
	if len(path) == 0 {
		return ""
	}
	m := nestedMap(u, path[:len(path)-1]...)
	if m == nil {
		return ""
	}
	s, _ := m[path[len(path)-1]].(string)
	return s
}

func nestedSlice(u map[string]any, path ...string) []any {
	if len(path) == 0 {
		return nil
	}
	m := nestedMap(u, path[:len(path)-1]...)
	if m == nil {
		return nil
	}
	s, _ := m[path[len(path)-1]].([]any)
	return s
}

// gatewayInfo describes a Gateway and the workload its controller deploys.
type gatewayInfo struct {
	Obj        *object
	Class      string
	Controller string
	Service    string // the Service the controller creates
	Istio      bool   // reconciled by OpenShift's istiod
	PodName    string
	PodIP      string
	PodLabels  map[string]string
}

func (g *gatewayInfo) ProxyName() string { return g.Obj.Namespace + "/" + g.Obj.Name }

// synthesize adds what a live OpenShift cluster has and the app does not ship:
// the GatewayClass openshift-default, namespaces, the MaaS gateway's TLS
// Secret, the Services and pods that istiod's deployment controller (and the
// wg-ai-gateway deployer) create for each Gateway, and Kuadrant's wasm filter.
func synthesize(all []*object, kuadrant string) (extra []*object, gws []*gatewayInfo, err error) {
	have := map[string]bool{}
	for _, o := range all {
		have[o.Key()] = true
	}
	add := func(o *object) {
		if !have[o.Key()] {
			have[o.Key()] = true
			extra = append(extra, o)
		}
	}
	add(mustObject("OpenShift ingress operator's GatewayClass", map[string]any{
		"apiVersion": "gateway.networking.k8s.io/v1", "kind": "GatewayClass",
		"metadata": map[string]any{"name": openshiftClassName},
		"spec":     map[string]any{"controllerName": openshiftControllerName},
	}))
	nss := map[string]bool{rootNamespace: true}
	for _, o := range all {
		if o.Namespace != "" {
			nss[o.Namespace] = true
		}
	}
	for _, ns := range sortedKeys(nss) {
		add(mustObject("namespace of a loaded object", map[string]any{
			"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": ns},
		}))
	}
	cert, key, err := selfSignedCert("maas." + clusterDomain)
	if err != nil {
		return nil, nil, err
	}
	add(mustObject("TLS Secret of the MaaS gateway's https listener", map[string]any{
		"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls",
		"metadata": map[string]any{"name": maasGatewayCertName, "namespace": rootNamespace},
		"data":     map[string]any{"tls.crt": base64.StdEncoding.EncodeToString([]byte(cert)), "tls.key": base64.StdEncoding.EncodeToString([]byte(key))},
	}))

	classes := map[string]string{}
	for _, o := range append(append([]*object{}, all...), extra...) {
		if o.Kind == "GatewayClass" && o.Group() == "gateway.networking.k8s.io" {
			classes[o.Name] = nestedString(o.U, "spec", "controllerName")
		}
	}
	n := 0
	for _, o := range all {
		if o.Kind != "Gateway" || o.Group() != "gateway.networking.k8s.io" {
			continue
		}
		n++
		class := nestedString(o.U, "spec", "gatewayClassName")
		gi := &gatewayInfo{Obj: o, Class: class, Controller: classes[class]}
		ann := nestedMap(o.U, "metadata", "annotations")
		listeners := nestedSlice(o.U, "spec", "listeners")
		switch gi.Controller {
		case openshiftControllerName:
			gi.Istio = true
			// pilot/pkg/config/kube/gatewaycommon GetDefaultName: <name>-<class>
			gi.Service = o.Name + "-" + class
			if v, ok := ann["gateway.istio.io/name-override"].(string); ok && v != "" {
				gi.Service = v
			}
			svcType := "LoadBalancer"
			if v, ok := ann["networking.istio.io/service-type"].(string); ok && v != "" {
				svcType = v
			}
			// Ports as deploymentcontroller.go extractServicePorts builds them.
			ports := []any{map[string]any{"name": "status-port", "port": 15021, "targetPort": 15021, "protocol": "TCP", "appProtocol": "tcp"}}
			seen := map[int64]bool{}
			for i, l := range listeners {
				lm, _ := l.(map[string]any)
				p := toInt(lm["port"])
				if seen[p] {
					continue
				}
				seen[p] = true
				name, _ := lm["name"].(string)
				name = strings.ReplaceAll(name, ".", "-")
				if len(name) > 63 {
					name = name[:63]
				}
				proto, _ := lm["protocol"].(string)
				if name == "" {
					name = fmt.Sprintf("%s-%d", strings.ToLower(proto), i)
				}
				ports = append(ports, map[string]any{"name": name, "port": p, "targetPort": p, "protocol": "TCP", "appProtocol": strings.ToLower(proto)})
			}
			svc := map[string]any{
				"apiVersion": "v1", "kind": "Service",
				"metadata": map[string]any{"name": gi.Service, "namespace": o.Namespace,
					"labels": map[string]any{"gateway.networking.k8s.io/gateway-name": o.Name, "gateway.istio.io/managed": "istio.io-gateway-controller"}},
				"spec": map[string]any{
					"type": svcType, "clusterIP": fmt.Sprintf("172.30.10.%d", n),
					"ports":    ports,
					"selector": map[string]any{"gateway.networking.k8s.io/gateway-name": o.Name},
				},
			}
			if svcType == "LoadBalancer" {
				svc["status"] = map[string]any{"loadBalancer": map[string]any{"ingress": []any{map[string]any{"ip": fmt.Sprintf("203.0.113.%d", n)}}}}
			}
			add(mustObject("Service istiod's gateway deployment controller creates (kube-gateway.yaml)", svc))
			// Pod labels as manifests/charts/istio-control/istio-discovery/files/kube-gateway.yaml@1.26.8
			// sets them: fixed labels, then the Gateway's labels (InfrastructureLabels), then the name labels.
			labels := map[string]string{
				"sidecar.istio.io/inject":             "false",
				"service.istio.io/canonical-name":     gi.Service,
				"service.istio.io/canonical-revision": "latest",
			}
			infra := nestedMap(o.U, "spec", "infrastructure", "labels")
			if infra == nil {
				infra = nestedMap(o.U, "metadata", "labels")
			}
			for k, v := range infra {
				if s, ok := v.(string); ok && !strings.HasPrefix(k, "gateway.networking.k8s.io/") {
					labels[k] = s
				}
			}
			labels["gateway.networking.k8s.io/gateway-name"] = o.Name
			labels["gateway.istio.io/managed"] = "istio.io-gateway-controller"
			gi.PodLabels = labels
			gi.PodName = gi.Service + "-7d9c5b8f6d-x" + fmt.Sprint(n)
			gi.PodIP = fmt.Sprintf("10.128.10.%d", n)
			lm := map[string]any{}
			for k, v := range labels {
				lm[k] = v
			}
			var epPorts []any
			for _, p := range ports {
				pm := p.(map[string]any)
				epPorts = append(epPorts, map[string]any{"name": pm["name"], "port": pm["port"], "protocol": "TCP", "appProtocol": pm["appProtocol"]})
			}
			add(mustObject("EndpointSlice of the gateway Service (kube-controller-manager)", map[string]any{
				"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "addressType": "IPv4",
				"metadata": map[string]any{"name": gi.Service + "-x" + fmt.Sprint(n), "namespace": o.Namespace,
					"labels": map[string]any{"kubernetes.io/service-name": gi.Service, "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"}},
				"endpoints": []any{map[string]any{"addresses": []any{gi.PodIP}, "conditions": map[string]any{"ready": true},
					"targetRef": map[string]any{"kind": "Pod", "name": gi.PodName, "namespace": o.Namespace}}},
				"ports": epPorts,
			}))
			add(mustObject("gateway pod of istiod's deployment controller", map[string]any{
				"apiVersion": "v1", "kind": "Pod",
				"metadata": map[string]any{"name": gi.PodName, "namespace": o.Namespace, "labels": lm},
				"spec":     map[string]any{"serviceAccountName": gi.Service, "containers": []any{map[string]any{"name": "istio-proxy", "image": "proxyv2"}}},
				"status": map[string]any{"phase": "Running", "podIP": gi.PodIP, "podIPs": []any{map[string]any{"ip": gi.PodIP}},
					"conditions": []any{map[string]any{"type": "Ready", "status": "True"}}},
			}))
		case wgControllerName:
			// wg-ai-gateway deployer: envoy-<gw> in "default", else envoy-<ns>-<gw>; port = listener port.
			gi.Service = "envoy-" + o.Namespace + "-" + o.Name
			if o.Namespace == "default" {
				gi.Service = "envoy-" + o.Name
			}
			var ports []any
			seen := map[int64]bool{}
			for _, l := range listeners {
				lm, _ := l.(map[string]any)
				p := toInt(lm["port"])
				if seen[p] {
					continue
				}
				seen[p] = true
				name, _ := lm["name"].(string)
				ports = append(ports, map[string]any{"name": name, "port": p, "protocol": "TCP", "targetPort": p})
			}
			add(mustObject("Service the wg-ai-gateway deployer creates (not Istio config)", map[string]any{
				"apiVersion": "v1", "kind": "Service",
				"metadata": map[string]any{"name": gi.Service, "namespace": o.Namespace, "labels": map[string]any{"app": gi.Service}},
				"spec": map[string]any{"type": "ClusterIP", "clusterIP": fmt.Sprintf("172.30.20.%d", n),
					"ports": ports, "selector": map[string]any{"app": gi.Service}},
			}))
		}
		gws = append(gws, gi)
	}

	// Kuadrant's wasm filter on the MaaS gateway, as Kuadrant creates it.
	targetRefs := []any{map[string]any{"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": maasGatewayName}}
	switch kuadrant {
	case "1.4":
		add(mustObject("Kuadrant 1.4 WasmPlugin (phase STATS)", map[string]any{
			"apiVersion": "extensions.istio.io/v1alpha1", "kind": "WasmPlugin",
			"metadata": map[string]any{"name": "kuadrant-" + maasGatewayName, "namespace": rootNamespace},
			"spec": map[string]any{
				"targetRefs": targetRefs,
				"phase":      "STATS",
				"url":        "oci://quay.io/kuadrant/wasm-shim:v0.12.3",
				"pluginConfig": map[string]any{
					"services":   map[string]any{"auth-service": map[string]any{"type": "auth", "endpoint": "kuadrant-auth-service", "failureMode": "deny"}},
					"actionSets": []any{},
				},
			},
		}))
	default:
		// kuadrant-operator v1.5.x internal/istio/utils.go BuildEnvoyFilterWasmPatch (shape).
		add(mustObject("Kuadrant 1.5 EnvoyFilter (wasm INSERT_BEFORE router, targetRefs only)", map[string]any{
			"apiVersion": "networking.istio.io/v1alpha3", "kind": "EnvoyFilter",
			"metadata": map[string]any{"name": "kuadrant-" + maasGatewayName, "namespace": rootNamespace},
			"spec": map[string]any{
				"targetRefs": targetRefs,
				"configPatches": []any{map[string]any{
					"applyTo": "HTTP_FILTER",
					"match": map[string]any{"context": "GATEWAY", "listener": map[string]any{"filterChain": map[string]any{"filter": map[string]any{
						"name": "envoy.filters.network.http_connection_manager", "subFilter": map[string]any{"name": "envoy.filters.http.router"}}}}},
					"patch": map[string]any{"operation": "INSERT_BEFORE", "value": map[string]any{
						"name": "kuadrant-wasm",
						"typed_config": map[string]any{
							"@type": "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm",
							"config": map[string]any{
								"name": "kuadrant-wasm", "root_id": "kuadrant_wasm_shim",
								"vm_config": map[string]any{"runtime": "envoy.wasm.runtime.v8", "code": map[string]any{"local": map[string]any{"filename": "/tmp/kuadrant.wasm"}}},
							},
						},
					}},
				}},
			},
		}))
	}
	return extra, gws, nil
}

func toInt(v any) int64 {
	switch x := v.(type) {
	case int:
		return int64(x)
	case int64:
		return x
	case float64:
		return int64(x)
	}
	return 0
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
