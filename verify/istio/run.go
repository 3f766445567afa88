package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/yaml"

	meshconfig "istio.io/api/mesh/v1alpha1"
	"istio.io/istio/pilot/pkg/config/kube/crdclient"
	"istio.io/istio/pilot/pkg/config/kube/gateway"
	"istio.io/istio/pilot/pkg/features"
	"istio.io/istio/pilot/pkg/model"
	"istio.io/istio/pilot/pkg/status"
	"istio.io/istio/pilot/test/xds"
	"istio.io/istio/pkg/config/mesh"
	"istio.io/istio/pkg/config/schema/collection"
	"istio.io/istio/pkg/config/schema/collections"
	"istio.io/istio/pkg/config/schema/gvk"
	kubelib "istio.io/istio/pkg/kube"

	"github.com/cdk8s-maas-egress/verify/report"
)

type options struct {
	Shared    string
	Kuadrant  string // "1.4" or "1.5"
	Semantics string // "1.26" (EnvoyFilter targetRefs ignored) or "1.27"
	Verbose   bool
	DumpRaw   string // directory for full xDS JSON, or ""
}

type problem = report.Problem

type appResult struct {
	App      string
	Problems []problem
	Checked  int
	Summary  *summary
}

// setupFeatures sets, in-process, the pilot features OpenShift's
// cluster-ingress-operator gives istiod (gatewayAPIPilotEnv in
// pkg/operator/controller/gatewayclass/istio_olm.go). The tables pilot derives
// from them at package init (gateway class infos) already saw the same values
// as environment variables, set by internal/openshiftenv before Istio's
// packages initialized.
func setupFeatures() {
	features.EnableGatewayAPI = true
	features.EnableAlphaGatewayAPI = false
	features.EnableGatewayAPIStatus = true
	features.EnableGatewayAPIDeploymentController = true
	features.EnableGatewayAPIGatewayClassController = false
	features.GatewayAPIDefaultGatewayClass = openshiftClassName
	features.ManagedGatewayController = openshiftControllerName
	features.MultiNetworkGatewayAPI = false
	features.EnableGatewayAPIManualDeployment = false
	features.EnableGatewayAPICopyLabelsAnnotations = false
}

func meshConfig() *meshconfig.MeshConfig {
	m := mesh.DefaultMeshConfig()
	m.RootNamespace = rootNamespace
	m.IngressControllerMode = meshconfig.MeshConfig_OFF
	return m
}

// envoyFilterFor126 drops targetRefs/targetRef from an EnvoyFilter: istiod
// 1.26 keeps only workloadSelector (pilot/pkg/model/envoyfilter.go@1.26.8
// convertToEnvoyFilterWrapper, push_context.go getMatchedEnvoyFilters), so an
// EnvoyFilter with targetRefs and no selector applies to every proxy of its
// namespace (all proxies when that is the root namespace). From 1.27 istiod
// honours targetRefs, which the code we run (release-1.31) does.
func envoyFilterFor126(o *object) ([]byte, bool) {
	spec := nestedMap(o.U, "spec")
	if spec == nil {
		return o.Raw, false
	}
	_, a := spec["targetRefs"]
	_, b := spec["targetRef"]
	if !a && !b {
		return o.Raw, false
	}
	cp := map[string]any{}
	for k, v := range o.U {
		cp[k] = v
	}
	ns := map[string]any{}
	for k, v := range spec {
		if k != "targetRefs" && k != "targetRef" {
			ns[k] = v
		}
	}
	cp["spec"] = ns
	raw, err := yaml.Marshal(cp)
	if err != nil {
		return o.Raw, false
	}
	return raw, true
}

func (o options) consumer() string {
	// the proxy serves no 1.26/1.27 module: the code is newer, only EnvoyFilter targetRefs handling follows the target
	return fmt.Sprintf("istiod code %s, EnvoyFilter targetRefs as in %s", istioCode(), targetVersion(o.Semantics))
}

func targetVersion(sem string) string {
	if sem == "1.27" {
		return "1.27.8"
	}
	return "1.26.8"
}

