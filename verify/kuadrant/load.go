package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	kuadrantv1 "github.com/kuadrant/kuadrant-operator/api/v1"
	kuadrantv1alpha1 "github.com/kuadrant/kuadrant-operator/api/v1alpha1"
	corev1 "k8s.io/api/core/v1"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	gwapiv1 "sigs.k8s.io/gateway-api/apis/v1"
	"sigs.k8s.io/yaml"
)

// object is one Kubernetes object read from a YAML document, with the file it came from.
type object struct {
	File       string // base name of the file
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
	} `json:"metadata"`
	raw []byte
}

func (o object) key() string { return o.Metadata.Namespace + "/" + o.Metadata.Name }

func (o object) group() string {
	if i := strings.Index(o.APIVersion, "/"); i >= 0 {
		return o.APIVersion[:i]
	}
	return ""
}

// bundle is every object of interest of one app directory (or of the shared reference folder).
type bundle struct {
	Dir          string
	Objects      int
	Routes       []routeObj
	Gateways     []*gwapiv1.Gateway
	AuthPolicies []*kuadrantv1.AuthPolicy
	TRLPs        []*kuadrantv1alpha1.TokenRateLimitPolicy
	Secrets      []*corev1.Secret
	ConfigMaps   []*corev1.ConfigMap
	EnvoyFilters []envoyFilter
	PolicyFiles  map[string]string // "AuthPolicy ns/name" -> file
}

type routeObj struct {
	File  string
	Route *gwapiv1.HTTPRoute
}

// envoyFilter keeps the bits of an Istio EnvoyFilter this checker looks at: its text and the
// gateway it selects (by the gateway-name label Istio puts on gateway pods, or by targetRefs).
type envoyFilter struct {
	File      string
	Namespace string
	Name      string
	Gateways  []string // gateway names selected
	Text      string   // whole YAML, to look for header names handled by a Lua filter
}

func readDocs(path string) ([][]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := utilyaml.NewYAMLReader(bufio.NewReader(f))
	var docs [][]byte
	for {
		d, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if len(bytes.TrimSpace(stripComments(d))) == 0 {
			continue
		}
		docs = append(docs, d)
	}
	return docs, nil
}

func stripComments(d []byte) []byte {
	var out []string
	for _, l := range strings.Split(string(d), "\n") {
		if t := strings.TrimSpace(l); t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		out = append(out, l)
	}
	return []byte(strings.Join(out, "\n"))
}

// loadDir reads every *.yaml/*.yml of dir except kustomization.yaml.
func loadDir(dir string) (*bundle, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	b := &bundle{Dir: dir, PolicyFiles: map[string]string{}}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || n == "kustomization.yaml" || !(strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".yml")) {
			continue
		}
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		docs, err := readDocs(filepath.Join(dir, n))
		if err != nil {
			return nil, err
		}
		for _, d := range docs {
			var o object
			if err := yaml.Unmarshal(d, &o); err != nil {
				return nil, fmt.Errorf("%s: %w", n, err)
			}
			o.File, o.raw = n, d
			if o.Kind == "" {
				continue
			}
			b.Objects++
			if err := b.add(o); err != nil {
				return nil, fmt.Errorf("%s: %s %s: %w", n, o.Kind, o.key(), err)
			}
		}
	}
	return b, nil
}

func (b *bundle) add(o object) error {
	switch {
	case o.Kind == "HTTPRoute" && o.group() == "gateway.networking.k8s.io":
		r := &gwapiv1.HTTPRoute{}
		if err := yaml.UnmarshalStrict(o.raw, r); err != nil {
			if err := yaml.Unmarshal(o.raw, r); err != nil {
				return err
			}
		}
		b.Routes = append(b.Routes, routeObj{File: o.File, Route: r})
	case o.Kind == "Gateway" && o.group() == "gateway.networking.k8s.io":
		g := &gwapiv1.Gateway{}
		if err := yaml.Unmarshal(o.raw, g); err != nil {
			return err
		}
		b.Gateways = append(b.Gateways, g)
	case o.Kind == "AuthPolicy" && o.group() == "kuadrant.io":
		p := &kuadrantv1.AuthPolicy{}
		if err := yaml.Unmarshal(o.raw, p); err != nil {
			return err
		}
		b.AuthPolicies = append(b.AuthPolicies, p)
		b.PolicyFiles["AuthPolicy "+o.key()] = o.File
	case o.Kind == "TokenRateLimitPolicy" && o.group() == "kuadrant.io":
		p := &kuadrantv1alpha1.TokenRateLimitPolicy{}
		if err := yaml.Unmarshal(o.raw, p); err != nil {
			return err
		}
		b.TRLPs = append(b.TRLPs, p)
		b.PolicyFiles["TokenRateLimitPolicy "+o.key()] = o.File
	case o.Kind == "Secret" && o.APIVersion == "v1":
		s := &corev1.Secret{}
		if err := yaml.Unmarshal(o.raw, s); err != nil {
			return err
		}
		for k, v := range s.StringData {
			if s.Data == nil {
				s.Data = map[string][]byte{}
			}
			s.Data[k] = []byte(v)
		}
		b.Secrets = append(b.Secrets, s)
	case o.Kind == "ConfigMap" && o.APIVersion == "v1":
		c := &corev1.ConfigMap{}
		if err := yaml.Unmarshal(o.raw, c); err != nil {
			return err
		}
		b.ConfigMaps = append(b.ConfigMaps, c)
	case o.Kind == "EnvoyFilter" && o.group() == "networking.istio.io":
		var ef struct {
			Spec struct {
				WorkloadSelector struct {
					Labels map[string]string `json:"labels"`
				} `json:"workloadSelector"`
				TargetRefs []struct {
					Kind string `json:"kind"`
					Name string `json:"name"`
				} `json:"targetRefs"`
			} `json:"spec"`
		}
		if err := yaml.Unmarshal(o.raw, &ef); err != nil {
			return err
		}
		e := envoyFilter{File: o.File, Namespace: o.Metadata.Namespace, Name: o.Metadata.Name, Text: string(o.raw)}
		if g := ef.Spec.WorkloadSelector.Labels["gateway.networking.k8s.io/gateway-name"]; g != "" {
			e.Gateways = append(e.Gateways, g)
		}
		for _, t := range ef.Spec.TargetRefs {
			if t.Kind == "Gateway" {
				e.Gateways = append(e.Gateways, t.Name)
			}
		}
		b.EnvoyFilters = append(b.EnvoyFilters, e)
	}
	return nil
}
