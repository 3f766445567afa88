package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	cluster "github.com/envoyproxy/go-control-plane/envoy/config/cluster/v3"
	core "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	listener "github.com/envoyproxy/go-control-plane/envoy/config/listener/v3"
	route "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	lua "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/lua/v3"
	wasm "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/wasm/v3"
	hcm "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/network/http_connection_manager/v3"
	tlsv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/transport_sockets/tls/v3"
	httpopts "github.com/envoyproxy/go-control-plane/envoy/extensions/upstreams/http/v3"
	matcher "github.com/envoyproxy/go-control-plane/envoy/type/matcher/v3"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"

	"istio.io/istio/pilot/pkg/model"
)

type proxyResult struct {
	gw           *gatewayInfo
	proxy        *model.Proxy
	listeners    []*listener.Listener
	routes       []*route.RouteConfiguration
	clusters     []*cluster.Cluster
	envoyFilters *model.MergedEnvoyFilterWrapper
}

// summary is the --dump format: a compact, sorted view of the Envoy config
// istiod generates for each gateway proxy.
type summary struct {
	Istio     string         `json:"istio"`
	IstioCode string         `json:"istioCode"`
	Kuadrant  string         `json:"kuadrant"`
	Proxies   []proxySummary `json:"proxies"`
}

type proxySummary struct {
	Name         string              `json:"name"`
	Labels       map[string]string   `json:"labels"`
	EnvoyFilters []string            `json:"envoyFilters"`
	HTTPFilters  map[string][]string `json:"httpFilters"`
	Routes       []routeSummary      `json:"routes"`
	Clusters     []clusterSummary    `json:"clusters"`
}

type headerMatch struct {
	Name      string `json:"name"`
	Exact     string `json:"exact,omitempty"`
	Prefix    string `json:"prefix,omitempty"`
	SafeRegex string `json:"safeRegex,omitempty"`
	Present   bool   `json:"present,omitempty"`
	Invert    bool   `json:"invert,omitempty"`
}

type routeMatch struct {
	Prefix              string        `json:"prefix,omitempty"`
	Path                string        `json:"path,omitempty"`
	SafeRegex           string        `json:"safeRegex,omitempty"`
	PathSeparatedPrefix string        `json:"pathSeparatedPrefix,omitempty"`
	Headers             []headerMatch `json:"headers"`
}

type weightedCluster struct {
	Name   string `json:"name"`
	Weight uint32 `json:"weight"`
}

type regexRewrite struct {
	Pattern      string `json:"pattern"`
	Substitution string `json:"substitution"`
}

type headerValue struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Append string `json:"append"`
}

type directResponse struct {
	Status uint32 `json:"status"`
	Body   string `json:"body"`
}

type routeSummary struct {
	RouteConfig            string            `json:"routeConfig"`
	VirtualHost            string            `json:"virtualHost"`
	Domains                []string          `json:"domains"`
	Name                   string            `json:"name"`
	Match                  routeMatch        `json:"match"`
	Cluster                string            `json:"cluster"`
	WeightedClusters       []weightedCluster `json:"weightedClusters"`
	PrefixRewrite          string            `json:"prefixRewrite"`
	RegexRewrite           *regexRewrite     `json:"regexRewrite"`
	HostRewriteLiteral     string            `json:"hostRewriteLiteral"`
	AutoHostRewrite        bool              `json:"autoHostRewrite"`
	Timeout                string            `json:"timeout"`
	Retries                uint32            `json:"retries"`
	RequestHeadersToRemove []string          `json:"requestHeadersToRemove"`
	RequestHeadersToAdd    []headerValue     `json:"requestHeadersToAdd"`
	DirectResponse         *directResponse   `json:"directResponse"`
}

type endpoint struct {
	Host string `json:"host"`
	Port uint32 `json:"port"`
}

type tlsSummary struct {
	SNI                string   `json:"sni"`
	AutoSNI            bool     `json:"autoSni"`
	AutoSANValidation  bool     `json:"autoSanValidation"`
	SANMatchers        []string `json:"sanMatchers"`
	CA                 string   `json:"ca"`
	InsecureSkipVerify bool     `json:"insecureSkipVerify"`
}

type clusterSummary struct {
	Name      string      `json:"name"`
	Type      string      `json:"type"`
	Endpoints []endpoint  `json:"endpoints"`
	TLS       *tlsSummary `json:"tls"`
}

