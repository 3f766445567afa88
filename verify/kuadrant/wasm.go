package main

// What Kuadrant's wasm-shim (0.14.1 in Kuadrant 1.5.2) does around Authorino. OUR MODEL, not
// upstream code (wasm-shim is Rust; not read here beyond what DOMAIN.md and the 2026-12 review cite):
//   - the auth action's predicates (the AuthPolicy's top-level `when`) are evaluated first; false
//     skips Authorino;
//   - success headers are applied with HeaderOperation::Set, which replaces a request header only
//     on an exact (case-sensitive) name match; Envoy's request header names are lower case, so a
//     success header that is not lower case is added next to the client's one (review F1);
//   - each TRLP limit applies when all its predicates are true; an evaluation error (e.g. a missing
//     auth.identity attribute) makes the task fail, which wasm-shim only logs: the limit does not
//     apply (review F3.4). A counter that cannot be evaluated likewise voids the limit.
//   - CEL environment: cel-go with `auth` (Authorino's dynamic metadata), `request`, `source`,
//     `destination`, `connection`, string extensions; requestBodyJSON()/responseBodyJSON() are
//     declared but error (the body is not modelled).

import (
	"fmt"
	"strings"
	"sync"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/ext"
)

type httpRequest struct {
	Identity string
	Method   string
	Scheme   string
	Host     string
	Path     string
	Headers  map[string]string // lower-case names
}

var (
	celEnvOnce sync.Once
	celEnv     *cel.Env
	celEnvErr  error
	celCache   sync.Map
)

func env() (*cel.Env, error) {
	celEnvOnce.Do(func() {
		bodyFn := func(name string) cel.EnvOption {
			return cel.Function(name, cel.Overload(name+"_string", []*cel.Type{cel.StringType}, cel.DynType,
				cel.UnaryBinding(func(ref.Val) ref.Val {
					return types.NewErr("%s(): request/response bodies are not modelled by verify/kuadrant", name)
				})))
		}
		celEnv, celEnvErr = cel.NewEnv(
			cel.Variable("auth", cel.DynType),
			cel.Variable("request", cel.DynType),
			cel.Variable("source", cel.DynType),
			cel.Variable("destination", cel.DynType),
			cel.Variable("connection", cel.DynType),
			cel.Variable("metadata", cel.DynType),
			cel.Variable("filter_state", cel.DynType),
			ext.Strings(),
			bodyFn("requestBodyJSON"),
			bodyFn("responseBodyJSON"),
		)
	})
	return celEnv, celEnvErr
}

func evalCEL(expr string, act map[string]any) (any, error) {
	e, err := env()
	if err != nil {
		return nil, err
	}
	var prg cel.Program
	if p, ok := celCache.Load(expr); ok {
		prg = p.(cel.Program)
	} else {
		ast, iss := e.Compile(expr)
		if iss != nil && iss.Err() != nil {
			return nil, iss.Err()
		}
		prg, err = e.Program(ast)
		if err != nil {
			return nil, err
		}
		celCache.Store(expr, prg)
	}
	out, _, err := prg.Eval(act)
	if err != nil {
		return nil, err
	}
	return out.Value(), nil
}

// activation: the attributes wasm-shim exposes to predicates.
func activation(req *httpRequest, dynamicMetadata map[string]any) map[string]any {
	hdrs := map[string]any{}
	for k, v := range req.Headers {
		hdrs[k] = v
	}
	urlPath := req.Path
	if i := strings.Index(urlPath, "?"); i >= 0 {
		urlPath = urlPath[:i]
	}
	act := map[string]any{
		"request": map[string]any{
			"id": "req-" + req.Identity, "method": req.Method, "scheme": req.Scheme, "host": req.Host,
			"path": req.Path, "url_path": urlPath, "query": "", "protocol": "HTTP/1.1",
			"headers": hdrs, "useragent": "verify-kuadrant", "size": int64(0),
		},
		"source":       map[string]any{"address": "10.128.0.10", "port": int64(45678)},
		"destination":  map[string]any{"address": "10.128.0.20", "port": int64(443)},
		"connection":   map[string]any{"mtls": false},
		"metadata":     map[string]any{},
		"filter_state": map[string]any{},
	}
	if dynamicMetadata != nil {
		act["auth"] = dynamicMetadata
	} else {
		act["auth"] = map[string]any{}
	}
	return act
}

// predicatesHold: all predicates true; an error or a non-bool makes the whole thing not apply.
func predicatesHold(preds []string, act map[string]any) (bool, error) {
	for _, p := range preds {
		v, err := evalCEL(p, act)
		if err != nil {
			return false, fmt.Errorf("%q: %v", p, err)
		}
		b, ok := v.(bool)
		if !ok {
			return false, fmt.Errorf("%q: not a bool (%T)", p, v)
		}
		if !b {
			return false, nil
		}
	}
	return true, nil
}

// matchLimit returns the first limit (in wasm-shim action order, i.e. sorted rule keys) that applies,
// with the value of its counters, and the reasons the others did not.
func matchLimit(limits []tokenLimit, act map[string]any) (*tokenLimit, string, []string) {
	var why []string
	for i := range limits {
		l := limits[i]
		ok, err := predicatesHold(l.Predicates, act)
		if err != nil {
			why = append(why, fmt.Sprintf("%s: predicate error %v", l.Name, err))
			continue
		}
		if !ok {
			why = append(why, l.Name+": predicates false")
			continue
		}
		var vals []string
		bad := false
		for _, c := range l.Counters {
			v, err := evalCEL(c, act)
			if err != nil {
				why = append(why, fmt.Sprintf("%s: counter %q error %v", l.Name, c, err))
				bad = true
				break
			}
			vals = append(vals, fmt.Sprint(v))
		}
		if bad {
			continue
		}
		return &l, strings.Join(vals, ","), why
	}
	return nil, "", why
}
