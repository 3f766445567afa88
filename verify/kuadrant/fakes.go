package main

// Fakes standing in for the cluster and the services Authorino calls. All of this is OUR code.
//   - Kubernetes TokenReview / SubjectAccessReview: the controller-runtime fake client's Create is
//     intercepted (Authorino's kubernetesTokenReview evaluator does client.Create(ctx, *TokenReview)
//     and reads .Status; kubernetesSubjectAccessReview does the same with a SubjectAccessReview).
//   - HTTP metadata (Authorino's metadata.http uses http.DefaultClient): http.DefaultTransport is
//     replaced in-process by a RoundTripper serving fixed answers by URL path. No network.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"

	authnv1 "k8s.io/api/authentication/v1"
	authzv1 "k8s.io/api/authorization/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"
)

const (
	maasAudience = "maas-default-gateway-sa"
	tierNSPrefix = "maas-default-gateway-tier-"
)

// identity is one representative caller.
type identity struct {
	Key       string // free|premium|enterprise|unknown-tier|no-tier|forged-namespace|wrong-audience
	KnownTier string // set for the platform's tiers
	Username  string
	Groups    []string
	Token     string
	Audiences []string // audiences the token was minted for
}

// tierDef is one entry of MaaS's tier-to-group-mapping ConfigMap.
type tierDef struct {
	Name   string   `json:"name"`
	Level  int      `json:"level"`
	Groups []string `json:"groups"`
}

type tierMapping []tierDef

func parseTierMapping(data string) (tierMapping, error) {
	var t tierMapping
	if err := yaml.Unmarshal([]byte(data), &t); err != nil {
		return nil, err
	}
	sort.SliceStable(t, func(i, j int) bool { return t[i].Level < t[j].Level })
	return t, nil
}

// defaultTierMapping: MaaS tier-era defaults, used when the reference ConfigMap is absent.
var defaultTierMapping = tierMapping{
	{Name: "free", Level: 0, Groups: []string{"tier-free-users", "system:authenticated"}},
	{Name: "premium", Level: 1, Groups: []string{"tier-premium-users", "premium-group"}},
	{Name: "enterprise", Level: 2, Groups: []string{"tier-enterprise-users", "enterprise-group", "admin-group"}},
}

// lookup answers like maas-api's POST /v1/tiers/lookup: the highest-level tier one of whose groups
// the caller has; "" if none (maas-api answers 404).
func (t tierMapping) lookup(groups []string) string {
	best, lvl := "", -1
	for _, d := range t {
		for _, g := range d.Groups {
			for _, ug := range groups {
				if g == ug && d.Level > lvl {
					best, lvl = d.Name, d.Level
				}
			}
		}
	}
	return best
}

func (t tierMapping) names() []string {
	var n []string
	for _, d := range t {
		n = append(n, d.Name)
	}
	return n
}

func identities(tiers tierMapping) []identity {
	var ids []identity
	for _, t := range tiers.names() {
		ids = append(ids, identity{
			Key: t, KnownTier: t,
			Username:  "system:serviceaccount:" + tierNSPrefix + t + ":alice",
			Groups:    []string{"tier-" + t + "-users", "system:serviceaccounts", "system:authenticated"},
			Token:     "tok-" + t,
			Audiences: []string{maasAudience},
		})
	}
	ids = append(ids,
		identity{Key: "unknown-tier", Username: "system:serviceaccount:me-tier-gold:mallory",
			Groups: []string{"system:authenticated"}, Token: "tok-unknown-tier", Audiences: []string{maasAudience}},
		identity{Key: "no-tier", Username: "system:serviceaccount:team-a:bob",
			Groups: []string{"system:authenticated"}, Token: "tok-no-tier", Audiences: []string{maasAudience}},
		identity{Key: "forged-namespace", Username: "system:serviceaccount:evil-" + tierNSPrefix + "enterprise:eve",
			Groups: []string{"system:authenticated"}, Token: "tok-forged-namespace", Audiences: []string{maasAudience}},
		identity{Key: "wrong-audience", Username: "system:serviceaccount:" + tierNSPrefix + "free:carol",
			Groups: []string{"tier-free-users", "system:serviceaccounts", "system:authenticated"},
			Token:  "tok-wrong-audience", Audiences: []string{"https://kubernetes.default.svc"}},
	)
	sort.Slice(ids, func(i, j int) bool { return ids[i].Key < ids[j].Key })
	return ids
}

// ---- Kubernetes API ----

type fakeKube struct {
	byToken map[string]identity
	tiers   tierMapping
}