func (g *generated) summary(opts options) *summary {
	s := &summary{Istio: targetVersion(opts.Semantics), IstioCode: istioCode(), Kuadrant: opts.Kuadrant, Proxies: []proxySummary{}}
	for _, p := range g.proxies {
		s.Proxies = append(s.Proxies, p.summarize())
	}
	sort.Slice(s.Proxies, func(i, j int) bool { return s.Proxies[i].Name < s.Proxies[j].Name })
	return s
}

func (p *proxyResult) summarize() proxySummary {
	ps := proxySummary{
		Name:         p.gw.ProxyName(),
		Labels:       p.gw.PodLabels,
		EnvoyFilters: p.appliedEnvoyFilters(),
		HTTPFilters:  map[string][]string{},
		Routes:       []routeSummary{},
		Clusters:     []clusterSummary{},
	}
	for key, filters := range p.httpFilters() {
		var names []string
		for _, hf := range filters {
			names = append(names, describeHTTPFilter(hf))
		}
		ps.HTTPFilters[key] = names
	}
	for _, rc := range p.routes {
		for _, vh := range rc.GetVirtualHosts() {
			domains := append([]string{}, vh.GetDomains()...)
			sort.Strings(domains)
			for _, r := range vh.GetRoutes() {
				ps.Routes = append(ps.Routes, summarizeRoute(rc.GetName(), vh.GetName(), domains, r))
			}
		}
	}
	sort.SliceStable(ps.Routes, func(i, j int) bool {
		a, b := ps.Routes[i], ps.Routes[j]
		if a.RouteConfig != b.RouteConfig {
			return a.RouteConfig < b.RouteConfig
		}
		if a.VirtualHost != b.VirtualHost {
			return a.VirtualHost < b.VirtualHost
		}
		return a.Name < b.Name
	})
	for _, c := range p.clusters {
		ps.Clusters = append(ps.Clusters, summarizeCluster(c))
	}
	sort.Slice(ps.Clusters, func(i, j int) bool { return ps.Clusters[i].Name < ps.Clusters[j].Name })
	return ps
}

