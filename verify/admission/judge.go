package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apiserver/pkg/authentication/user"
	genericapirequest "k8s.io/apiserver/pkg/endpoints/request"
	"k8s.io/apiserver/pkg/registry/rest"
	"k8s.io/apiserver/pkg/warning"
	"sigs.k8s.io/yaml"
)

// lastAppliedAnnotation is what client-side `kubectl apply` adds.
const lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

// defaultNamespace stands in for the kubeconfig context namespace when a
// namespaced object names none.
const defaultNamespace = "default"

// Problem is one finding about one object.
type Problem struct {
	File     string
	Object   string
	Consumer string
	Message  string
}

// Judge holds the pinned CRDs and judges objects.
type Judge struct {
	crds *CRDs
}

// NewJudge returns a Judge for the given CRDs.
func NewJudge(crds *CRDs) *Judge {
	return &Judge{crds: crds}
}

// CheckApp judges every object of the YAML files of dir. It returns the
// problems, sorted, and the number of objects judged. An error means the
// directory could not be read.
func (j *Judge) CheckApp(dir string) ([]Problem, int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, 0, err
	}
	var files []string
	for _, e := range entries {
		if e.IsDir() || !isYAMLName(e.Name()) {
			continue
		}
		if base := strings.ToLower(e.Name()); base == "kustomization.yaml" || base == "kustomization.yml" {
			continue
		}
		files = append(files, e.Name())
	}
	sort.Strings(files)
	var problems []Problem
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			return nil, 0, err
		}
		docs, err := splitYAML(data)
		if err != nil {
			problems = append(problems, Problem{File: f, Object: "(file)", Consumer: ConsumerCRD, Message: fmt.Sprintf("kubectl cannot split the YAML stream: %v", err)})
			continue
		}
		for i, doc := range docs {
			for _, o := range j.judgeDocument(doc, i) {
				n++
				for _, m := range o.messages {
					problems = append(problems, Problem{File: f, Object: o.label(), Consumer: o.consumer, Message: m})
				}
			}
		}
	}
	sort.SliceStable(problems, func(a, b int) bool {
		pa, pb := problems[a], problems[b]
		if pa.File != pb.File {
			return pa.File < pb.File
		}
		if pa.Object != pb.Object {
			return pa.Object < pb.Object
		}
		return pa.Message < pb.Message
	})
	return problems, n, nil
}

// result collects what the server would say about one object.
type result struct {
	doc        int
	kind       string
	name       string
	namespace  string
	namespaced *bool
	consumer   string
	messages   []string
}

func (r *result) add(format string, args ...any) {
	r.messages = append(r.messages, fmt.Sprintf(format, args...))
}

func (r *result) unknownField(path string) {
	r.add("the API server drops unknown field %q (kubectl --validate=strict: strict decoding error: unknown field %q)", path, path)
}

func (r *result) label() string {
	kind := r.kind
	if kind == "" {
		kind = "(no kind)"
	}
	name := r.name
	if name == "" {
		name = fmt.Sprintf("(document %d, no name)", r.doc+1)
	}
	cluster := r.namespace == ""
	if r.namespaced != nil {
		cluster = !*r.namespaced
	}
	if cluster {
		return kind + " " + name
	}
	ns := r.namespace
	if ns == "" {
		ns = "(no namespace)"
	}
	return kind + " " + ns + "/" + name
}

func (r *result) setNamespaced(b bool) { r.namespaced = &b }

// judgeDocument judges one YAML document; a v1 List yields its items.
func (j *Judge) judgeDocument(doc []byte, idx int) []*result {
	r := &result{doc: idx, consumer: ConsumerCRD}
	var lenient string
	data, err := yaml.YAMLToJSONStrict(doc)
	if err != nil {
		strictErr := err
		// kubectl reads YAML leniently (sigs.k8s.io/yaml.YAMLToJSON): a
		// duplicate key silently keeps its last value
		data, err = yaml.YAMLToJSON(doc)
		if err != nil {
			r.add("kubectl cannot parse the YAML document: %v", err)
			return []*result{r}
		}
		lenient = fmt.Sprintf("the YAML document is not strict YAML; kubectl reads it leniently and sends only the last value of a duplicate key: %s", strings.Join(strings.Fields(strictErr.Error()), " "))
	}
	var raw map[string]any
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil || raw == nil {
		r.add("the YAML document is not an object")
		return []*result{r}
	}
	if raw["kind"] == "List" && raw["apiVersion"] == "v1" {
		items, _ := raw["items"].([]any)
		var out []*result
		for _, it := range items {
			b, err := json.Marshal(it)
			if err != nil {
				r.add("list item: %v", err)
				return []*result{r}
			}
			out = append(out, j.judgeObject(b, it, idx))
		}
		if lenient != "" && len(out) > 0 {
			out[0].messages = append(out[0].messages, lenient)
		}
		return out
	}
	o := j.judgeObject(data, raw, idx)
	if lenient != "" {
		o.messages = append(o.messages, lenient)
	}
	return []*result{o}
}

