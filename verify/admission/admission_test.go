package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"testing"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
)

// sharedDir is the pinned shared data (CRDs); ADMISSION_SHARED overrides it.
func sharedDir(t *testing.T) string {
	t.Helper()
	d := os.Getenv("ADMISSION_SHARED")
	if d == "" {
		d = "/work/shared"
	}
	if _, err := os.Stat(filepath.Join(d, "crds", "gateway-api")); err != nil {
		t.Skipf("pinned CRDs not found under %s (set ADMISSION_SHARED): %v", d, err)
	}
	return d
}

var (
	judgeOnce sync.Once
	judgeVal  *Judge
	judgeErr  error
)

func testJudge(t *testing.T) *Judge {
	t.Helper()
	shared := sharedDir(t)
	judgeOnce.Do(func() {
		crds, err := LoadCRDs(shared)
		judgeVal, judgeErr = NewJudge(crds), err
	})
	if judgeErr != nil {
		t.Fatal(judgeErr)
	}
	return judgeVal
}

// writeApp creates an app directory with the given files.
func writeApp(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// check judges one YAML text and returns the problems.
func check(t *testing.T, yamlText string) []Problem {
	t.Helper()
	j := testJudge(t)
	dir := writeApp(t, map[string]string{"obj.yaml": yamlText})
	problems, _, err := j.CheckApp(dir)
	if err != nil {
		t.Fatal(err)
	}
	return problems
}

func messages(ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.Object + ": " + p.Message + "\n")
	}
	return b.String()
}

func requireOne(t *testing.T, ps []Problem, object, substr string) {
	t.Helper()
	for _, p := range ps {
		if p.Object == object && strings.Contains(p.Message, substr) {
			return
		}
	}
	t.Fatalf("want a problem on %q containing %q, got:\n%s", object, substr, messages(ps))
}

const cleanRoute = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: openai-route
  namespace: maas-egress
  annotations:
    argocd.argoproj.io/sync-wave: "4"
spec:
  parentRefs:
    - name: egress-gateway
  rules:
    - matches:
        - path:
            type: PathPrefix
            value: /openai/
      filters:
        - type: URLRewrite
          urlRewrite:
            path:
              type: ReplacePrefixMatch
              replacePrefixMatch: /
      backendRefs:
        - name: openai
          port: 8000
`

func TestCleanHTTPRoute(t *testing.T) {
	if ps := check(t, cleanRoute); len(ps) != 0 {
		t.Fatalf("want clean, got:\n%s", messages(ps))
	}
}

// The Gateway API v1.2.1 rule on HTTPRouteRule
// "When using URLRewrite filter with path.replacePrefixMatch, exactly one
// PathPrefix match must be specified" is a CEL x-kubernetes-validations rule
// relating two sibling fields; OpenAPI cannot express it.
func TestCELReplacePrefixMatchNeedsPathPrefix(t *testing.T) {
	y := strings.Replace(cleanRoute, "type: PathPrefix", "type: Exact", 1)
	ps := check(t, y)
	requireOne(t, ps, "HTTPRoute maas-egress/openai-route",
		"rejects: spec.rules[0]: Invalid value: \"object\": When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified")
	if len(ps) != 1 {
		t.Fatalf("want exactly the CEL problem, got:\n%s", messages(ps))
	}
}

// A CEL rule using the duration() library: backendRequest must not exceed
// request timeout.
func TestCELTimeouts(t *testing.T) {
	y := cleanRoute + "      timeouts:\n        request: 10s\n        backendRequest: 20s\n"
	requireOne(t, check(t, y), "HTTPRoute maas-egress/openai-route", "backendRequest timeout cannot be longer than request timeout")
}

func TestOpenAPIValidation(t *testing.T) {
	y := strings.Replace(cleanRoute, "port: 8000", "port: 80000", 1)
	requireOne(t, check(t, y), "HTTPRoute maas-egress/openai-route", "spec.rules[0].backendRefs[0].port: Invalid value: 80000: spec.rules[0].backendRefs[0].port in body should be less than or equal to 65535")
}

func TestPrunedField(t *testing.T) {
	y := strings.Replace(cleanRoute, "spec:\n", "spec:\n  foo: bar\n", 1)
	y = strings.Replace(y, "      backendRefs:\n", "      backendRefs:\n        - name: other\n          port: 8001\n          weightx: 3\n", 1)
	ps := check(t, y)
	requireOne(t, ps, "HTTPRoute maas-egress/openai-route", `the API server drops unknown field "spec.foo"`)
	requireOne(t, ps, "HTTPRoute maas-egress/openai-route", `the API server drops unknown field "spec.rules[0].backendRefs[0].weightx"`)
	if len(ps) != 2 {
		t.Fatalf("want exactly the two pruned fields, got:\n%s", messages(ps))
	}
}

func TestUnknownMetadataField(t *testing.T) {
	y := strings.Replace(cleanRoute, "  name: openai-route\n", "  name: openai-route\n  labelz: {}\n", 1)
	requireOne(t, check(t, y), "HTTPRoute maas-egress/openai-route", `the API server drops unknown field "metadata.labelz"`)
}

func TestMissingNamespace(t *testing.T) {
	y := strings.Replace(cleanRoute, "  namespace: maas-egress\n", "", 1)
	requireOne(t, check(t, y), "HTTPRoute (no namespace)/openai-route", "metadata.namespace is not set on namespaced kind HTTPRoute")
}

func TestNamespaceOnClusterScoped(t *testing.T) {
	ps := check(t, `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata:
  name: wg-ai-gateway
  namespace: oops
