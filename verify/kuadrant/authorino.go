package main

// Running Authorino's own code on an AuthConfig.
//
// UPSTREAM CODE (github.com/kuadrant/authorino v0.25.0, called, not copied):
//   - controllers.AuthConfigReconciler.Reconcile: reads the AuthConfig through a controller-runtime
//     client, translates it into evaluators (translateAuthConfig: identity, metadata, authorization,
//     response, callbacks; Secrets for sharedSecretRef read in the AuthConfig's namespace) and puts it
//     in the index under its hosts;
//   - pkg/index.NewIndex, pkg/service.NewAuthService(...).Check(ctx, *envoy CheckRequest): the gRPC
//     ext_authz entry point, AuthPipeline.Evaluate (identity -> metadata -> authorization ->
//     response -> callbacks), caches included;
//   - the kubernetesTokenReview / kubernetesSubjectAccessReview evaluators call Create on the
//     client returned by AuthConfigReconciler.NewClient: we give them a controller-runtime fake
//     client whose Create is intercepted (fakes.go);
//   - metadata.http uses http.DefaultClient: answered by an in-process RoundTripper (fakes.go).

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	envoycore "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	envoyauth "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
	"github.com/go-logr/logr"
	authorinov1beta3 "github.com/kuadrant/authorino/api/v1beta3"
	"github.com/kuadrant/authorino/controllers"
	"github.com/kuadrant/authorino/pkg/index"
	authorinolog "github.com/kuadrant/authorino/pkg/log"
	"github.com/kuadrant/authorino/pkg/service"
	authnv1 "k8s.io/api/authentication/v1"
	authzv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"
)

// ---- log capture: Authorino's logger lines become part of our problem messages ----

type collector struct {
	mu    sync.Mutex
	lines []string
}

func (c *collector) reset() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	l := c.lines
	c.lines = nil
	return l
}

var logs = &collector{}

type sink struct {
	name string
	kv   []any
}

func (s sink) Init(logr.RuntimeInfo)  {}
func (s sink) Enabled(level int) bool { return level <= 1 }
func (s sink) Info(level int, msg string, kv ...any) {
	logs.add(s.name, msg, nil, append(append([]any{}, s.kv...), kv...))
}
func (s sink) Error(err error, msg string, kv ...any) {
	logs.add(s.name, msg, err, append(append([]any{}, s.kv...), kv...))
}
func (s sink) WithValues(kv ...any) logr.LogSink {
	return sink{name: s.name, kv: append(append([]any{}, s.kv...), kv...)}
}
func (s sink) WithName(n string) logr.LogSink {
	if s.name != "" {
		n = s.name + "." + n
	}
	return sink{name: n, kv: s.kv}
}

func (c *collector) add(name, msg string, err error, kv []any) {
	var b strings.Builder
	b.WriteString(msg)
	if err != nil {
		fmt.Fprintf(&b, ": %v", err)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		k := fmt.Sprint(kv[i])
		if k == "reason" || k == "error" || k == "host" {
			fmt.Fprintf(&b, " %s=%v", k, kv[i+1])
		}
	}
	c.mu.Lock()
	c.lines = append(c.lines, name+": "+b.String())
	c.mu.Unlock()
}

func init() {
	l := logr.New(sink{})
	authorinolog.Log = l
	ctrl.SetLogger(l)
}

// ---- the Authorino instance of one route ----

type authorino struct {
	svc       *service.AuthService
	host      string
	namespace string
}

func newScheme() *runtime.Scheme {
	s := runtime.NewScheme()
	_ = corev1.AddToScheme(s)
	_ = authnv1.AddToScheme(s)
	_ = authzv1.AddToScheme(s)
	_ = authorinov1beta3.AddToScheme(s)
	return s
}

