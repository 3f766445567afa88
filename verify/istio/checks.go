package main

import (
	"fmt"
	"sort"
	"strings"

	hcm "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/network/http_connection_manager/v3"

	networking "istio.io/api/networking/v1alpha3"
	"istio.io/istio/pilot/pkg/model"
	"istio.io/istio/pkg/config/host"
)

type localProblem struct{ file, object, message string }

const blackHole = "BlackHoleCluster"

func (g *generated) problems(inputs []*object, ours map[string]*object, gws []*gatewayInfo, opts options) []localProblem {
	var out []localProblem
	fileOf := func(group, kind, ns, name string) string {
		if o := ours[group+"/"+kind+" "+ns+"/"+name]; o != nil {
			return o.File
		}
		return ""
	}
	isOurs := func(group, kind, ns, name string) bool {
		_, ok := ours[group+"/"+kind+" "+ns+"/"+name]
		return ok
	}
	var proxyNames []string
	for _, p := range g.proxies {
		proxyNames = append(proxyNames, p.gw.ProxyName())
	}
	sort.Strings(proxyNames)

	// 1. Gateway API status that istiod's gateway controller sets to False.
	for _, st := range g.statuses {
		const grp = "gateway.networking.k8s.io"
		if !isOurs(grp, st.Kind, st.Namespace, st.Name) {
			continue
		}
		for _, c := range st.Conditions {
			switch c.Type {
			case "Accepted", "ResolvedRefs", "Programmed":
			default:
				continue
			}
			if string(c.Status) != "False" {
				continue
			}
			where := ""
			if st.Where != "" {
				where = " (" + st.Where + ")"
			}
			out = append(out, localProblem{fileOf(grp, st.Kind, st.Namespace, st.Name), st.Kind + " " + st.Namespace + "/" + st.Name,
				fmt.Sprintf("status%s: %s=False, reason %s: %s", where, c.Type, c.Reason, c.Message)})
		}
	}

	// HTTPRoute of an Envoy route: Gateway API routes become VirtualServices
	// named <ns>.<name>.<n> (pilot/pkg/config/kube/gateway/conversion.go), and
	// the Envoy route takes that name.
	routeOwner := func(rname string) (string, string) {
		for _, o := range inputs {
			if o.Kind != "HTTPRoute" && o.Kind != "GRPCRoute" {
				continue
			}
			if strings.HasPrefix(rname, o.Namespace+"."+o.Name+".") {
				return o.File, o.Ref()
			}
		}
		return "", ""
	}

	// 2. Envoy routes to clusters the proxy does not have, or that fail.
	for _, p := range g.proxies {
		cds := map[string]bool{}
		for _, c := range p.clusters {
			cds[c.GetName()] = true
		}
		for _, rc := range p.routes {
			for _, vh := range rc.GetVirtualHosts() {
				for _, r := range vh.GetRoutes() {
					file, obj := routeOwner(r.GetName())
					where := fmt.Sprintf("proxy %s, route config %s, virtual host %s, route %q", p.gw.ProxyName(), rc.GetName(), vh.GetName(), r.GetName())
					if d := r.GetDirectResponse(); d != nil && d.GetStatus() >= 500 {
						out = append(out, localProblem{file, obj, fmt.Sprintf("%s: returns direct_response %d (%s)", where, d.GetStatus(), d.GetBody().GetInlineString())})
					}
					a := r.GetRoute()
					if a == nil {
						continue
					}
					var targets []string
					if c := a.GetCluster(); c != "" {
						targets = append(targets, c)
					}
					for _, w := range a.GetWeightedClusters().GetClusters() {
						targets = append(targets, w.GetName())
					}
					if a.GetClusterHeader() != "" || a.GetClusterSpecifierPlugin() != "" {
						continue
					}
					if len(targets) == 0 {
						out = append(out, localProblem{file, obj, where + ": routes to no cluster"})
					}
					for _, c := range targets {
						switch {
						case c == blackHole:
							out = append(out, localProblem{file, obj, fmt.Sprintf("%s: routes to %s (the request is dropped)", where, blackHole)})
						case !cds[c]:
							out = append(out, localProblem{file, obj, fmt.Sprintf("%s: routes to cluster %s, which the proxy's CDS does not contain (Envoy answers 503/500 NC)", where, c)})
						}
					}
				}
			}
		}
	}

	// 3. DestinationRules: host must match a service some proxy sees, and the
	// rule must be applied where traffic to that host flows.
	for _, o := range inputs {
		if o.Kind != "DestinationRule" || !isOurs(o.Group(), o.Kind, o.Namespace, o.Name) {
			continue
		}
		h := nestedString(o.U, "spec", "host")
		if h == "" {
			continue
		}
		drHost := host.Name(h)
		matchedAny := false
		for _, p := range g.proxies {
			used := routedHosts(p)
			for _, svc := range p.proxy.SidecarScope.Services() {
				if !drHost.Matches(svc.Hostname) && !(strings.IndexByte(h, '.') < 0 && strings.HasPrefix(string(svc.Hostname), h+"."+o.Namespace+".")) {
					continue
				}
				matchedAny = true
				if !used[string(svc.Hostname)] {
					continue
				}
				applied := false
				if cdr := p.proxy.SidecarScope.DestinationRule(model.TrafficDirectionOutbound, p.proxy, svc.Hostname); cdr != nil {
					for _, from := range cdr.GetFrom() {
						if from.Namespace == o.Namespace && from.Name == o.Name {
							applied = true
						}
					}
				}
				if !applied {
					out = append(out, localProblem{o.File, o.Ref(), fmt.Sprintf(
						"proxy %s routes to %s, but this DestinationRule is not applied there (not exported to %s?): its traffic policy (e.g. TLS origination) is missing on that hop",
						p.gw.ProxyName(), svc.Hostname, p.proxy.ConfigNamespace)})
				}
			}
		}
		if !matchedAny {
			out = append(out, localProblem{o.File, o.Ref(), fmt.Sprintf(
				"host %s matches no service visible to any gateway proxy (%s): no ServiceEntry/Service with that host is exported to them, so the rule configures nothing",
				h, strings.Join(proxyNames, ", "))})
		}
	}

	// 4. EnvoyFilters from the app: selected by some proxy, and applied there.
	for _, o := range inputs {
		if o.Kind != "EnvoyFilter" {
			continue
		}
		own := isOurs(o.Group(), o.Kind, o.Namespace, o.Name)
		isKuadrant := o.Origin != "" && strings.HasPrefix(o.Name, "kuadrant-")
		if !own && !isKuadrant {
			continue
		}
		var selected []*proxyResult
		for _, p := range g.proxies {
			if p.envoyFilters == nil {
				continue
			}
			found := false
			for _, patches := range p.envoyFilters.Patches {
				for _, pw := range patches {
					if pw.Name == o.Name && pw.Namespace == o.Namespace {
						found = true
					}
				}
			}
			if found {
				selected = append(selected, p)
			}
		}
		if isKuadrant {
			var maas *proxyResult
			for _, p := range g.proxies {
				if p.gw.Obj.Name == maasGatewayName && p.gw.Obj.Namespace == rootNamespace {
					maas = p
				}
			}
			for _, p := range selected {
				if p == maas {
					continue
				}
				out = append(out, localProblem{"", o.Ref(), kuadrantLeakMessage(opts, maas, p)})
			}
			continue
		}
		if len(selected) == 0 {
			sel := nestedMap(o.U, "spec", "workloadSelector", "labels")
			var podLabels []string
			for _, p := range g.proxies {
				podLabels = append(podLabels, fmt.Sprintf("%s %v", p.gw.ProxyName(), p.gw.PodLabels))
			}
			sort.Strings(podLabels)
			out = append(out, localProblem{o.File, o.Ref(), fmt.Sprintf(
				"applies to no proxy: workloadSelector %v in namespace %s selects none of the gateway pods (only the root namespace %s and the proxy's own namespace count); pods: %s",
				sel, o.Namespace, rootNamespace, strings.Join(podLabels, "; "))})
			continue
		}
		for _, p := range selected {
			hcms := p.httpFilters()
			for _, patches := range p.envoyFilters.Patches {
				for i, pw := range patches {
					if pw.Name != o.Name || pw.Namespace != o.Namespace || pw.ApplyTo != networking.EnvoyFilter_HTTP_FILTER {
						continue
					}
					want, ok := pw.Value.(*hcm.HttpFilter)
					if !ok {
						continue
					}
					switch pw.Operation {
					case networking.EnvoyFilter_Patch_INSERT_BEFORE, networking.EnvoyFilter_Patch_INSERT_AFTER,
						networking.EnvoyFilter_Patch_INSERT_FIRST, networking.EnvoyFilter_Patch_ADD:
					default:
						continue
					}
					applied := false
					for _, filters := range hcms {
						for _, hf := range filters {
							if hf.GetName() == want.GetName() && sameTypedConfig(hf.GetTypedConfig(), want.GetTypedConfig()) {
								applied = true
							}
						}
					}
					if !applied {
						out = append(out, localProblem{o.File, o.Ref(), fmt.Sprintf(
							"patch %d (HTTP_FILTER %s %s) is selected for proxy %s but appears in none of its HTTP connection managers (the match does not fit the generated listeners)",
							i, pw.Operation, want.GetName(), p.gw.ProxyName())})
					}
				}
			}
		}
	}

	// 5. Kuadrant 1.4's WasmPlugin (targetRefs honoured): only on the MaaS gateway.
	if opts.Kuadrant == "1.4" {
		// The ECDS filter is named extensions.istio.io/wasmplugin/<ns>.<name> at
		// 1.26 (pilot/pkg/model/extensions.go@1.26.8), and
		// extensions.istio.io/trafficextension/<ns>.<name>~istio-translated-wasmplugin
		// in the code we run (WasmPlugins translated to TrafficExtensions).
		ecds := rootNamespace + ".kuadrant-" + maasGatewayName
		for _, p := range g.proxies {
			has := false
			for _, filters := range p.httpFilters() {
				for _, hf := range filters {
					if strings.Contains(hf.GetName(), "/"+ecds) && hf.GetConfigDiscovery() != nil {
						has = true
					}
				}
			}
			target := p.gw.Obj.Name == maasGatewayName && p.gw.Obj.Namespace == rootNamespace
			if has && !target {
				out = append(out, localProblem{"", "WasmPlugin " + rootNamespace + "/kuadrant-" + maasGatewayName,
					"Kuadrant's WasmPlugin is applied to gateway proxy " + p.gw.ProxyName() + ", which is not its target"})
			}
			if !has && target {
				out = append(out, localProblem{"", "WasmPlugin " + rootNamespace + "/kuadrant-" + maasGatewayName,
					"Kuadrant's WasmPlugin is missing from the MaaS gateway's HTTP filters"})
			}
		}
	}
	return out
}

