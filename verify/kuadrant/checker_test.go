package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Fixtures are written in the test; nothing is read from dist/.

const fxGateway = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: maas-default-gateway
  namespace: openshift-ingress
spec:
  gatewayClassName: openshift-default
  listeners:
   - name: http
     hostname: maas.apps.example.com
     port: 80
     protocol: HTTP
     allowedRoutes: {namespaces: {from: All}}
   - name: https
     hostname: maas.apps.example.com
     port: 443
     protocol: HTTPS
     allowedRoutes: {namespaces: {from: All}}
`

const fxTiers = `apiVersion: v1
kind: ConfigMap
metadata:
  name: tier-to-group-mapping
data:
  tiers: |
    - name: free
      level: 0
      groups: [tier-free-users, system:authenticated]
    - name: premium
      level: 1
      groups: [tier-premium-users, premium-group]
    - name: enterprise
      level: 2
      groups: [tier-enterprise-users, enterprise-group, admin-group]
`

const fxRoute = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: openai-bridge
  namespace: maas-egress
spec:
  parentRefs:
    - name: maas-default-gateway
      namespace: openshift-ingress
  rules:
    - backendRefs:
        - name: egress-gateway-openshift-default
          port: 8080
      filters:
        - type: URLRewrite
          urlRewrite:
            path: {type: ReplacePrefixMatch, replacePrefixMatch: /openai/}
      matches:
        - path: {type: PathPrefix, value: /external/openai/}
`

// (a) today's shape: tier from the service account's namespace, nothing authorized but the key.
const fxNamespaceTierPolicy = `apiVersion: kuadrant.io/v1
kind: AuthPolicy
metadata:
  name: openai-bridge-auth
  namespace: maas-egress
spec:
  targetRef: {group: gateway.networking.k8s.io, kind: HTTPRoute, name: openai-bridge}
  rules:
    authentication:
      service-accounts:
        cache:
          key: {selector: context.request.http.headers.authorization.@case:lower}
          ttl: 600
        defaults:
          userid:
            expression: auth.identity.user.username.split(":")[3]
        kubernetesTokenReview:
          audiences: [maas-default-gateway-sa]
    authorization:
      key_openai-present:
        patternMatching:
          patterns:
            - predicate: has(auth.metadata.key_openai.data.data.api_key) && auth.metadata.key_openai.data.data.api_key != ""
    metadata:
      key_openai:
        cache:
          key: {value: openai-key}
          ttl: 300
        http:
          credentials:
            customHeader: {name: X-Vault-Token}
          method: GET
          sharedSecretRef: {key: token, name: vault-provider-keys-token}
          url: https://vault.vault.svc:8200/v1/secret/data/maas/providers/openai
    response:
      success:
        filters:
          identity:
            json:
              properties:
                tier:
                  expression: auth.identity.user.username.split(":")[2].split("-tier-")[1]
                userid:
                  expression: auth.identity.userid
        headers:
          authorization:
            plain:
              expression: "'Bearer ' + auth.metadata.key_openai.data.data.api_key"
`

// (b) the fixed shape: tier from MaaS's lookup, only known tiers authorized.
const fxLookupTierPolicy = `apiVersion: kuadrant.io/v1
kind: AuthPolicy
metadata:
  name: openai-bridge-auth
  namespace: maas-egress
spec:
  targetRef: {group: gateway.networking.k8s.io, kind: HTTPRoute, name: openai-bridge}
  rules:
    authentication:
      service-accounts:
        cache:
          key: {selector: context.request.http.headers.authorization.@case:lower}
          ttl: 600
        defaults:
          userid:
            expression: auth.identity.user.username.split(":")[3]
        kubernetesTokenReview:
          audiences: [maas-default-gateway-sa]
    metadata:
      matchedTier:
        http:
          url: https://maas-api.opendatahub.svc.cluster.local:8443/v1/tiers/lookup
          contentType: application/json
          method: POST
          body:
            expression: '{ "groups": auth.identity.user.groups }'
        cache:
          key: {selector: auth.identity.user.username}
          ttl: 300
      key_openai:
        cache:
          key: {value: openai-key}
          ttl: 300
        http:
          credentials:
            customHeader: {name: X-Vault-Token}
          method: GET
          sharedSecretRef: {key: token, name: vault-provider-keys-token}
          url: https://vault.vault.svc:8200/v1/secret/data/maas/providers/openai
    authorization:
      known-tier:
        patternMatching:
          patterns:
            - predicate: 'has(auth.metadata.matchedTier.tier) && auth.metadata.matchedTier.tier in ["free","premium","enterprise"]'
      key_openai-present:
        patternMatching:
          patterns:
            - predicate: has(auth.metadata.key_openai.data.data.api_key) && auth.metadata.key_openai.data.data.api_key != ""
    response:
      success:
        filters:
          identity:
            json:
              properties:
                tier:
                  expression: auth.metadata.matchedTier.tier
                userid:
                  expression: auth.identity.userid
        headers:
          authorization:
            plain:
              expression: "'Bearer ' + auth.metadata.key_openai.data.data.api_key"
`

