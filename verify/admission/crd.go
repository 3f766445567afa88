package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	apiextensionshelpers "k8s.io/apiextensions-apiserver/pkg/apihelpers"
	apiextensionsinternal "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	schemaobjectmeta "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/objectmeta"
	structuralpruning "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	"k8s.io/apiextensions-apiserver/pkg/crdserverscheme"
	"k8s.io/apiextensions-apiserver/pkg/registry/customresource"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/apimachinery/pkg/version"
	"k8s.io/apiserver/pkg/registry/rest"
	"sigs.k8s.io/yaml"
)

// crdVersion is what the CRD handler builds for one served version.
type crdVersion struct {
	name       string
	structural *structuralschema.Structural
	strategy   rest.RESTCreateStrategy
	hasStatus  bool
	warnings   []string // added to every request for this version
	err        error    // the server could not serve this version

	// build compiles the version on first use (the CEL rules of every
	// pinned CRD would otherwise be compiled on every run)
	build func() error
	once  sync.Once
}

func (cv *crdVersion) ready() error {
	cv.once.Do(func() { cv.err = cv.build() })
	return cv.err
}

// CRD is one pinned CustomResourceDefinition, ready to judge objects.
type CRD struct {
	Name       string
	File       string
	Group      string
	Kind       string
	Namespaced bool
	versions   map[string]*crdVersion // served versions only
	served     []string
	all        []string
}

// CRDs indexes the pinned CRDs by group and kind.
type CRDs struct {
	byGK map[schema.GroupKind]*CRD
}

// Lookup returns the CRD for group+kind, or nil.
func (c *CRDs) Lookup(gk schema.GroupKind) *CRD {
	if c == nil {
		return nil
	}
	return c.byGK[gk]
}

// LoadCRDs reads every CustomResourceDefinition in the YAML files under
// <shared>/crds (recursively).
func LoadCRDs(shared string) (*CRDs, error) {
	root := filepath.Join(shared, "crds")
	st, err := os.Stat(root)
	if err != nil {
		return nil, fmt.Errorf("reading CRDs: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("reading CRDs: %s is not a directory", root)
	}
	var files []string
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && isYAMLName(d.Name()) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading CRDs: %w", err)
	}
	sort.Strings(files)
	out := &CRDs{byGK: map[schema.GroupKind]*CRD{}}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("reading CRDs: %w", err)
		}
		docs, err := splitYAML(data)
		if err != nil {
			return nil, fmt.Errorf("reading CRDs: %s: %w", f, err)
		}
		for _, doc := range docs {
			var tm struct {
				APIVersion string `json:"apiVersion"`
				Kind       string `json:"kind"`
			}
			if err := yaml.Unmarshal(doc, &tm); err != nil {
				return nil, fmt.Errorf("reading CRDs: %s: %w", f, err)
			}
			if tm.Kind != "CustomResourceDefinition" {
				continue
			}
			if tm.APIVersion != apiextensionsv1.SchemeGroupVersion.String() {
				// apiextensions.k8s.io/v1beta1 is not served since 1.22
				fmt.Fprintf(os.Stderr, "admission: %s: skipping CRD of %s (not served by Kubernetes %s)\n", f, tm.APIVersion, KubernetesMinor)
				continue
			}
			crd := &apiextensionsv1.CustomResourceDefinition{}
			if err := yaml.Unmarshal(doc, crd); err != nil {
				return nil, fmt.Errorf("reading CRDs: %s: %w", f, err)
			}
			c := newCRD(crd, f)
			gk := schema.GroupKind{Group: c.Group, Kind: c.Kind}
			if prev, ok := out.byGK[gk]; ok {
				return nil, fmt.Errorf("reading CRDs: %s and %s both define %s", prev.File, f, gk)
			}
			out.byGK[gk] = c
		}
	}
	return out, nil
}