// appliedEnvoyFilters lists "<ns>/<name>" of the EnvoyFilters istiod selected
// for this proxy, in istiod's order (priority, root namespace, time, name).
func (p *proxyResult) appliedEnvoyFilters() []string {
	out := []string{}
	if p.envoyFilters == nil {
		return out
	}
	seen := map[string]bool{}
	var all []*model.EnvoyFilterConfigPatchWrapper
	for _, patches := range p.envoyFilters.Patches {
		all = append(all, patches...)
	}
	for _, pw := range all {
		k := pw.Namespace + "/" + pw.Name
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// httpFilters returns the HTTP filter chain of each HTTP connection manager,
// keyed by listener name (plus the filter chain's SNI when a listener has
// several HTTP filter chains).
func (p *proxyResult) httpFilters() map[string][]*hcm.HttpFilter {
	out := map[string][]*hcm.HttpFilter{}
	for _, l := range p.listeners {
		type fc struct {
			key string
			h   *hcm.HttpConnectionManager
		}
		var fcs []fc
		for _, c := range l.GetFilterChains() {
			for _, nf := range c.GetFilters() {
				if nf.GetName() != "envoy.filters.network.http_connection_manager" {
					continue
				}
				h := &hcm.HttpConnectionManager{}
				if err := nf.GetTypedConfig().UnmarshalTo(h); err != nil {
					continue
				}
				key := c.GetName()
				if sn := c.GetFilterChainMatch().GetServerNames(); len(sn) > 0 {
					key = strings.Join(sn, ",")
				}
				fcs = append(fcs, fc{key: key, h: h})
			}
		}
		for _, x := range fcs {
			k := l.GetName()
			if len(fcs) > 1 && x.key != "" {
				k = l.GetName() + " " + x.key
			}
			out[k] = x.h.GetHttpFilters()
		}
	}
	return out
}

// describeHTTPFilter names a filter; Lua filters get the first non-empty line
// of their inline code, wasm filters their plugin name, ECDS filters "(ECDS)".
func describeHTTPFilter(hf *hcm.HttpFilter) string {
	name := hf.GetName()
	if hf.GetConfigDiscovery() != nil {
		return name + " (ECDS)"
	}
	tc := hf.GetTypedConfig()
	if tc == nil {
		return name
	}
	switch {
	case tc.MessageIs(&lua.Lua{}):
		l := &lua.Lua{}
		if tc.UnmarshalTo(l) == nil {
			code := l.GetInlineCode()
			if code == "" {
				code = l.GetDefaultSourceCode().GetInlineString()
			}
			for _, line := range strings.Split(code, "\n") {
				if t := strings.TrimSpace(line); t != "" {
					return name + " (" + t + ")"
				}
			}
		}
	case tc.MessageIs(&wasm.Wasm{}):
		w := &wasm.Wasm{}
		if tc.UnmarshalTo(w) == nil && w.GetConfig().GetName() != "" && w.GetConfig().GetName() != name {
			return name + " (wasm " + w.GetConfig().GetName() + ")"
		}
	}
	return name
}

func summarizeRoute(rc, vh string, domains []string, r *route.Route) routeSummary {
	rs := routeSummary{
		RouteConfig: rc, VirtualHost: vh, Domains: domains, Name: r.GetName(),
		WeightedClusters:       []weightedCluster{},
		RequestHeadersToRemove: append([]string{}, r.GetRequestHeadersToRemove()...),
		RequestHeadersToAdd:    []headerValue{},
	}
	m := r.GetMatch()
	rs.Match = routeMatch{Prefix: m.GetPrefix(), Path: m.GetPath(), SafeRegex: m.GetSafeRegex().GetRegex(), PathSeparatedPrefix: m.GetPathSeparatedPrefix(), Headers: []headerMatch{}}
	for _, h := range m.GetHeaders() {
		hm := headerMatch{Name: h.GetName(), Invert: h.GetInvertMatch(), Present: h.GetPresentMatch()}
		if sm := h.GetStringMatch(); sm != nil {
			hm.Exact, hm.Prefix, hm.SafeRegex = sm.GetExact(), sm.GetPrefix(), sm.GetSafeRegex().GetRegex()
		}
		if h.GetExactMatch() != "" {
			hm.Exact = h.GetExactMatch()
		}
		rs.Match.Headers = append(rs.Match.Headers, hm)
	}
	sort.SliceStable(rs.Match.Headers, func(i, j int) bool { return rs.Match.Headers[i].Name < rs.Match.Headers[j].Name })
	sort.Strings(rs.RequestHeadersToRemove)
	for _, h := range r.GetRequestHeadersToAdd() {
		rs.RequestHeadersToAdd = append(rs.RequestHeadersToAdd, headerValue{Name: h.GetHeader().GetKey(), Value: h.GetHeader().GetValue(), Append: h.GetAppendAction().String()})
	}
	sort.SliceStable(rs.RequestHeadersToAdd, func(i, j int) bool { return rs.RequestHeadersToAdd[i].Name < rs.RequestHeadersToAdd[j].Name })
	if a := r.GetRoute(); a != nil {
		rs.Cluster = a.GetCluster()
		for _, w := range a.GetWeightedClusters().GetClusters() {
			rs.WeightedClusters = append(rs.WeightedClusters, weightedCluster{Name: w.GetName(), Weight: w.GetWeight().GetValue()})
		}
		rs.PrefixRewrite = a.GetPrefixRewrite()
		if rr := a.GetRegexRewrite(); rr != nil {
			rs.RegexRewrite = &regexRewrite{Pattern: rr.GetPattern().GetRegex(), Substitution: rr.GetSubstitution()}
		}
		rs.HostRewriteLiteral = a.GetHostRewriteLiteral()
		rs.AutoHostRewrite = a.GetAutoHostRewrite().GetValue()
		if t := a.GetTimeout(); t != nil {
			rs.Timeout = t.AsDuration().String()
		}
		rs.Retries = a.GetRetryPolicy().GetNumRetries().GetValue()
	}
	if d := r.GetDirectResponse(); d != nil {
		rs.DirectResponse = &directResponse{Status: d.GetStatus(), Body: d.GetBody().GetInlineString()}
	}
	return rs
}

func summarizeCluster(c *cluster.Cluster) clusterSummary {
	cs := clusterSummary{Name: c.GetName(), Endpoints: []endpoint{}}
	switch {
	case c.GetClusterType() != nil:
		cs.Type = c.GetClusterType().GetName()
	default:
		cs.Type = c.GetType().String()
	}
	for _, le := range c.GetLoadAssignment().GetEndpoints() {
		for _, lb := range le.GetLbEndpoints() {
			sa := lb.GetEndpoint().GetAddress().GetSocketAddress()
			if sa != nil {
				cs.Endpoints = append(cs.Endpoints, endpoint{Host: sa.GetAddress(), Port: sa.GetPortValue()})
			}
		}
	}
	sort.Slice(cs.Endpoints, func(i, j int) bool {
		if cs.Endpoints[i].Host != cs.Endpoints[j].Host {
			return cs.Endpoints[i].Host < cs.Endpoints[j].Host
		}
		return cs.Endpoints[i].Port < cs.Endpoints[j].Port
	})
	cs.TLS = summarizeTLS(c)
	return cs
}

func summarizeTLS(c *cluster.Cluster) *tlsSummary {
	ts := c.GetTransportSocket()
	if ts == nil || ts.GetTypedConfig() == nil || !ts.GetTypedConfig().MessageIs(&tlsv3.UpstreamTlsContext{}) {
		return nil
	}
	u := &tlsv3.UpstreamTlsContext{}
	if ts.GetTypedConfig().UnmarshalTo(u) != nil {
		return nil
	}
	out := &tlsSummary{SNI: u.GetSni(), SANMatchers: []string{}}
	if raw, ok := c.GetTypedExtensionProtocolOptions()["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"]; ok {
		ho := &httpopts.HttpProtocolOptions{}
		if raw.UnmarshalTo(ho) == nil {
			out.AutoSNI = ho.GetUpstreamHttpProtocolOptions().GetAutoSni()
			out.AutoSANValidation = ho.GetUpstreamHttpProtocolOptions().GetAutoSanValidation()
		}
	}
	ctc := u.GetCommonTlsContext()
	var vc *tlsv3.CertificateValidationContext
	switch {
	case ctc.GetCombinedValidationContext() != nil:
		cvc := ctc.GetCombinedValidationContext()
		vc = cvc.GetDefaultValidationContext()
		out.CA = caName(cvc.GetValidationContextSdsSecretConfig().GetName())
	case ctc.GetValidationContext() != nil:
		vc = ctc.GetValidationContext()
	case ctc.GetValidationContextSdsSecretConfig() != nil:
		out.CA = caName(ctc.GetValidationContextSdsSecretConfig().GetName())
	}
	if vc != nil {
		if f := vc.GetTrustedCa().GetFilename(); f != "" && out.CA == "" {
			out.CA = caName(f)
		}
		for _, m := range vc.GetMatchTypedSubjectAltNames() {
			out.SANMatchers = append(out.SANMatchers, stringMatcher(m.GetMatcher()))
		}
	}
	sort.Strings(out.SANMatchers)
	out.InsecureSkipVerify = out.CA == "" && len(out.SANMatchers) == 0
	return out
}

func caName(s string) string {
	switch s {
	case "system", "file-root:system":
		return "system"
	}
	return s
}

func stringMatcher(m *matcher.StringMatcher) string {
	switch {
	case m.GetExact() != "":
		return "exact:" + m.GetExact()
	case m.GetPrefix() != "":
		return "prefix:" + m.GetPrefix()
	case m.GetSuffix() != "":
		return "suffix:" + m.GetSuffix()
	case m.GetSafeRegex() != nil:
		return "regex:" + m.GetSafeRegex().GetRegex()
	}
	return fmt.Sprint(m)
}

// sameTypedConfig compares two Any messages by content.
func sameTypedConfig(a, b *anypb.Any) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.GetTypeUrl() != b.GetTypeUrl() {
		return false
	}
	ma, err1 := a.UnmarshalNew()
	mb, err2 := b.UnmarshalNew()
	if err1 != nil || err2 != nil {
		return proto.Equal(a, b)
	}
	return proto.Equal(ma, mb)
}

var _ = core.TrafficDirection_OUTBOUND

// dumpRaw writes the full xDS of each proxy: <dir>/<app>.<ns>.<gateway>.json.
func (g *generated) dumpRaw(dir, app string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	mo := protojson.MarshalOptions{Indent: " "}
	for _, p := range g.proxies {
		var b strings.Builder
		b.WriteString("{\"listeners\":[")
		for i, l := range p.listeners {
			if i > 0 {
				b.WriteString(",")
			}
			j, err := mo.Marshal(l)
			if err != nil {
				return err
			}
			b.Write(j)
		}
		b.WriteString("],\"routes\":[")
		for i, r := range p.routes {
			if i > 0 {
				b.WriteString(",")
			}
			j, err := mo.Marshal(r)
			if err != nil {
				return err
			}
			b.Write(j)
		}
		b.WriteString("],\"clusters\":[")
		for i, c := range p.clusters {
			if i > 0 {
				b.WriteString(",")
			}
			j, err := mo.Marshal(c)
			if err != nil {
				return err
			}
			b.Write(j)
		}
		b.WriteString("]}\n")
		name := fmt.Sprintf("%s.%s.%s.json", app, p.gw.Obj.Namespace, p.gw.Obj.Name)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(b.String()), 0o644); err != nil {
			return err
		}
	}
	return nil
}