func newFakeKube(ids []identity, tiers tierMapping) *fakeKube {
	k := &fakeKube{byToken: map[string]identity{}, tiers: tiers}
	for _, id := range ids {
		k.byToken[id.Token] = id
	}
	return k
}

func (k *fakeKube) create(ctx context.Context, c client.WithWatch, obj client.Object, opts ...client.CreateOption) error {
	switch o := obj.(type) {
	case *authnv1.TokenReview:
		// kube-apiserver: authenticated iff the token is known and one of the requested audiences
		// is one the token was minted for (no audiences requested = the API server's own audience).
		id, ok := k.byToken[o.Spec.Token]
		o.Status = authnv1.TokenReviewStatus{}
		if !ok {
			o.Status.Error = "invalid bearer token"
			return nil
		}
		var matched []string
		for _, a := range o.Spec.Audiences {
			for _, ta := range id.Audiences {
				if a == ta {
					matched = append(matched, a)
				}
			}
		}
		if len(matched) == 0 {
			o.Status.Error = "token audiences do not match"
			return nil
		}
		o.Status.Authenticated = true
		o.Status.Audiences = matched
		o.Status.User = authnv1.UserInfo{Username: id.Username, UID: "uid-" + id.Key, Groups: id.Groups}
		return nil
	case *authzv1.SubjectAccessReview:
		// Cluster RBAC as modelled here (an assumption, no cluster was read): the platform's tier
		// groups (the ConfigMap's tier-<t>-users style groups, not system:authenticated) may
		// `post` llminferenceservices; nobody else may.
		allowed := false
		for _, g := range o.Spec.Groups {
			for _, d := range k.tiers {
				if g == "tier-"+d.Name+"-users" {
					allowed = true
				}
			}
		}
		o.Status = authzv1.SubjectAccessReviewStatus{Allowed: allowed}
		if !allowed {
			o.Status.Reason = "no RBAC rule for this user"
		}
		return nil
	}
	return c.Create(ctx, obj, opts...)
}

// ---- HTTP services ----

type httpCall struct {
	Method, URL string
	Status      int
	Kind        string // tier-lookup | vault | unmodelled
}

type fakeHTTP struct {
	mu    sync.Mutex
	tiers tierMapping
	calls []httpCall
}

func (f *fakeHTTP) takeCalls() []httpCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.calls
	f.calls = nil
	return c
}

func jsonResp(req *http.Request, status int, body any) *http.Response {
	b, _ := json.Marshal(body)
	return &http.Response{
		StatusCode: status, Status: fmt.Sprintf("%d %s", status, http.StatusText(status)),
		Header: http.Header{"Content-Type": []string{"application/json"}},
		Body:   io.NopCloser(bytes.NewReader(b)), ContentLength: int64(len(b)),
		Request: req, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
	}
}

func (f *fakeHTTP) RoundTrip(req *http.Request) (*http.Response, error) {
	p := req.URL.Path
	var resp *http.Response
	kind := "unmodelled"
	switch {
	case strings.HasSuffix(p, "/v1/tiers/lookup") && req.Method == http.MethodPost:
		kind = "tier-lookup"
		var body struct {
			Groups []string `json:"groups"`
		}
		if req.Body != nil {
			b, _ := io.ReadAll(req.Body)
			_ = json.Unmarshal(b, &body)
		}
		if t := f.tiers.lookup(body.Groups); t != "" {
			resp = jsonResp(req, 200, map[string]string{"tier": t})
		} else {
			resp = jsonResp(req, 404, map[string]string{"error": "not_found", "message": "no tier found for user groups"})
		}
	case strings.HasPrefix(p, "/v1/secret/data/") && req.Method == http.MethodGet:
		kind = "vault"
		if req.Header.Get("X-Vault-Token") == "" {
			resp = jsonResp(req, 403, map[string]any{"errors": []string{"permission denied"}})
		} else {
			seg := strings.Split(strings.TrimSuffix(p, "/"), "/")
			prov := seg[len(seg)-1]
			resp = jsonResp(req, 200, map[string]any{"data": map[string]any{
				"data":     map[string]string{"api_key": "sk-test-" + prov},
				"metadata": map[string]any{"version": 1}}})
		}
	default:
		resp = jsonResp(req, 404, map[string]string{"error": "not modelled by verify/kuadrant"})
	}
	f.mu.Lock()
	f.calls = append(f.calls, httpCall{Method: req.Method, URL: req.URL.String(), Status: resp.StatusCode, Kind: kind})
	f.mu.Unlock()
	return resp, nil
}