func fxTRLP(tiers ...string) string {
	limits := map[string]string{"free": "100", "premium": "50000", "enterprise": "100000"}
	var b strings.Builder
	b.WriteString(`apiVersion: kuadrant.io/v1alpha1
kind: TokenRateLimitPolicy
metadata:
  name: tier-tokens-openai
  namespace: maas-egress
spec:
  targetRef: {group: gateway.networking.k8s.io, kind: HTTPRoute, name: openai-bridge}
  limits:
`)
	for _, t := range tiers {
		b.WriteString("    " + t + "-user-tokens:\n      rates: [{limit: " + limits[t] + ", window: 1m}]\n")
		b.WriteString("      when:\n        - predicate: auth.identity.tier == \"" + t + "\" && !request.path.endsWith(\"/v1/models\")\n")
		b.WriteString("      counters:\n        - expression: auth.identity.userid\n")
	}
	return b.String()
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for n, c := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// run builds a shared folder (gateway + tier mapping, plus extra reference files) and an app.
func run(t *testing.T, app map[string]string, extraRef map[string]string) *output {
	t.Helper()
	root := t.TempDir()
	refFiles := map[string]string{"maas-gateway-api.yaml": fxGateway, "tier-mapping-configmap.yaml": fxTiers}
	for k, v := range extraRef {
		refFiles[k] = v
	}
	writeFiles(t, filepath.Join(root, "shared", "reference", "maas-tier-era"), refFiles)
	appDir := filepath.Join(root, "app")
	writeFiles(t, appDir, app)
	ref, err := loadReference(filepath.Join(root, "shared"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := checkApp(appDir, ref, options{AuthorinoNamespace: "kuadrant-system", Host: "maas.apps.example.com", Runs: 4})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range out.Problems {
		t.Logf("problem: %s", p.Message)
	}
	return out
}

func decisionOf(t *testing.T, out *output, id string) decision {
	t.Helper()
	for _, d := range out.Decisions {
		if d.Identity == id {
			return d
		}
	}
	t.Fatalf("no decision for %s", id)
	return decision{}
}

func hasProblem(out *output, prefix string) bool {
	for _, p := range out.Problems {
		if strings.HasPrefix(p.Message, prefix) {
			return true
		}
	}
	return false
}

func TestNamespaceTierPolicyAdmitsAnyone(t *testing.T) {
	out := run(t, map[string]string{"route.yaml": fxRoute, "ap.yaml": fxNamespaceTierPolicy,
		"trlp.yaml": fxTRLP("free", "premium", "enterprise")}, nil)
	if out.Checked.Objects != 1 || len(out.Decisions) != 7 {
		t.Fatalf("checked %d, decisions %d", out.Checked.Objects, len(out.Decisions))
	}
	for _, want := range []string{"admits unknown-tier", "admits no-tier", "admits forged-namespace", "unmetered: no-tier", "unmetered: unknown-tier"} {
		if !hasProblem(out, want) {
			t.Errorf("missing problem %q", want)
		}
	}
	if hasProblem(out, "admits wrong-audience") || hasProblem(out, "denies ") {
		t.Errorf("unexpected problem")
	}
	// the failing tier expression can cancel the authorization success header: the no-tier
	// caller's MaaS token may reach the provider
	if !hasProblem(out, "forwards the client's MaaS token") {
		t.Errorf("want forwarded token for no-tier")
	}
	u := decisionOf(t, out, "unknown-tier")
	if !u.Allowed || u.IdentityObject.(map[string]any)["tier"] != "gold" {
		t.Errorf("unknown-tier: %+v", u)
	}
	// forged namespace picks enterprise, and so gets enterprise's budget
	f := decisionOf(t, out, "forged-namespace")
	if f.IdentityObject.(map[string]any)["tier"] != "enterprise" || f.Limit == nil || !strings.HasSuffix(*f.Limit, "#enterprise-user-tokens") {
		t.Errorf("forged-namespace: %+v", f)
	}
	// the index error drops the whole identity object (Authorino dynamic_json)
	if n := decisionOf(t, out, "no-tier"); !n.Allowed || n.IdentityObject != nil || n.Limit != nil {
		t.Errorf("no-tier: %+v", n)
	}
	w := decisionOf(t, out, "wrong-audience")
	if w.Allowed || w.Code != 401 {
		t.Errorf("wrong-audience: %+v", w)
	}
	p := decisionOf(t, out, "premium")
	if !p.Allowed || p.Headers["authorization"] != "Bearer sk-test-openai" || p.Counter == nil || *p.Counter != "alice" {
		t.Errorf("premium: %+v", p)
	}
}

func TestLookupTierPolicyIsClean(t *testing.T) {
	out := run(t, map[string]string{"route.yaml": fxRoute, "ap.yaml": fxLookupTierPolicy,
		"trlp.yaml": fxTRLP("free", "premium", "enterprise")}, nil)
	if len(out.Problems) != 0 {
		t.Fatalf("want no problems, got %d", len(out.Problems))
	}
	for _, tier := range []string{"free", "premium", "enterprise"} {
		d := decisionOf(t, out, tier)
		if !d.Allowed || d.IdentityObject.(map[string]any)["tier"] != tier || d.Limit == nil ||
			*d.Limit != "maas-egress/tier-tokens-openai#"+tier+"-user-tokens" || *d.Counter != "alice" {
			t.Errorf("%s: %+v", tier, d)
		}
	}
	// via the lookup nobody picks a tier: the others are admitted as free (system:authenticated)
	for _, id := range []string{"unknown-tier", "no-tier", "forged-namespace"} {
		d := decisionOf(t, out, id)
		if !d.Allowed || d.IdentityObject.(map[string]any)["tier"] != "free" {
			t.Errorf("%s: %+v", id, d)
		}
	}
	if d := decisionOf(t, out, "wrong-audience"); d.Allowed || d.Code != 401 {
		t.Errorf("wrong-audience: %+v", d)
	}
}

func TestTRLPWithOnlyFreeLeavesPremiumUnmetered(t *testing.T) {
	out := run(t, map[string]string{"route.yaml": fxRoute, "ap.yaml": fxLookupTierPolicy, "trlp.yaml": fxTRLP("free")}, nil)
	if !hasProblem(out, "unmetered: premium matches no limit of TokenRateLimitPolicy maas-egress/tier-tokens-openai") {
		t.Error("premium should be unmetered")
	}
	if !hasProblem(out, "unmetered: enterprise") || hasProblem(out, "unmetered: free") {
		t.Error("enterprise unmetered, free metered")
	}
}

// Only a username pattern admits: the others are denied (403) and no problem remains.
func TestUsernamePatternPolicy(t *testing.T) {
	p := strings.Replace(fxNamespaceTierPolicy, `    authorization:
`, `    authorization:
      known-tier-namespace:
        patternMatching:
          patterns:
            - predicate: auth.identity.user.username.matches("^system:serviceaccount:maas-default-gateway-tier-(free|premium|enterprise):")
`, 1)
	out := run(t, map[string]string{"route.yaml": fxRoute, "ap.yaml": p, "trlp.yaml": fxTRLP("free", "premium", "enterprise")}, nil)
	if len(out.Problems) != 0 {
		t.Fatalf("want no problems, got %d", len(out.Problems))
	}
	for _, id := range []string{"unknown-tier", "no-tier", "forged-namespace"} {
		if d := decisionOf(t, out, id); d.Allowed || d.Code != 403 {
			t.Errorf("%s: %+v", id, d)
		}
	}
}

// A capitalised success header is added next to the client's token; the token reaches the backend.
func TestHeaderCaseAndForwardedToken(t *testing.T) {
	p := strings.Replace(fxLookupTierPolicy, "        headers:\n          authorization:", "        headers:\n          Authorization:", 1)
	out := run(t, map[string]string{"route.yaml": fxRoute, "ap.yaml": p, "trlp.yaml": fxTRLP("free", "premium", "enterprise")}, nil)
	if !hasProblem(out, `success header "Authorization"`) || !hasProblem(out, "forwards the client's MaaS token") {
		t.Error("want header-case and forwarded-token problems")
	}
	// removing Authorization on the route settles the forwarded token
	r := strings.Replace(fxRoute, "      matches:", `        - type: RequestHeaderModifier
          requestHeaderModifier:
            remove: [Authorization]
      matches:`, 1)
	out = run(t, map[string]string{"route.yaml": r, "ap.yaml": fxLookupTierPolicy, "trlp.yaml": fxTRLP("free", "premium", "enterprise")}, nil)
	if len(out.Problems) != 0 {
		t.Errorf("want no problems")
	}
}

// A key that cannot be had (Vault answers 403: the token is not sent as X-Vault-Token) denies every tier,
// but that is not blamed on the policy ("key present" is false).
func TestVaultDeniedIsNotDeniesProblem(t *testing.T) {
	p := strings.Replace(fxLookupTierPolicy, "credentials:\n            customHeader: {name: X-Vault-Token}", "credentials:\n            customHeader: {name: X-Other}", 1)
	out := run(t, map[string]string{"route.yaml": fxRoute, "ap.yaml": p, "trlp.yaml": fxTRLP("free", "premium", "enterprise")}, nil)
	if d := decisionOf(t, out, "free"); d.Allowed || d.Code != 403 {
		t.Errorf("free: %+v", d)
	}
	if hasProblem(out, "denies") {
		t.Error("no denies problem without a key")
	}
}

// A known tier denied while the key is there is a problem ("denies <tier>").
func TestWrongAudienceDeniesKnownTiers(t *testing.T) {
	p := strings.Replace(fxLookupTierPolicy, "audiences: [maas-default-gateway-sa]", "audiences: [some-other-audience]", 1)
	out := run(t, map[string]string{"route.yaml": fxRoute, "ap.yaml": p, "trlp.yaml": fxTRLP("free", "premium", "enterprise")}, nil)
	for _, tier := range []string{"free", "premium", "enterprise"} {
		if !hasProblem(out, "denies "+tier+": 401") {
			t.Errorf("want denies %s", tier)
		}
	}
}

// No route policy: the MaaS gateway's own policies (the reference folder) apply.
func TestGatewayPoliciesApplyWithoutRoutePolicies(t *testing.T) {
	ap, err1 := os.ReadFile("/work/shared/reference/maas-tier-era/gateway-auth-policy.yaml")
	tr, err2 := os.ReadFile("/work/shared/reference/maas-tier-era/token-limit-policy.yaml")
	if err1 != nil || err2 != nil {
		t.Skip("reference policies not available")
	}
	out := run(t, map[string]string{"route.yaml": fxRoute},
		map[string]string{"gateway-auth-policy.yaml": string(ap), "token-limit-policy.yaml": string(tr)})
	for _, tier := range []string{"free", "premium", "enterprise"} {
		d := decisionOf(t, out, tier)
		if !d.Allowed || d.Limit == nil || *d.Limit != "openshift-ingress/gateway-token-rate-limits#"+tier+"-user-tokens" {
			t.Errorf("%s: %+v", tier, d)
		}
	}
	// tier-access (SubjectAccessReview) keeps out whoever has no tier group
	if d := decisionOf(t, out, "unknown-tier"); d.Allowed || d.Code != 403 {
		t.Errorf("unknown-tier: %+v", d)
	}
	if !hasProblem(out, `success header "X-MaaS-Username"`) {
		t.Error("the gateway policy's X-MaaS-* headers are not lower case")
	}
}