spec:
  controllerName: example.com/controller
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: reader
  namespace: oops
rules:
  - apiGroups: [""]
    resources: [pods]
    verbs: [get]
`)
	requireOne(t, ps, "GatewayClass wg-ai-gateway", `the API server drops metadata.namespace "oops": GatewayClass is cluster-scoped`)
	requireOne(t, ps, "ClusterRole reader", `the API server drops metadata.namespace "oops": ClusterRole is cluster-scoped`)
}

func TestBadNames(t *testing.T) {
	y := strings.Replace(cleanRoute, "name: openai-route", "name: OpenAI_Route", 1)
	y = strings.Replace(y, "argocd.argoproj.io/sync-wave", "bad key!", 1)
	ps := check(t, y)
	requireOne(t, ps, "HTTPRoute maas-egress/OpenAI_Route", "rejects: metadata.name: Invalid value: \"OpenAI_Route\": a lowercase RFC 1123 subdomain")
	requireOne(t, ps, "HTTPRoute maas-egress/OpenAI_Route", "rejects: metadata.annotations: Invalid value: \"bad key!\"")
}

// kubectl reads a document with a duplicate key leniently: the object is
// still judged (with the last value), and the lost value is reported.
func TestDuplicateYAMLKey(t *testing.T) {
	y := strings.Replace(cleanRoute, "spec:\n", "spec:\n  hostnames: [a.example.com]\n  hostnames: [\"Not A Hostname\"]\n", 1)
	ps := check(t, y)
	requireOne(t, ps, "HTTPRoute maas-egress/openai-route", `the YAML document is not strict YAML; kubectl reads it leniently and sends only the last value of a duplicate key: yaml: unmarshal errors: line 10: key "hostnames" already set in map`)
	requireOne(t, ps, "HTTPRoute maas-egress/openai-route", `rejects: spec.hostnames[0]: Invalid value: "Not A Hostname"`)
}

func TestUnknownKind(t *testing.T) {
	ps := check(t, `apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
  namespace: ns
---
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: HTTPRoute
metadata:
  name: old
  namespace: ns
---
apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: old-ingress
  namespace: ns
---
apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata:
  name: old-es
  namespace: ns
`)
	requireOne(t, ps, "Widget ns/w", `no matches for kind "Widget" in version "example.com/v1": the CRD is not among the pinned CRDs`)
	requireOne(t, ps, "HTTPRoute ns/old", `no matches for kind "HTTPRoute" in version "gateway.networking.k8s.io/v1alpha2"`)
	requireOne(t, ps, "Ingress ns/old-ingress", `no matches for kind "Ingress" in version "extensions/v1beta1"`)
	// external-secrets v2.9.0 defines v1beta1 with served: false
	requireOne(t, ps, "ExternalSecret ns/old-es", `no matches for kind "ExternalSecret" in version "external-secrets.io/v1beta1": the pinned CRD externalsecrets.external-secrets.io serves [v1] (defined: [v1 v1beta1])`)
}

func TestDeprecationWarning(t *testing.T) {
	spec := apiextensionsv1.CustomResourceDefinitionSpec{
		Group: "example.com",
		Names: apiextensionsv1.CustomResourceDefinitionNames{Kind: "Widget"},
		Versions: []apiextensionsv1.CustomResourceDefinitionVersion{
			{Name: "v1alpha1", Served: true, Deprecated: true},
			{Name: "v1beta1", Served: true},
			{Name: "v1", Served: true},
		},
	}
	if got, want := defaultDeprecationWarning("v1alpha1", spec), "example.com/v1alpha1 Widget is deprecated; use example.com/v1 Widget"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

const cleanDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: sim
  namespace: external-models
  labels:
    app.kubernetes.io/name: sim
spec:
  replicas: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: sim
  template:
    metadata:
      labels:
        app.kubernetes.io/name: sim
    spec:
      containers:
        - name: sim
          image: quay.io/example/sim:1.0
          ports:
            - containerPort: 8000
              name: http
`

