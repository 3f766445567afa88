package main

// Effective policies of one HTTPRoute rule.
//
// Upstream code used: kuadrant-operator v1.5.2 api/v1 (public package):
//   - kuadrantv1.EffectivePolicyForPath / PoliciesInPath (api/v1/merge_strategies.go), which reduce
//     the policies attached along a Gateway -> Listener -> HTTPRoute -> HTTPRouteRule path with each
//     policy's own Merge (AtomicDefaultsMergeStrategy unless defaults/overrides say otherwise);
//   - the Targetable wrappers of github.com/kuadrant/policy-machinery/machinery.
// Our own code (this file): building that path from the YAML objects and attaching each policy to
// the targetable its targetRef names. kuadrant-operator builds the path from its topology
// (internal/controller/state_of_the_world.go, effective_auth_policies_reconciler.go,
// effective_tokenratelimit_policies_reconciler.go: CalculateEffective*Policies), which is
// internal/ and cannot be imported; we follow the same path shape
// (gateway|gateway#listener|route|route#rule-N).

import (
	"fmt"
	"sort"
	"strings"

	kuadrantv1 "github.com/kuadrant/kuadrant-operator/api/v1"
	kuadrantv1alpha1 "github.com/kuadrant/kuadrant-operator/api/v1alpha1"
	"github.com/kuadrant/policy-machinery/machinery"
	gwapiv1 "sigs.k8s.io/gateway-api/apis/v1"
)

const (
	maasGatewayNamespace = "openshift-ingress"
	maasGatewayName      = "maas-default-gateway"
)

// attachedToMaaS tells whether the route has a parentRef to the MaaS gateway.
func attachedToMaaS(r *gwapiv1.HTTPRoute) bool {
	for _, p := range r.Spec.ParentRefs {
		ns := r.Namespace
		if p.Namespace != nil {
			ns = string(*p.Namespace)
		}
		kind := "Gateway"
		if p.Kind != nil {
			kind = string(*p.Kind)
		}
		if kind == "Gateway" && ns == maasGatewayNamespace && string(p.Name) == maasGatewayName {
			return true
		}
	}
	return false
}

// routePath is the topology path of the request we send: the MaaS gateway, its https listener (or
// the first one), the route and its first rule.
type routePath struct {
	Path     []machinery.Targetable
	PathID   string
	Rule     *gwapiv1.HTTPRouteRule
	RuleName string
}

func ruleName(r *gwapiv1.HTTPRoute, i int) string {
	if n := r.Spec.Rules[i].Name; n != nil && *n != "" {
		return string(*n)
	}
	return fmt.Sprintf("rule-%d", i+1) // policy-machinery's name for unnamed rules
}

func targetOf(p machinery.Policy) (group, kind, name, section, ns string) {
	switch t := p.(type) {
	case *kuadrantv1.AuthPolicy:
		ref := t.Spec.TargetRef
		sec := ""
		if ref.SectionName != nil {
			sec = string(*ref.SectionName)
		}
		return string(ref.Group), string(ref.Kind), string(ref.Name), sec, t.Namespace
	case *kuadrantv1alpha1.TokenRateLimitPolicy:
		ref := t.Spec.TargetRef
		sec := ""
		if ref.SectionName != nil {
			sec = string(*ref.SectionName)
		}
		return string(ref.Group), string(ref.Kind), string(ref.Name), sec, t.Namespace
	}
	return "", "", "", "", ""
}

// buildPath builds the path for the first rule of route through gw, attaching policies.
func buildPath(gw *gwapiv1.Gateway, route *gwapiv1.HTTPRoute, policies []machinery.Policy) (*routePath, error) {
	if len(route.Spec.Rules) == 0 {
		return nil, fmt.Errorf("route has no rules")
	}
	if len(gw.Spec.Listeners) == 0 {
		return nil, fmt.Errorf("gateway %s/%s has no listeners", gw.Namespace, gw.Name)
	}
	li := 0
	for i, l := range gw.Spec.Listeners {
		if l.Protocol == gwapiv1.HTTPSProtocolType {
			li = i
			break
		}
	}
	mgw := &machinery.Gateway{Gateway: gw}
	ml := &machinery.Listener{Listener: &gw.Spec.Listeners[li], Gateway: mgw}
	mr := &machinery.HTTPRoute{HTTPRoute: route}
	rn := ruleName(route, 0)
	mrr := &machinery.HTTPRouteRule{HTTPRouteRule: &route.Spec.Rules[0], HTTPRoute: mr, Name: gwapiv1.SectionName(rn)}

	var onGw, onL, onR, onRR []machinery.Policy
	for _, p := range policies {
		group, kind, name, section, ns := targetOf(p)
		if group != gwapiv1.GroupName {
			continue
		}
		switch {
		case kind == "Gateway" && ns == gw.Namespace && name == gw.Name:
			if section == "" {
				onGw = append(onGw, p)
			} else if section == string(gw.Spec.Listeners[li].Name) {
				onL = append(onL, p)
			}
		case kind == "HTTPRoute" && ns == route.Namespace && name == route.Name:
			if section == "" {
				onR = append(onR, p)
			} else if section == rn {
				onRR = append(onRR, p)
			}
		}
	}
	mgw.SetPolicies(onGw)
	ml.SetPolicies(onL)
	mr.SetPolicies(onR)
	mrr.SetPolicies(onRR)
	path := []machinery.Targetable{mgw, ml, mr, mrr}
	return &routePath{Path: path, PathID: kuadrantv1.PathID(path), Rule: &route.Spec.Rules[0], RuleName: rn}, nil
}

