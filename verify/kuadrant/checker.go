package main

import (
	"fmt"
	"net/http"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"sync"

	authorinov1beta3 "github.com/kuadrant/authorino/api/v1beta3"
	"github.com/kuadrant/policy-machinery/machinery"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	gwapiv1 "sigs.k8s.io/gateway-api/apis/v1"

	"github.com/cdk8s-maas-egress/verify/report"
)

const checkerName = "kuadrant"

type options struct {
	AuthorinoNamespace string // where Kuadrant creates AuthConfigs and Authorino reads Secrets
	Host               string
	StrictHeaders      bool // ignore EnvoyFilter hand-off when judging the forwarded MaaS token
	Runs               int  // Authorino checks per identity (response items race, see checkRuns)
}

type problem = report.Problem

type checked = report.Checked

type decision struct {
	Type           string            `json:"type"`
	Checker        string            `json:"checker"`
	App            string            `json:"app"`
	Route          string            `json:"route"`
	Identity       string            `json:"identity"`
	Allowed        bool              `json:"allowed"`
	Code           int               `json:"code"`
	Headers        map[string]string `json:"headers"`
	IdentityObject any               `json:"identityObject"`
	Limit          *string           `json:"limit"`
	Counter        *string           `json:"counter"`
}

// reference is what the shared folder gives: the MaaS gateway, its policies, the tier mapping.
type reference struct {
	Gateway *gwapiv1.Gateway
	Bundle  *bundle
	Tiers   tierMapping
}

func loadReference(shared string) (*reference, error) {
	dir := filepath.Join(shared, "reference", "maas-tier-era")
	b, err := loadDir(dir)
	if err != nil {
		return nil, err
	}
	ref := &reference{Bundle: b, Tiers: defaultTierMapping}
	for _, g := range b.Gateways {
		if g.Name == maasGatewayName {
			if g.Namespace == "" {
				g.Namespace = maasGatewayNamespace
			}
			ref.Gateway = g
		}
	}
	if ref.Gateway == nil {
		return nil, fmt.Errorf("%s: no Gateway %s", dir, maasGatewayName)
	}
	for _, c := range b.ConfigMaps {
		if c.Name == "tier-to-group-mapping" && c.Data["tiers"] != "" {
			t, err := parseTierMapping(c.Data["tiers"])
			if err != nil {
				return nil, fmt.Errorf("tier-to-group-mapping: %w", err)
			}
			ref.Tiers = t
		}
	}
	return ref, nil
}

var (
	consumerOnce sync.Once
	consumerStr  = "authorino v0.25.0 (Kuadrant 1.5.2)"
)

func consumer() string {
	consumerOnce.Do(func() {
		bi, ok := debug.ReadBuildInfo()
		if !ok {
			return
		}
		a, k := "", ""
		for _, d := range bi.Deps {
			switch d.Path {
			case "github.com/kuadrant/authorino":
				a = d.Version
			case "github.com/kuadrant/kuadrant-operator":
				k = strings.TrimPrefix(d.Version, "v")
			}
		}
		if a != "" && k != "" {
			consumerStr = fmt.Sprintf("authorino %s (Kuadrant %s)", a, k)
		}
	})
	return consumerStr
}

var transportOnce sync.Once
var httpFake = &fakeHTTP{}

// installTransport replaces http.DefaultTransport (used by http.DefaultClient, which Authorino's
// metadata.http evaluator calls) with the in-process fake.
func installTransport(t tierMapping) {
	transportOnce.Do(func() {
		http.DefaultTransport = httpFake
	})
	httpFake.mu.Lock()
	httpFake.tiers = t
	httpFake.mu.Unlock()
}

type output struct {
	Problems  []problem
	Decisions []decision
	Checked   checked
	Notes     []string // to stderr
}