func TestCoreUnknownField(t *testing.T) {
	y := strings.Replace(cleanDeployment, "          image:", "          imagePullPolcy: Always\n          image:", 1)
	ps := check(t, y)
	requireOne(t, ps, "Deployment external-models/sim", `the API server drops unknown field "spec.template.spec.containers[0].imagePullPolcy"`)
	if len(ps) != 1 {
		t.Fatalf("want exactly the unknown field, got:\n%s", messages(ps))
	}
}

func TestCoreWrongType(t *testing.T) {
	y := strings.Replace(cleanDeployment, "replicas: 1", "replicas: one", 1)
	requireOne(t, check(t, y), "Deployment external-models/sim", "rejects: ")
}

// k8s.io/kubernetes/pkg/apis/apps/validation: the selector must match the
// template labels; core validation: port names are IANA service names.
func TestCoreValidation(t *testing.T) {
	y := strings.Replace(cleanDeployment, "      labels:\n        app.kubernetes.io/name: sim\n    spec:", "      labels:\n        app.kubernetes.io/name: other\n    spec:", 1)
	y = strings.Replace(y, "name: http", "name: http_port", 1)
	ps := check(t, y)
	requireOne(t, ps, "Deployment external-models/sim", "rejects: spec.template.metadata.labels: Invalid value: map[string]string{\"app.kubernetes.io/name\":\"other\"}: `selector` does not match template `labels`")
	requireOne(t, ps, "Deployment external-models/sim", "spec.template.spec.containers[0].ports[0].name")

	svc := check(t, `apiVersion: v1
kind: Service
metadata:
  name: sim
  namespace: external-models
spec:
  selector:
    app: sim
  ports:
    - port: 70000
      targetPort: 8000
`)
	requireOne(t, svc, "Service external-models/sim", "rejects: spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive")

	ns := check(t, `apiVersion: v1
kind: Namespace
metadata:
  name: Bad.Namespace
`)
	requireOne(t, ns, "Namespace Bad.Namespace", "rejects: metadata.name: Invalid value: \"Bad.Namespace\"")
}