func (j *Judge) judgeObject(data []byte, rawAny any, idx int) *result {
	r := &result{doc: idx, consumer: ConsumerCRD}
	raw, _ := rawAny.(map[string]any)
	if raw == nil {
		r.add("the YAML document is not an object")
		return r
	}
	apiVersion, _ := raw["apiVersion"].(string)
	kind, _ := raw["kind"].(string)
	r.kind = kind
	if md, ok := raw["metadata"].(map[string]any); ok {
		r.name, _ = md["name"].(string)
		if r.name == "" {
			if g, _ := md["generateName"].(string); g != "" {
				r.name = g + "*"
			}
		}
		r.namespace, _ = md["namespace"].(string)
	}
	if apiVersion == "" || kind == "" {
		// kubectl: error validating data: [apiVersion not set, kind not set]
		if apiVersion == "" {
			r.add("rejects: apiVersion not set")
		}
		if kind == "" {
			r.add("rejects: kind not set")
		}
		return r
	}
	gv, err := schema.ParseGroupVersion(apiVersion)
	if err != nil {
		r.add("rejects: apiVersion %q: %v", apiVersion, err)
		return r
	}
	gvk := gv.WithKind(kind)

	// client-side kubectl apply adds the last applied configuration
	data, err = withLastApplied(raw)
	if err != nil {
		r.add("kubectl cannot compute %s: %v", lastAppliedAnnotation, err)
		return r
	}

	ctx := context.Background()
	if crd := j.crds.Lookup(gvk.GroupKind()); crd != nil {
		r.consumer = ConsumerCRD
		j.judgeCustom(ctx, crd, gvk, data, r)
		return r
	}
	if b := lookupBuiltin(gvk); b.known {
		r.consumer = ConsumerBuiltin
		judgeBuiltin(ctx, j, b, gvk, data, r)
		return r
	}
	r.add("no matches for kind %q in version %q: the CRD is not among the pinned CRDs and the kind is not built into Kubernetes %s", kind, apiVersion, KubernetesMinor)
	return r
}

// withLastApplied returns the JSON kubectl apply sends on create: the object
// with the last-applied-configuration annotation holding the object itself.
func withLastApplied(raw map[string]any) ([]byte, error) {
	md, ok := raw["metadata"].(map[string]any)
	if !ok {
		return json.Marshal(raw)
	}
	cp := map[string]any{}
	for k, v := range raw {
		cp[k] = v
	}
	mdc := map[string]any{}
	for k, v := range md {
		mdc[k] = v
	}
	cp["metadata"] = mdc
	ann := map[string]any{}
	if a, ok := md["annotations"].(map[string]any); ok {
		for k, v := range a {
			if k != lastAppliedAnnotation {
				ann[k] = v
			}
		}
	} else if md["annotations"] != nil {
		// malformed annotations: leave them for the server to reject
		return json.Marshal(raw)
	}
	if len(ann) > 0 {
		mdc["annotations"] = ann
	} else {
		delete(mdc, "annotations")
	}
	last, err := json.Marshal(cp)
	if err != nil {
		return nil, err
	}
	ann2 := map[string]any{}
	for k, v := range ann {
		ann2[k] = v
	}
	ann2[lastAppliedAnnotation] = string(last) + "\n"
	mdc["annotations"] = ann2
	return json.Marshal(cp)
}

type warningRecorder struct {
	mu       sync.Mutex
	warnings []string
}

func (w *warningRecorder) AddWarning(_, text string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.warnings = append(w.warnings, text)
}

// create runs the generic registry create path (store.Create up to storage):
// FillObjectMetaSystemFields, name generation, rest.BeforeCreate, which calls
// the strategy's PrepareForCreate, Validate and WarningsOnCreate.
func (j *Judge) create(ctx context.Context, strategy rest.RESTCreateStrategy, obj runtime.Object, r *result) {
	accessor, err := meta.Accessor(obj)
	if err != nil {
		r.add("rejects: %v", err)
		return
	}
	namespaced := strategy.NamespaceScoped()
	r.setNamespaced(namespaced)
	requestNamespace := ""
	if namespaced {
		requestNamespace = accessor.GetNamespace()
		if requestNamespace == "" {
			r.add("metadata.namespace is not set on namespaced kind %s: kubectl would create it in the kubeconfig context's namespace (judged as %q)", r.kind, defaultNamespace)
			requestNamespace = defaultNamespace
		}
	} else if ns := accessor.GetNamespace(); ns != "" {
		r.add("the API server drops metadata.namespace %q: %s is cluster-scoped", ns, r.kind)
	}

	rec := &warningRecorder{}
	ctx = genericapirequest.WithNamespace(ctx, requestNamespace)
	ctx = genericapirequest.WithUser(ctx, &user.DefaultInfo{Name: "system:admin", Groups: []string{user.SystemPrivilegedGroup, user.AllAuthenticated}})
	ctx = warning.WithWarningRecorder(ctx, rec)

	rest.FillObjectMetaSystemFields(accessor)
	if len(accessor.GetGenerateName()) > 0 && len(accessor.GetName()) == 0 {
		accessor.SetName(strategy.GenerateName(accessor.GetGenerateName()))
	}
	if err := rest.BeforeCreate(strategy, ctx, obj); err != nil {
		addStatusError(r, err)
	}
	for _, w := range rec.warnings {
		r.add("warns: %s", w)
	}
}

// addStatusError adds one message per cause of an API status error.
func addStatusError(r *result, err error) {
	var status apierrors.APIStatus
	if s, ok := err.(apierrors.APIStatus); ok {
		status = s
	}
	if status != nil {
		st := status.Status()
		if st.Reason == metav1.StatusReasonInvalid && st.Details != nil && len(st.Details.Causes) > 0 {
			for _, c := range st.Details.Causes {
				if c.Field != "" {
					r.add("rejects: %s: %s", c.Field, c.Message)
				} else {
					r.add("rejects: %s", c.Message)
				}
			}
			return
		}
	}
	r.add("rejects: %v", err)
}