// checkApp evaluates every HTTPRoute of the app attached to the MaaS gateway.
func checkApp(appArg string, ref *reference, opt options) (*output, error) {
	app, err := loadDir(appArg)
	if err != nil {
		return nil, err
	}
	installTransport(ref.Tiers)
	out := &output{Checked: checked{Type: "checked", Checker: checkerName, App: appArg}}
	gw := ref.Gateway
	for _, g := range app.Gateways {
		if g.Name == maasGatewayName && g.Namespace == maasGatewayNamespace {
			gw = g // the app's own copy of the MaaS gateway wins
		}
	}
	var policies []machinery.Policy
	for _, p := range app.AuthPolicies {
		policies = append(policies, p)
	}
	for _, p := range app.TRLPs {
		policies = append(policies, p)
	}
	for _, p := range ref.Bundle.AuthPolicies {
		policies = append(policies, p)
	}
	for _, p := range ref.Bundle.TRLPs {
		policies = append(policies, p)
	}
	routes := append([]routeObj(nil), app.Routes...)
	sort.Slice(routes, func(i, j int) bool {
		return routes[i].Route.Namespace+"/"+routes[i].Route.Name < routes[j].Route.Namespace+"/"+routes[j].Route.Name
	})
	ids := identities(ref.Tiers)
	for _, ro := range routes {
		r := ro.Route
		if !attachedToMaaS(r) {
			continue
		}
		out.Checked.Objects++
		checkRoute(appArg, app, ro, gw, policies, ids, ref, opt, out)
	}
	return out, nil
}