// newCRD builds what customresource_handler.go getOrCreateServingInfoFor
// builds for each served version of the CRD.
func newCRD(crd *apiextensionsv1.CustomResourceDefinition, file string) *CRD {
	// the API server stores CRDs defaulted
	apiextensionsv1.SetObjectDefaults_CustomResourceDefinition(crd)
	c := &CRD{
		Name:       crd.Name,
		File:       file,
		Group:      crd.Spec.Group,
		Kind:       crd.Spec.Names.Kind,
		Namespaced: crd.Spec.Scope == apiextensionsv1.NamespaceScoped,
		versions:   map[string]*crdVersion{},
	}
	typer := crdserverscheme.NewUnstructuredObjectTyper()
	for _, v := range crd.Spec.Versions {
		c.all = append(c.all, v.Name)
		if !v.Served {
			continue
		}
		c.served = append(c.served, v.Name)
		cv := &crdVersion{name: v.Name}
		c.versions[v.Name] = cv
		if v.Deprecated {
			if v.DeprecationWarning != nil {
				cv.warnings = append(cv.warnings, *v.DeprecationWarning)
			} else {
				cv.warnings = append(cv.warnings, defaultDeprecationWarning(v.Name, crd.Spec))
			}
		}
		cv.build = func() error {
			val, err := apiextensionshelpers.GetSchemaForVersion(crd, v.Name)
			if err != nil {
				return err
			}
			var internalSchemaProps *apiextensionsinternal.JSONSchemaProps
			if val != nil {
				internal := &apiextensionsinternal.CustomResourceValidation{}
				if err := apiextensionsv1.Convert_v1_CustomResourceValidation_To_apiextensions_CustomResourceValidation(val, internal, nil); err != nil {
					return fmt.Errorf("converting CRD validation to internal version: %w", err)
				}
				internalSchemaProps = internal.OpenAPIV3Schema
				s, err := structuralschema.NewStructural(internal.OpenAPIV3Schema)
				if err != nil && !crd.Spec.PreserveUnknownFields {
					return fmt.Errorf("schema is not structural: %w", err)
				}
				if !crd.Spec.PreserveUnknownFields {
					s = s.DeepCopy()
					if err := structuraldefaulting.PruneDefaults(s); err != nil {
						return fmt.Errorf("pruning defaults: %w", err)
					}
				}
				cv.structural = s
			}
			validator, _, err := apiservervalidation.NewSchemaValidator(internalSchemaProps)
			if err != nil {
				return err
			}
			subresources, err := apiextensionshelpers.GetSubresourcesForVersion(crd, v.Name)
			if err != nil {
				return err
			}
			var statusSpec *apiextensionsinternal.CustomResourceSubresourceStatus
			var statusValidator apiservervalidation.SchemaValidator
			var scaleSpec *apiextensionsinternal.CustomResourceSubresourceScale
			if subresources != nil && subresources.Status != nil {
				cv.hasStatus = true
				statusSpec = &apiextensionsinternal.CustomResourceSubresourceStatus{}
				if err := apiextensionsv1.Convert_v1_CustomResourceSubresourceStatus_To_apiextensions_CustomResourceSubresourceStatus(subresources.Status, statusSpec, nil); err != nil {
					return err
				}
				if internalSchemaProps != nil && internalSchemaProps.Properties != nil {
					if statusSchema, ok := internalSchemaProps.Properties["status"]; ok {
						statusValidator, _, err = apiservervalidation.NewSchemaValidator(&statusSchema)
						if err != nil {
							return err
						}
					}
				}
			}
			if subresources != nil && subresources.Scale != nil {
				scaleSpec = &apiextensionsinternal.CustomResourceSubresourceScale{}
				if err := apiextensionsv1.Convert_v1_CustomResourceSubresourceScale_To_apiextensions_CustomResourceSubresourceScale(subresources.Scale, scaleSpec, nil); err != nil {
					return err
				}
			}
			gvk := schema.GroupVersionKind{Group: crd.Spec.Group, Version: v.Name, Kind: crd.Spec.Names.Kind}
			// NewStrategy compiles the CEL rules: cel.NewValidator(s, true, celconfig.PerCallLimit)
			cv.strategy = customresource.NewStrategy(typer, c.Namespaced, gvk, validator, statusValidator, cv.structural, statusSpec, scaleSpec, v.SelectableFields)
			return nil
		}
	}
	return c
}