// client-side kubectl apply stores the object in an annotation: a 300 KiB
// ConfigMap is under the 1 MiB ConfigMap limit but over the 256 KiB
// annotation limit.
func TestLastAppliedAnnotationLimit(t *testing.T) {
	big := strings.Repeat("x", 300*1024)
	ps := check(t, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\n  namespace: ns\ndata:\n  blob: "+big+"\n")
	requireOne(t, ps, "ConfigMap ns/big", "rejects: metadata.annotations: Too long: may not be more than 262144 bytes")
}

// One clean app from small fixtures, driven through run() as the CLI is.
func TestCleanApp(t *testing.T) {
	shared := sharedDir(t)
	dir := writeApp(t, map[string]string{
		"kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n",
		"notes.txt":          "not yaml",
		"0-namespace.yaml":   "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: maas-egress\n",
		"1-configmap.yaml":   "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: reg\n  namespace: maas-egress\ndata:\n  a: b\n",
		"3-deployment.yaml":  strings.ReplaceAll(cleanDeployment, "external-models", "maas-egress"),
		"3-multi.yml": `apiVersion: v1
kind: Service
metadata:
  name: sim
  namespace: maas-egress
spec:
  selector:
    app.kubernetes.io/name: sim
  ports:
    - name: http
      port: 8000
      targetPort: http
---
# a comment-only document is skipped
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: egress-gateway
  namespace: maas-egress
spec:
  gatewayClassName: istio
  listeners:
    - name: http
      port: 80
      protocol: HTTP
      allowedRoutes:
        namespaces:
          from: Same
`,
		"4-httproute.yaml": cleanRoute,
		"5-netpol.yaml": `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow
  namespace: maas-egress
spec:
  podSelector:
    matchLabels:
      app: x
  ingress:
    - ports:
        - port: 8080
          protocol: TCP
`,
		"5-authpolicy.yaml": `apiVersion: kuadrant.io/v1
kind: AuthPolicy
metadata:
  name: auth
  namespace: maas-egress
spec:
  targetRef:
    group: gateway.networking.k8s.io
    kind: HTTPRoute
    name: openai-route
  rules:
    authentication:
      api-key:
        apiKey:
          selector: {}
`,
	})
	var out, errb bytes.Buffer
	code := run([]string{"--shared", shared, dir}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q, stdout:\n%s", code, errb.String(), out.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("want one checked line, got:\n%s", out.String())
	}
	var c checkedLine
	if err := json.Unmarshal([]byte(lines[0]), &c); err != nil {
		t.Fatal(err)
	}
	if c != (checkedLine{Type: "checked", Checker: "admission", App: dir, Objects: 8}) {
		t.Fatalf("unexpected checked line %+v", c)
	}
}

// The JSON line contract and the exit status on problems.
func TestRunProblemLines(t *testing.T) {
	shared := sharedDir(t)
	dir := writeApp(t, map[string]string{
		"b.yaml": strings.Replace(cleanRoute, "type: PathPrefix", "type: Exact", 1),
		"a.yaml": "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n",
	})
	var out, errb bytes.Buffer
	if code := run([]string{"--shared", shared, dir}, &out, &errb); code != 1 {
		t.Fatalf("exit %d, want 1; stderr %q", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("want 2 problems + 1 checked, got:\n%s", out.String())
	}
	var p0, p1 problemLine
	if err := json.Unmarshal([]byte(lines[0]), &p0); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(lines[1]), &p1); err != nil {
		t.Fatal(err)
	}
	if p0.Type != "problem" || p0.Checker != "admission" || p0.App != dir || p0.File != "a.yaml" || p0.Object != "Widget w" || p0.Consumer != ConsumerCRD {
		t.Fatalf("unexpected first line %+v", p0)
	}
	if p1.File != "b.yaml" || p1.Object != "HTTPRoute maas-egress/openai-route" || !strings.HasPrefix(p1.Message, "rejects: spec.rules[0]") {
		t.Fatalf("unexpected second line %+v", p1)
	}
	if !strings.HasSuffix(lines[2], `"objects":2}`) {
		t.Fatalf("unexpected checked line %s", lines[2])
	}
}

func TestUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(nil, &out, &errb); code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	if code := run([]string{"--shared", t.TempDir(), t.TempDir()}, &out, &errb); code != 2 {
		t.Fatalf("missing crds/: exit %d, want 2", code)
	}
}

// The constants the output prints must be the versions go.mod resolves.
func TestPinnedVersions(t *testing.T) {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		t.Skip("no build info")
	}
	want := map[string]string{
		"k8s.io/apiextensions-apiserver": StagingVersion,
		"k8s.io/apiserver":               StagingVersion,
		"k8s.io/apimachinery":            StagingVersion,
		"k8s.io/api":                     StagingVersion,
		"k8s.io/client-go":               StagingVersion,
		"k8s.io/component-base":          StagingVersion,
		"k8s.io/kubernetes":              KubernetesVersion,
	}
	for _, d := range bi.Deps {
		v := d.Version
		if d.Replace != nil {
			v = d.Replace.Version
		}
		if w, ok := want[d.Path]; ok {
			if v != w {
				t.Errorf("%s resolves to %s, constants say %s", d.Path, v, w)
			}
			delete(want, d.Path)
		}
	}
	for p := range want {
		t.Errorf("%s not linked", p)
	}
	if !strings.HasPrefix(StagingVersion, "v0."+strings.TrimPrefix(KubernetesMinor, "1.")+".") {
		t.Errorf("StagingVersion %s is not a %s release", StagingVersion, KubernetesMinor)
	}
}

// TestDist judges the library's synthesized apps; it needs
// `npm run synth` output and is skipped unless VERIFY_DIST=1.
func TestDist(t *testing.T) {
	if os.Getenv("VERIFY_DIST") != "1" {
		t.Skip("set VERIFY_DIST=1 to judge ../../dist")
	}
	shared := sharedDir(t)
	dist, err := filepath.Abs(filepath.Join("..", "..", "dist"))
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dist)
	if err != nil {
		t.Fatal(err)
	}
	var apps []string
	for _, e := range entries {
		if e.IsDir() {
			apps = append(apps, filepath.Join(dist, e.Name()))
		}
	}
	if len(apps) == 0 {
		t.Fatalf("no apps under %s", dist)
	}
	var out, errb bytes.Buffer
	code := run(append([]string{"--shared", shared}, apps...), &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q:\n%s", code, errb.String(), out.String())
	}
}