func checkRoute(appArg string, app *bundle, ro routeObj, gw *gwapiv1.Gateway, policies []machinery.Policy, ids []identity, ref *reference, opt options, out *output) {
	r := ro.Route
	routeKey := r.Namespace + "/" + r.Name
	prob := func(format string, a ...any) {
		out.Problems = append(out.Problems, problem{Type: "problem", Checker: checkerName, App: appArg, File: ro.File,
			Object: "HTTPRoute " + routeKey, Consumer: consumer(), Message: fmt.Sprintf(format, a...)})
	}
	path, err := buildPath(gw, r, policies)
	if err != nil {
		prob("cannot evaluate: %v", err)
		return
	}
	effAP := effectiveAuthPolicy(path)
	effTRLP := effectiveTRLP(path)
	limits := tokenLimits(path, effTRLP)
	trlpName := "no TokenRateLimitPolicy"
	if effTRLP != nil {
		trlpName = "TokenRateLimitPolicy " + effTRLP.Namespace + "/" + effTRLP.Name
	}

	// Authorino, through its own AuthConfig controller.
	var az *authorino
	var authPreds []string
	apName := "no AuthPolicy"
	if effAP != nil {
		apName = "AuthPolicy " + effAP.Namespace + "/" + effAP.Name
		authPreds = effAP.Spec.Proper().Predicates.Into()
		acName := authConfigNameForPath(path.PathID)
		ac := buildAuthConfig(effAP, acName, opt.AuthorinoNamespace)
		secrets := secretsFor(ac, app, opt.AuthorinoNamespace, &out.Notes, routeKey)
		k8s := newFakeKube(ids, ref.Tiers)
		az, err = startAuthorino(ac, secrets, k8s)
		if err != nil {
			prob("Authorino rejects the AuthConfig built from %s (%s): %v; every request on this route is denied", apName, fileOf(app, ref, "AuthPolicy", effAP.Namespace, effAP.Name), err)
			az = nil
		}
	}

	keyPresent := true
	type result struct {
		id    identity
		res   *checkResult
		final map[string][]string
		limit *tokenLimit
		ctr   string
		why   []string
		// a success response item failed, so Authorino may drop the other success headers
		dropped bool
	}
	var results []result
	for _, id := range ids {
		req := &httpRequest{Identity: id.Key, Method: "POST", Scheme: "https", Host: opt.Host, Path: requestPath(path.Rule),
			Headers: map[string]string{"authorization": "Bearer " + id.Token, "content-type": "application/json",
				"host": opt.Host, "user-agent": "verify-kuadrant"}}
		var res *checkResult
		racy := false
		switch {
		case effAP == nil:
			res = &checkResult{Allowed: true, Code: 200}
		default:
			hold, perr := predicatesHold(authPreds, activation(req, nil))
			if perr != nil {
				out.Notes = append(out.Notes, fmt.Sprintf("%s %s: AuthPolicy when: %v (treated as not matching: auth skipped)", appArg, routeKey, perr))
			}
			if !hold {
				res = &checkResult{Allowed: true, Code: 200}
			} else if az == nil {
				res = &checkResult{Allowed: false, Code: 404}
			} else {
				res, racy, err = checkRuns(az, req, opt.Runs)
				if err != nil {
					prob("Authorino Check failed for %s: %v", id.Key, err)
					continue
				}
				if racy {
					out.Notes = append(out.Notes, fmt.Sprintf("%s %s: %s: Authorino's answers differ between runs; the decision shows the one with the fewest success headers", appArg, routeKey, id.Key))
				}
			}
		}
		for _, c := range httpFake.takeCalls() {
			if c.Kind == "unmodelled" {
				keyPresent = false
				out.Notes = append(out.Notes, fmt.Sprintf("%s %s: unmodelled HTTP metadata call %s %s (answered 404)", appArg, routeKey, c.Method, c.URL))
			}
			if c.Kind == "vault" && c.Status != 200 {
				keyPresent = false
			}
		}
		rs := result{id: id, res: res}
		judged := res
		if res.Allowed && responseItemFailed(res) {
			// Authorino evaluates the success response items of one priority with
			// evaluateAllAuthConfigs: the first that fails cancels the others
			// (pkg/service/auth_pipeline.go evaluateResponseConfigs), so any success header may be
			// missing. Judge the forwarded headers on the worst case: none of them.
			w := *res
			w.Headers = nil
			judged = &w
			rs.dropped = true
		}
		rs.final = applyHeaders(req.Headers, judged, path.Rule)
		if res.Allowed {
			rs.limit, rs.ctr, rs.why = matchLimit(limits, activation(req, res.DynamicMetadata))
		}
		results = append(results, rs)
	}

	// Decisions.
	for _, rs := range results {
		d := decision{Type: "decision", Checker: checkerName, App: appArg, Route: routeKey, Identity: rs.id.Key,
			Allowed: rs.res.Allowed, Code: rs.res.Code, Headers: map[string]string{}}
		hs := rs.res.Headers
		if rs.dropped {
			hs = nil // worst case, see above: deterministic, whatever this run's goroutines did
		}
		for _, h := range hs {
			n := strings.ToLower(h.Name)
			if v, ok := d.Headers[n]; ok {
				d.Headers[n] = v + ", " + h.Value
			} else {
				d.Headers[n] = h.Value
			}
		}
		if rs.res.DynamicMetadata != nil {
			if io, ok := rs.res.DynamicMetadata["identity"]; ok {
				d.IdentityObject = io
			}
		}
		if rs.limit != nil {
			l, c := rs.limit.ID(), rs.ctr
			d.Limit, d.Counter = &l, &c
		}
		out.Decisions = append(out.Decisions, d)
	}

	// Rule 1: nobody but the platform's tiers is let in, unless at exactly the tier MaaS's own
	// lookup gives it (then nobody picked a tier).
	for _, rs := range results {
		if rs.id.KnownTier != "" || !rs.res.Allowed {
			continue
		}
		got, hasTier := tierOf(rs.res.DynamicMetadata)
		if rs.id.Key == "wrong-audience" {
			prob("admits wrong-audience: a token not minted for audience %s gets %d%s", maasAudience, rs.res.Code, authorinoWhy(rs.res))
			continue
		}
		want := ref.Tiers.lookup(rs.id.Groups)
		switch {
		case effAP == nil:
			prob("admits %s: no AuthPolicy applies to this route (nor the MaaS gateway's)", rs.id.Key)
		case want == "":
			prob("admits %s (%s): MaaS's tier lookup gives it no tier, yet %s lets it in with tier %s", rs.id.Key, rs.id.Username, apName, tierText(got, hasTier))
		case !hasTier || got != want:
			prob("admits %s (%s): %s gives it tier %s, MaaS's tier lookup says %q%s", rs.id.Key, rs.id.Username, apName, tierText(got, hasTier), want, authorinoWhy(rs.res))
		}
	}
	// Rule 2: every admitted request is metered.
	for _, rs := range results {
		if rs.res.Allowed && rs.limit == nil {
			why := ""
			if len(rs.why) > 0 {
				why = " (" + strings.Join(rs.why, "; ") + ")"
			} else if len(limits) == 0 {
				why = " (it has no limits)"
			}
			prob("unmetered: %s matches no limit of %s%s", rs.id.Key, trlpName, why)
		}
	}
	// Rule 3: headers.
	seen := map[string]bool{}
	for _, rs := range results {
		for _, h := range rs.res.Headers {
			if rs.res.Allowed && h.Name != strings.ToLower(h.Name) && !seen[h.Name] {
				seen[h.Name] = true
				prob("success header %q of %s is not lower case: wasm-shim (Kuadrant >= 1.4.2) replaces only on an exact lower-case name, so it is added next to any %q the client sent instead of replacing it", h.Name, apName, strings.ToLower(h.Name))
			}
		}
	}
	removesAuth := ruleRemovesHeader(path.Rule, "authorization")
	handoff := ""
	if !removesAuth && !opt.StrictHeaders {
		var names []string
		seenN := map[string]bool{}
		for _, rs := range results {
			if !rs.res.Allowed {
				continue
			}
			for _, h := range rs.res.Headers {
				if n := strings.ToLower(h.Name); !seenN[n] {
					seenN[n] = true
					names = append(names, n)
				}
			}
		}
		sort.Strings(names)
		// only a route whose key goes into another header than authorization can hand off
		var others []string
		for _, n := range names {
			if n != "authorization" {
				others = append(others, n)
			}
		}
		if len(others) == len(names) {
			handoff = envoyFilterHandoff(app, others)
		}
	}
	var leaks []string
	for _, rs := range results {
		if !rs.res.Allowed {
			continue
		}
		for _, v := range rs.final["authorization"] {
			if strings.Contains(v, rs.id.Token) {
				if rs.dropped {
					leaks = append(leaks, rs.id.Key+" (a success response item fails for it, so Authorino may drop its success headers)")
				} else {
					leaks = append(leaks, rs.id.Key)
				}
				break
			}
		}
	}
	if len(leaks) > 0 && !removesAuth {
		if handoff != "" {
			out.Notes = append(out.Notes, fmt.Sprintf("%s %s: authorization still carries the MaaS token after Authorino (%s); left to EnvoyFilter %s, which names every success header and authorization (not evaluated)", appArg, routeKey, strings.Join(leaks, ", "), handoff))
		} else {
			prob("forwards the client's MaaS token: after %s the request towards the backend still carries `authorization: Bearer <MaaS token>` for %s (no success header `authorization` replaces it and the route does not remove Authorization)", apName, strings.Join(leaks, "; "))
		}
	}
	if keyPresent {
		for _, rs := range results {
			if rs.id.KnownTier != "" && rs.res.Code != 200 {
				prob("denies %s: %d from %s%s", rs.id.KnownTier, rs.res.Code, apName, authorinoWhy(rs.res))
			}
		}
	}
}