// startAuthorino reconciles the AuthConfig with Authorino's controller into a fresh index.
// secrets are the Secrets visible in the AuthConfig's namespace.
func startAuthorino(ac *authorinov1beta3.AuthConfig, secrets []*corev1.Secret, k8s *fakeKube) (*authorino, error) {
	objs := []client.Object{ac.DeepCopy()}
	for _, s := range secrets {
		objs = append(objs, s.DeepCopy())
	}
	c := fake.NewClientBuilder().WithScheme(newScheme()).WithObjects(objs...).
		WithInterceptorFuncs(interceptor.Funcs{Create: k8s.create}).Build()
	idx := index.NewIndex()
	r := &controllers.AuthConfigReconciler{
		Client:       c,
		NewClient:    func() (client.Client, error) { return c, nil },
		Logger:       authorinolog.WithName("authconfig"),
		Index:        idx,
		StatusReport: controllers.NewStatusReportMap(),
	}
	_, err := r.Reconcile(context.Background(), ctrl.Request{NamespacedName: types.NamespacedName{Namespace: ac.Namespace, Name: ac.Name}})
	if err != nil {
		return nil, err
	}
	if st, ok := r.StatusReport.Get(ac.Namespace + "/" + ac.Name); ok && st.Reason != authorinov1beta3.StatusReasonReconciled {
		return nil, fmt.Errorf("authconfig not ready: %s %s", st.Reason, st.Message)
	}
	return &authorino{svc: service.NewAuthService(idx, 10*time.Second, 8192), host: ac.Spec.Hosts[0], namespace: ac.Namespace}, nil
}

type checkResult struct {
	Code            int
	Allowed         bool
	Headers         []header // success headers (or denied-response headers), in Authorino's order
	DynamicMetadata map[string]any
	Logs            []string
}

type header struct{ Name, Value string }

// check sends the ext_authz CheckRequest wasm-shim would send: the request's attributes, and the
// AuthConfig name as the "host" context extension (Authorino's X_LOOKUP_KEY_NAME; wasm-shim
// src/service/auth.rs build_check_req(ce_host), read at commit eb6be01, not at the v0.14.1 tag).
func (a *authorino) check(req *httpRequest) (*checkResult, error) {
	logs.reset()
	hdrs := map[string]string{}
	for k, v := range req.Headers {
		hdrs[strings.ToLower(k)] = v
	}
	cr := &envoyauth.CheckRequest{
		Attributes: &envoyauth.AttributeContext{
			Source:      &envoyauth.AttributeContext_Peer{Address: sockAddr("10.128.0.10", 45678)},
			Destination: &envoyauth.AttributeContext_Peer{Address: sockAddr("10.128.0.20", 443)},
			Request: &envoyauth.AttributeContext_Request{
				Http: &envoyauth.AttributeContext_HttpRequest{
					Id:       "req-" + req.Identity,
					Method:   req.Method,
					Headers:  hdrs,
					Path:     req.Path,
					Host:     req.Host,
					Scheme:   req.Scheme,
					Protocol: "HTTP/1.1",
				},
			},
			ContextExtensions: map[string]string{"host": a.host},
		},
	}
	resp, err := a.svc.Check(context.Background(), cr)
	if err != nil {
		return nil, err
	}
	out := &checkResult{}
	if ok := resp.GetOkResponse(); ok != nil {
		out.Allowed, out.Code = true, 200
		for _, h := range ok.Headers {
			out.Headers = append(out.Headers, header{h.GetHeader().GetKey(), h.GetHeader().GetValue()})
		}
		if dm := resp.GetDynamicMetadata(); dm != nil {
			out.DynamicMetadata = dm.AsMap()
		}
	} else if d := resp.GetDeniedResponse(); d != nil {
		out.Code = int(d.GetStatus().GetCode())
		for _, h := range d.Headers {
			out.Headers = append(out.Headers, header{h.GetHeader().GetKey(), h.GetHeader().GetValue()})
		}
	} else {
		out.Code = 500
	}
	out.Logs = logs.reset()
	sort.Strings(out.Logs)
	return out, nil
}

func sockAddr(ip string, port uint32) *envoycore.Address {
	return &envoycore.Address{Address: &envoycore.Address_SocketAddress{SocketAddress: &envoycore.SocketAddress{
		Address: ip, PortSpecifier: &envoycore.SocketAddress_PortValue{PortValue: port}}}}
}