// judgeCustom runs the CR decode and create path of the API server.
func (j *Judge) judgeCustom(ctx context.Context, crd *CRD, gvk schema.GroupVersionKind, data []byte, r *result) {
	cv, ok := crd.versions[gvk.Version]
	if !ok {
		r.add("no matches for kind %q in version %q: the pinned CRD %s serves %s (defined: %s)", gvk.Kind, gvk.GroupVersion().String(), crd.Name, listOrNone(crd.served), listOrNone(crd.all))
		return
	}
	if err := cv.ready(); err != nil {
		r.add("the server could not properly serve the CR schema of %s version %s: %v", crd.Name, cv.name, err)
		return
	}
	r.setNamespaced(crd.Namespaced)
	for _, w := range cv.warnings {
		r.add("warns: %s", w)
	}

	obj, err := runtime.Decode(unstructured.UnstructuredJSONScheme, data)
	if err != nil {
		r.add("rejects: %v", err)
		return
	}
	u, ok := obj.(*unstructured.Unstructured)
	if !ok {
		r.add("rejects: a %s cannot be created (got %T)", gvk.Kind, obj)
		return
	}

	// unstructuredSchemaCoercer.apply, as the decoder runs it on a request
	// with fieldValidation=Strict (returnUnknownFieldPaths).
	unknown, err := coerceCustom(u, gvk, cv.structural)
	if err != nil {
		r.add("rejects: %v", err)
		return
	}
	for _, f := range unknown {
		r.unknownField(f)
	}
	// status given by the author (not by defaulting) is dropped by PrepareForCreate
	if cv.hasStatus {
		if _, has := u.Object["status"]; has {
			r.add("the API server drops status on create (the CRD has a status subresource)")
		}
	}
	// unstructuredDefaulter, run by the versioning decoder after decoding
	if cv.structural != nil {
		structuraldefaulting.Default(u.UnstructuredContent(), cv.structural)
	}
	j.create(ctx, cv.strategy, u, r)
}

// coerceCustom is unstructuredSchemaCoercer.apply of customresource_handler.go
// with returnUnknownFieldPaths=true and preserveUnknownFields=false.
func coerceCustom(u *unstructured.Unstructured, gvk schema.GroupVersionKind, s *structuralschema.Structural) ([]string, error) {
	kind, foundKind, err := unstructured.NestedString(u.UnstructuredContent(), "kind")
	if err != nil {
		return nil, err
	}
	apiVersion, foundAPIVersion, err := unstructured.NestedString(u.UnstructuredContent(), "apiVersion")
	if err != nil {
		return nil, err
	}
	objectMeta, foundObjectMeta, unknown, err := schemaobjectmeta.GetObjectMetaWithOptions(u.Object, schemaobjectmeta.ObjectMetaOptions{ReturnUnknownFieldPaths: true})
	if err != nil {
		return nil, err
	}
	if s != nil {
		unknown = append(unknown, structuralpruning.PruneWithOptions(u.Object, s, true, structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true})...)
		structuraldefaulting.PruneNonNullableNullsWithoutDefaults(u.Object, s)
		ferr, paths := schemaobjectmeta.CoerceWithOptions(nil, u.Object, s, false, schemaobjectmeta.CoerceOptions{ReturnUnknownFieldPaths: true})
		if ferr != nil {
			return nil, ferr
		}
		unknown = append(unknown, paths...)
	}
	if foundKind {
		u.SetKind(kind)
	}
	if foundAPIVersion {
		u.SetAPIVersion(apiVersion)
	}
	if foundObjectMeta {
		if err := schemaobjectmeta.SetObjectMeta(u.Object, objectMeta); err != nil {
			return nil, err
		}
	}
	return unknown, nil
}

// defaultDeprecationWarning is the warning customresource_handler.go sends
// for a deprecated version without a deprecationWarning.
func defaultDeprecationWarning(deprecatedVersion string, crd apiextensionsv1.CustomResourceDefinitionSpec) string {
	msg := fmt.Sprintf("%s/%s %s is deprecated", crd.Group, deprecatedVersion, crd.Names.Kind)
	var newer []string
	for _, v := range crd.Versions {
		if v.Served && !v.Deprecated && version.CompareKubeAwareVersionStrings(deprecatedVersion, v.Name) < 0 {
			newer = append(newer, v.Name)
		}
	}
	if len(newer) == 0 {
		return msg
	}
	sort.Slice(newer, func(i, j int) bool {
		return version.CompareKubeAwareVersionStrings(newer[i], newer[j]) > 0
	})
	return msg + fmt.Sprintf("; use %s/%s %s", crd.Group, newer[0], crd.Names.Kind)
}

func listOrNone(l []string) string {
	if len(l) == 0 {
		return "no version"
	}
	return "[" + strings.Join(l, " ") + "]"
}

func isYAMLName(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".yaml" || ext == ".yml"
}

// splitYAML splits a YAML stream into its documents the way kubectl does
// (k8s.io/apimachinery/pkg/util/yaml), dropping empty ones.
func splitYAML(data []byte) ([][]byte, error) {
	rd := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	var docs [][]byte
	for {
		doc, err := rd.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if isEmptyYAML(doc) {
			continue
		}
		docs = append(docs, doc)
	}
	return docs, nil
}

func isEmptyYAML(doc []byte) bool {
	for _, line := range strings.Split(string(doc), "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") || t == "---" {
			continue
		}
		return false
	}
	return true
}