// The predicates kuadrant-operator passes select one kind of policy (and accepted, not deleted
// ones: every policy here counts as accepted).
func isAuthPolicy(p machinery.Policy) bool {
	_, ok := p.(*kuadrantv1.AuthPolicy)
	return ok
}

func isTRLP(p machinery.Policy) bool {
	_, ok := p.(*kuadrantv1alpha1.TokenRateLimitPolicy)
	return ok
}

// effectiveAuthPolicy: upstream kuadrantv1.EffectivePolicyForPath.
func effectiveAuthPolicy(p *routePath) *kuadrantv1.AuthPolicy {
	eff := kuadrantv1.EffectivePolicyForPath[*kuadrantv1.AuthPolicy](p.Path, isAuthPolicy)
	if eff == nil {
		return nil
	}
	return *eff
}

func effectiveTRLP(p *routePath) *kuadrantv1alpha1.TokenRateLimitPolicy {
	eff := kuadrantv1.EffectivePolicyForPath[*kuadrantv1alpha1.TokenRateLimitPolicy](p.Path, isTRLP)
	if eff == nil {
		return nil
	}
	return *eff
}

// tokenLimit is one limit of the effective TRLP as wasm-shim sees it: predicates (top-level `when`
// followed by the limit's own `when`) and counters.
//
// Our translation, following kuadrant-operator v1.5.2
// internal/controller/ratelimit_workflow_helpers.go buildWasmActionsForTokenRateLimit (rules of the
// effective policy sorted by key, the top-level predicates rule split off, each limit's source
// policy found by locator among the policies in the path) and wasmActionsFromTokenLimit (predicates
// = top-level `when` + limit `when`; counters as data).
type tokenLimit struct {
	Policy     string // ns/name of the policy the limit comes from
	Name       string
	Predicates []string
	Counters   []string
}

func (l tokenLimit) ID() string { return l.Policy + "#" + l.Name }

func tokenLimits(p *routePath, eff *kuadrantv1alpha1.TokenRateLimitPolicy) []tokenLimit {
	if eff == nil {
		return nil
	}
	rules := eff.Rules()
	keys := make([]string, 0, len(rules))
	for k := range rules {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var top kuadrantv1.WhenPredicates
	if r, ok := rules[kuadrantv1.RulesKeyTopLevelPredicates]; ok {
		top = r.GetSpec().(kuadrantv1.WhenPredicates)
	}
	inPath := kuadrantv1.PoliciesInPath(p.Path, isTRLP)
	var out []tokenLimit
	for _, k := range keys {
		if k == kuadrantv1.RulesKeyTopLevelPredicates {
			continue
		}
		r := rules[k]
		src := eff.Namespace + "/" + eff.Name
		for _, sp := range inPath {
			if sp.GetLocator() == r.GetSource() {
				src = sp.GetNamespace() + "/" + sp.GetName()
				break
			}
		}
		spec := r.GetSpec().(*kuadrantv1alpha1.TokenLimit)
		l := tokenLimit{Policy: src, Name: k}
		l.Predicates = append(append(l.Predicates, top.Into()...), spec.When.Into()...)
		for _, c := range spec.Counters {
			l.Counters = append(l.Counters, string(c.Expression))
		}
		out = append(out, l)
	}
	return out
}

// requestPath: the route's first path match, with /v1/chat/completions appended for prefixes.
func requestPath(rule *gwapiv1.HTTPRouteRule) string {
	for _, m := range rule.Matches {
		if m.Path == nil || m.Path.Value == nil {
			continue
		}
		v := *m.Path.Value
		t := gwapiv1.PathMatchPathPrefix
		if m.Path.Type != nil {
			t = *m.Path.Type
		}
		if t == gwapiv1.PathMatchExact {
			return v
		}
		if t == gwapiv1.PathMatchPathPrefix {
			return strings.TrimSuffix(v, "/") + "/v1/chat/completions"
		}
	}
	return "/v1/chat/completions"
}