// routedHosts returns the service hostnames the proxy's routes send traffic to
// (from cluster names outbound|<port>|<subset>|<host>).
func routedHosts(p *proxyResult) map[string]bool {
	out := map[string]bool{}
	addCluster := func(c string) {
		parts := strings.SplitN(c, "|", 4)
		if len(parts) == 4 {
			out[parts[3]] = true
		}
	}
	for _, rc := range p.routes {
		for _, vh := range rc.GetVirtualHosts() {
			for _, r := range vh.GetRoutes() {
				a := r.GetRoute()
				if a == nil {
					continue
				}
				addCluster(a.GetCluster())
				for _, w := range a.GetWeightedClusters().GetClusters() {
					addCluster(w.GetName())
				}
			}
		}
	}
	return out
}

// kuadrantLeakMessage explains a Kuadrant wasm EnvoyFilter that reaches a
// gateway other than its target, and whether the MaaS gateway's routes to that
// gateway keep the MaaS Host (so that MaaS's hostname-scoped action sets match
// again there) or rewrite it.
func kuadrantLeakMessage(opts options, maas, p *proxyResult) string {
	msg := fmt.Sprintf("Kuadrant %s's wasm EnvoyFilter for Gateway %s/%s (targetRefs only, no workloadSelector, in the root namespace) is applied to gateway proxy %s too: istiod %s ignores EnvoyFilter targetRefs (pilot/pkg/model/push_context.go getMatchedEnvoyFilters checks only workloadSelector), so wasm-shim runs on every request there",
		opts.Kuadrant, rootNamespace, maasGatewayName, p.gw.ProxyName(), targetVersion(opts.Semantics))
	if maas == nil {
		return msg
	}
	fqdn := p.gw.Service + "." + p.gw.Obj.Namespace + ".svc.cluster.local"
	var keep, rewrite []string
	for _, rc := range maas.routes {
		for _, vh := range rc.GetVirtualHosts() {
			for _, r := range vh.GetRoutes() {
				a := r.GetRoute()
				if a == nil || !strings.HasSuffix(a.GetCluster(), "|"+fqdn) {
					continue
				}
				if h := a.GetHostRewriteLiteral(); h != "" && h != "maas."+clusterDomain {
					rewrite = append(rewrite, r.GetName())
				} else {
					keep = append(keep, r.GetName())
				}
			}
		}
	}
	keep, rewrite = uniqSorted(keep), uniqSorted(rewrite)
	switch {
	case len(keep) > 0:
		msg += fmt.Sprintf("; MaaS gateway routes %s forward to it with the MaaS Host unchanged, so MaaS's hostname-scoped action sets (AuthPolicy, TokenRateLimitPolicy) match again there", strings.Join(keep, ", "))
	case len(rewrite) > 0:
		msg += fmt.Sprintf("; every MaaS gateway route to it (%s) rewrites Host to %s, so MaaS's hostname-scoped action sets should not match there", strings.Join(rewrite, ", "), fqdn)
	}
	return msg
}

func uniqSorted(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}