func tierOf(dm map[string]any) (string, bool) {
	id, ok := dm["identity"].(map[string]any)
	if !ok {
		return "", false
	}
	t, ok := id["tier"]
	if !ok || t == nil {
		return "", false
	}
	s, ok := t.(string)
	if !ok {
		return fmt.Sprint(t), true
	}
	return s, s != ""
}

func tierText(t string, ok bool) string {
	if !ok {
		return "none (no auth.identity.tier)"
	}
	return fmt.Sprintf("%q", t)
}

func authorinoWhy(res *checkResult) string {
	var parts []string
	for _, h := range res.Headers {
		if strings.EqualFold(h.Name, "x-ext-auth-reason") {
			parts = append(parts, "reason: "+h.Value)
		}
	}
	for _, l := range res.Logs {
		if strings.Contains(l, "cannot build dynamic response") {
			parts = append(parts, "authorino: "+l)
			break
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " [" + strings.Join(parts, "; ") + "]"
}

// applyHeaders models the request as it leaves towards the backend: Authorino's success headers
// applied the wasm-shim way, then the rule's RequestHeaderModifier filters (Gateway API: names are
// case-insensitive).
func applyHeaders(reqHeaders map[string]string, res *checkResult, rule *gwapiv1.HTTPRouteRule) map[string][]string {
	final := map[string][]string{}
	for k, v := range reqHeaders {
		final[k] = []string{v}
	}
	if res.Allowed {
		for _, h := range res.Headers {
			if h.Name == strings.ToLower(h.Name) {
				final[h.Name] = []string{h.Value} // Set: exact-name replace
			} else {
				n := strings.ToLower(h.Name)
				final[n] = append(final[n], h.Value) // no exact match: added alongside
			}
		}
	}
	for _, f := range rule.Filters {
		if f.Type != gwapiv1.HTTPRouteFilterRequestHeaderModifier || f.RequestHeaderModifier == nil {
			continue
		}
		m := f.RequestHeaderModifier
		for _, s := range m.Set {
			final[strings.ToLower(string(s.Name))] = []string{s.Value}
		}
		for _, a := range m.Add {
			n := strings.ToLower(string(a.Name))
			final[n] = append(final[n], a.Value)
		}
		for _, rm := range m.Remove {
			delete(final, strings.ToLower(rm))
		}
	}
	return final
}

func ruleRemovesHeader(rule *gwapiv1.HTTPRouteRule, name string) bool {
	for _, f := range rule.Filters {
		if f.Type == gwapiv1.HTTPRouteFilterRequestHeaderModifier && f.RequestHeaderModifier != nil {
			for _, rm := range f.RequestHeaderModifier.Remove {
				if strings.EqualFold(rm, name) {
					return true
				}
			}
		}
	}
	return false
}

// secretsFor gives Authorino the Secrets its AuthConfig references, in the AuthConfig's namespace
// (Authorino reads them there): the app's own when it ships them there, else a fake one.
func secretsFor(ac *authorinov1beta3.AuthConfig, app *bundle, ns string, notes *[]string, routeKey string) []*corev1.Secret {
	var out []*corev1.Secret
	refs := sharedSecretRefs(ac)
	names := make([]string, 0, len(refs))
	for n := range refs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		var found *corev1.Secret
		elsewhere := ""
		for _, s := range app.Secrets {
			if s.Name == n && s.Namespace == ns {
				found = s
			} else if s.Name == n {
				elsewhere = s.Namespace
			}
		}
		if found == nil {
			if elsewhere != "" {
				*notes = append(*notes, fmt.Sprintf("%s: Secret %s is shipped in namespace %s, Authorino reads it in %s; a fake one is used", routeKey, n, elsewhere, ns))
			}
			found = &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: n, Namespace: ns}, Data: map[string][]byte{}}
			for _, k := range refs[n] {
				found.Data[k] = []byte("fake-" + n + "-" + k)
			}
		}
		out = append(out, found)
	}
	return out
}