// checkApp runs istiod's config generation on one app directory.
func checkApp(dir string, opts options) appResult {
	app := dir
	res := appResult{App: app}
	prob := func(file, obj, msg string) {
		res.Problems = append(res.Problems, problem{Type: "problem", Checker: "istio", App: app, File: file, Object: obj, Consumer: opts.consumer(), Message: msg})
	}
	appObjs, err := loadApp(dir)
	if err != nil {
		prob("", "", "cannot read app: "+err.Error())
		return res
	}
	mgw, err := maasGateway(opts.Shared)
	if err != nil {
		prob("", "", "cannot read the MaaS gateway: "+err.Error())
		return res
	}
	all := append(append([]*object{}, appObjs...), mgw...)
	extra, gws, err := synthesize(all, opts.Kuadrant)
	if err != nil {
		prob("", "", err.Error())
		return res
	}
	inputs := append(append([]*object{}, all...), extra...)

	decode := kubelib.IstioCodec.UniversalDeserializer().Decode
	var kubeObjs []runtime.Object
	var cfgDocs []string
	ours := map[string]*object{} // key -> object from the app (or the MaaS gateway)
	for _, o := range inputs {
		switch feed(o) {
		case "kube":
			ro, _, err := decode(o.Raw, nil, nil)
			if err != nil {
				prob(o.File, o.Ref(), "istiod's Kubernetes codec cannot decode the object: "+err.Error())
				continue
			}
			kubeObjs = append(kubeObjs, ro)
		case "config":
			raw := o.Raw
			if o.Kind == "EnvoyFilter" && opts.Semantics != "1.27" {
				raw, _ = envoyFilterFor126(o)
			}
			cfgDocs = append(cfgDocs, string(raw))
		default:
			continue
		}
		if o.Origin == "" || o.Name == maasGatewayName && o.Kind == "Gateway" {
			ours[o.Key()] = o
		}
	}
	for _, o := range appObjs {
		if feed(o) != "" {
			res.Checked++
		}
	}

	f := &failer{verbose: opts.Verbose}
	defer f.runCleanups()
	var gen *generated
	ok := runGuarded(f, func() {
		gen = generate(f, kubeObjs, strings.Join(cfgDocs, "\n---\n"), gws, opts)
	})
	for _, fl := range f.Failures() {
		prob("", "", "istio test machinery failed: "+fl)
	}
	if !ok || gen == nil {
		return res
	}
	res.Summary = gen.summary(opts)
	if opts.DumpRaw != "" {
		if err := gen.dumpRaw(opts.DumpRaw, filepath.Base(app)); err != nil {
			prob("", "", "dump-raw: "+err.Error())
		}
	}
	for _, p := range gen.problems(inputs, ours, gws, opts) {
		prob(p.file, p.object, p.message)
	}
	for _, p := range analyze(all, opts) {
		prob(p.file, p.object, p.message)
	}
	sort.SliceStable(res.Problems, func(i, j int) bool {
		a, b := res.Problems[i], res.Problems[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Object != b.Object {
			return a.Object < b.Object
		}
		return a.Message < b.Message
	})
	return res
}

type generated struct {
	s        *xds.FakeDiscoveryServer
	proxies  []*proxyResult
	statuses []objStatus
}

type objStatus struct {
	Kind, Namespace, Name string
	Conditions            []metav1.Condition
	Where                 string // "" or "listener <name>" or "parent <ns>/<name>"
}

func generate(f *failer, kubeObjs []runtime.Object, cfg string, gws []*gatewayInfo, opts options) *generated {
	s := xds.NewFakeDiscoveryServer(f, xds.FakeOptions{
		KubernetesObjects: kubeObjs,
		ConfigString:      cfg,
		MeshConfig:        meshConfig(),
	})
	g := &generated{s: s}
	gwc, _ := s.Env().GatewayAPIController.(*gateway.Controller)
	if gwc == nil {
		f.Fatal("the fake discovery server has no Gateway API controller")
	}
	stop := make(chan struct{})
	f.Cleanup(func() { close(stop) })
	if opts.Verbose {
		fmt.Fprintf(os.Stderr, "before status: %d istio gateways\n", len(s.Env().List(gvk.Gateway, "")))
	}
	g.statuses = startStatus(s, gwc, gws, stop, opts)
	waitPushes(s)
	if opts.Verbose {
		fmt.Fprintf(os.Stderr, "after status: %d istio gateways\n", len(s.Env().List(gvk.Gateway, "")))
		for _, c := range s.Env().List(gvk.VirtualService, "") {
			b, _ := yaml.Marshal(c.Spec)
			fmt.Fprintf(os.Stderr, "VirtualService %s/%s:\n%s\n", c.Namespace, c.Name, b)
		}
	}
	for _, gi := range gws {
		if !gi.Istio {
			continue
		}
		labels := map[string]string{}
		for k, v := range gi.PodLabels {
			labels[k] = v
		}
		p := s.SetupProxy(&model.Proxy{
			Type:            model.Router,
			ID:              gi.PodName + "." + gi.Obj.Namespace,
			ConfigNamespace: gi.Obj.Namespace,
			IPAddresses:     []string{gi.PodIP},
			Labels:          labels,
			Metadata: &model.NodeMetadata{
				Labels:       labels,
				Namespace:    gi.Obj.Namespace,
				IstioVersion: targetVersion(opts.Semantics),
				ClusterID:    "Kubernetes",
			},
		})
		if opts.Verbose {
			var st []string
			for _, t := range p.ServiceTargets {
				st = append(st, string(t.Service.Hostname))
			}
			fmt.Fprintf(os.Stderr, "proxy %s: service targets %v, merged gateway %v, listeners %d\n", gi.ProxyName(), st, p.MergedGateway != nil, len(s.Listeners(p)))
		}
		pr := &proxyResult{gw: gi, proxy: p}
		pr.listeners = s.Listeners(p)
		pr.routes = s.Routes(p)
		pr.clusters = s.Clusters(p)
		pr.envoyFilters = s.PushContext().EnvoyFilters(p)
		g.proxies = append(g.proxies, pr)
	}
	return g
}

// startStatus: istiod writes Gateway API status through a status.Manager over
// the kube config store (pilot/pkg/bootstrap/server.go); do the same over the
// fake kube client, then read the objects' status back once it settles.
func startStatus(s *xds.FakeDiscoveryServer, gwc *gateway.Controller, gws []*gatewayInfo, stop chan struct{}, opts options) []objStatus {
	store := crdclient.NewForSchemas(s.KubeClient(), crdclient.Option{DomainSuffix: "cluster.local", Identifier: "verify-istio-status"},
		collection.SchemasFor(collections.GatewayClass, collections.KubernetesGateway, collections.HTTPRoute, collections.GRPCRoute))
	go store.Run(stop)
	s.KubeClient().RunAndWait(stop)
	kubelib.WaitForCacheSync("verify-istio-status", stop, store.HasSynced)
	mgr := status.NewManager(&statusStore{Client: store, kube: s.KubeClient()})
	mgr.Start(stop)
	gwc.SetStatusWrite(true, mgr)
	st := waitStatuses(s, gws)
	if opts.Verbose {
		for _, x := range st {
			fmt.Fprintf(os.Stderr, "status %s %s/%s %s: %+v\n", x.Kind, x.Namespace, x.Name, x.Where, x.Conditions)
		}
		fmt.Fprintf(os.Stderr, "crdclient sees %d k8s gateways, %d httproutes\n", len(store.List(gvk.KubernetesGateway, "")), len(store.List(gvk.HTTPRoute, "")))
	}
	return st
}

// waitPushes waits until every config update the server received is committed
// to a push context (as NewFakeDiscoveryServer does at start).
func waitPushes(s *xds.FakeDiscoveryServer) {
	deadline := time.Now().Add(20 * time.Second)
	stableSince := time.Now()
	last := int64(-1)
	for time.Now().Before(deadline) {
		in := s.Discovery.InboundUpdates.Load()
		if s.Discovery.CommittedUpdates.Load() >= in {
			if in != last {
				last = in
				stableSince = time.Now()
			} else if time.Since(stableSince) > 300*time.Millisecond {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitStatuses polls the fake API server until the status istiod writes on the
// Gateways and HTTPRoutes has settled, and returns it.
func waitStatuses(s *xds.FakeDiscoveryServer, gws []*gatewayInfo) []objStatus {
	istioGW := map[string]bool{}
	for _, g := range gws {
		if g.Istio {
			istioGW[g.Obj.Namespace+"/"+g.Obj.Name] = true
		}
	}
	ctx := context.Background()
	read := func() ([]objStatus, bool) {
		var out []objStatus
		complete := true
		gl, err := s.KubeClient().GatewayAPI().GatewayV1().Gateways(metav1.NamespaceAll).List(ctx, metav1.ListOptions{})
		if err != nil {
			return nil, false
		}
		for _, gw := range gl.Items {
			if !istioGW[gw.Namespace+"/"+gw.Name] {
				continue
			}
			if len(gw.Status.Conditions) == 0 {
				complete = false
			}
			out = append(out, objStatus{Kind: "Gateway", Namespace: gw.Namespace, Name: gw.Name, Conditions: gw.Status.Conditions})
			for _, l := range gw.Status.Listeners {
				out = append(out, objStatus{Kind: "Gateway", Namespace: gw.Namespace, Name: gw.Name, Conditions: l.Conditions, Where: "listener " + string(l.Name)})
			}
		}
		rl, err := s.KubeClient().GatewayAPI().GatewayV1().HTTPRoutes(metav1.NamespaceAll).List(ctx, metav1.ListOptions{})
		if err != nil {
			return nil, false
		}
		for _, r := range rl.Items {
			wantParent := false
			for _, pr := range r.Spec.ParentRefs {
				ns := r.Namespace
				if pr.Namespace != nil {
					ns = string(*pr.Namespace)
				}
				if istioGW[ns+"/"+string(pr.Name)] {
					wantParent = true
				}
			}
			found := false
			for _, ps := range r.Status.Parents {
				if string(ps.ControllerName) != openshiftControllerName {
					continue
				}
				found = true
				ns := r.Namespace
				if ps.ParentRef.Namespace != nil {
					ns = string(*ps.ParentRef.Namespace)
				}
				out = append(out, objStatus{Kind: "HTTPRoute", Namespace: r.Namespace, Name: r.Name, Conditions: ps.Conditions, Where: "parent " + ns + "/" + string(ps.ParentRef.Name)})
			}
			if wantParent && !found {
				complete = false
			}
		}
		return out, complete
	}
	deadline := time.Now().Add(20 * time.Second)
	var last string
	var lastOut []objStatus
	stableSince := time.Now()
	for time.Now().Before(deadline) {
		out, complete := read()
		key := fmt.Sprintf("%v", out)
		if key != last {
			last, lastOut, stableSince = key, out, time.Now()
		} else if complete && time.Since(stableSince) > 300*time.Millisecond {
			return out
		}
		time.Sleep(25 * time.Millisecond)
	}
	return lastOut
}

func base(p string) string { return filepath.Base(p) }