// envoyFilterHandoff: an EnvoyFilter on the MaaS gateway whose text names every success header
// Authorino sets on this route and "authorization" (a Lua that moves the injected key into
// authorization or drops it). Not evaluated: a heuristic, reported on stderr; --strict-headers
// disables it.
func envoyFilterHandoff(app *bundle, headerNames []string) string {
	if len(headerNames) == 0 {
		return ""
	}
	for _, e := range app.EnvoyFilters {
		onMaaS := false
		for _, g := range e.Gateways {
			if g == maasGatewayName {
				onMaaS = true
			}
		}
		if !onMaaS || e.Namespace != maasGatewayNamespace {
			continue
		}
		all := strings.Contains(e.Text, `"authorization"`)
		for _, h := range headerNames {
			if !strings.Contains(e.Text, `"`+h+`"`) {
				all = false
			}
		}
		if all {
			return e.Namespace + "/" + e.Name + " (" + e.File + ")"
		}
	}
	return ""
}

func fileOf(app *bundle, ref *reference, kind, ns, name string) string {
	if f, ok := app.PolicyFiles[kind+" "+ns+"/"+name]; ok {
		return f
	}
	if f, ok := ref.Bundle.PolicyFiles[kind+" "+ns+"/"+name]; ok {
		return "reference " + f
	}
	return "?"
}

func responseItemFailed(res *checkResult) bool {
	for _, l := range res.Logs {
		// logged by the response phase itself, which waits for all its items (no leftovers of an
		// earlier check can carry this message)
		if strings.Contains(l, "cannot build dynamic response") {
			return true
		}
	}
	return false
}

// checkRuns asks Authorino n times. Authorino evaluates evaluators of one phase concurrently and a
// failing one cancels the rest, so the success headers it returns can vary between runs. The
// decision kept is the worst case: allowed over denied, then the fewest success headers.
func checkRuns(az *authorino, req *httpRequest, n int) (*checkResult, bool, error) {
	if n < 1 {
		n = 1
	}
	var best *checkResult
	racy := false
	for i := 0; i < n; i++ {
		r, err := az.check(req)
		if err != nil {
			return nil, false, err
		}
		if best == nil {
			best = r
			continue
		}
		if r.Allowed != best.Allowed || r.Code != best.Code || len(r.Headers) != len(best.Headers) {
			racy = true
		}
		if (r.Allowed && !best.Allowed) || (r.Allowed == best.Allowed && len(r.Headers) < len(best.Headers)) {
			best = r
		}
	}
	return best, racy, nil
}
