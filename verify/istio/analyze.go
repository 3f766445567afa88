package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"istio.io/istio/pkg/config/analysis/analyzers"
	"istio.io/istio/pkg/config/analysis/diag"
	"istio.io/istio/pkg/config/analysis/local"
	"istio.io/istio/pkg/config/analysis/msg"
	"istio.io/istio/pkg/config/resource"
)

const maasGatewayReader = "maas-gateway-api.yaml"

// excluded reports whether an analyzer message only says that something a
// live cluster has is absent from the files (and why). Such objects are made
// at runtime by other controllers or by the cluster admin, so they are not
// faults of the app's files:
//   - IST0101 ReferencedResourceNotFound for a Secret or ConfigMap (the MaaS
//     gateway's TLS certificate, provider API keys, CA bundles live in the
//     cluster, not in the app);
//   - IST0103 PodMissingProxy (pods exist only in a live cluster);
//   - Info-level messages are dropped anyway (e.g. IST0102 NamespaceNotInjected).
func excluded(m diag.Message) (bool, string) {
	switch m.Type.Code() {
	case msg.ReferencedResourceNotFound.Code():
		if len(m.Parameters) > 0 {
			k := strings.ToLower(fmt.Sprint(m.Parameters[0]))
			if strings.Contains(k, "secret") || strings.Contains(k, "configmap") {
				return true, "referenced Secret/ConfigMap exists only in the live cluster"
			}
		}
	case msg.PodMissingProxy.Code():
		return true, "pods exist only in the live cluster"
	}
	return false, ""
}

// analyze runs Istio's offline analyzers on the app's files plus the MaaS
// gateway, as `istioctl analyze --all-namespaces <files>` does (files only:
// AddDefaultResources, no live cluster), with the mesh root namespace
// openshift-ingress, and returns Error and Warning messages.
func analyze(all []*object, opts options) []localProblem {
	sa := local.NewIstiodAnalyzer(analyzers.AllCombined(), resource.Namespace(""), resource.Namespace(rootNamespace), nil)
	dir, err := os.MkdirTemp("", "verify-istio-mesh-")
	if err != nil {
		return []localProblem{{"", "", "analyzer: " + err.Error()}}
	}
	defer os.RemoveAll(dir)
	meshFile := filepath.Join(dir, "mesh.yaml")
	if err := os.WriteFile(meshFile, []byte("rootNamespace: "+rootNamespace+"\ningressControllerMode: \"OFF\"\n"), 0o600); err != nil {
		return []localProblem{{"", "", "analyzer: " + err.Error()}}
	}
	if err := sa.AddFileKubeMeshConfig(meshFile); err != nil {
		return []localProblem{{"", "", "analyzer mesh config: " + err.Error()}}
	}
	if err := sa.AddDefaultResources(); err != nil {
		return []localProblem{{"", "", "analyzer default resources: " + err.Error()}}
	}
	byFile := map[string][]string{}
	var order []string
	for _, o := range all {
		name := o.File
		if o.File == "" {
			if o.Origin == "" || !strings.Contains(o.Origin, "maas-gateway-api.yaml") {
				continue
			}
			name = maasGatewayReader
		}
		if _, ok := byFile[name]; !ok {
			order = append(order, name)
		}
		byFile[name] = append(byFile[name], string(o.Raw))
	}
	var readers []local.ReaderSource
	for _, name := range order {
		readers = append(readers, local.ReaderSource{Name: name, Reader: strings.NewReader(strings.Join(byFile[name], "\n---\n"))})
	}
	if err := sa.AddReaderKubeSource(readers); err != nil && opts.Verbose {
		// Kinds the analyzers have no schema for (Kuadrant, MaaS, wg-ai-gateway) are reported here; they are skipped.
		fmt.Fprintf(os.Stderr, "analyzer: adding files: %v\n", err)
	}
	cancel := make(chan struct{})
	res, err := sa.Analyze(cancel)
	if err != nil {
		return []localProblem{{"", "", "analyzer: " + err.Error()}}
	}
	var out []localProblem
	for _, m := range res.Messages {
		if !m.Type.Level().IsWorseThanOrEqualTo(diag.Warning) {
			continue
		}
		if skip, why := excluded(m); skip {
			if opts.Verbose {
				fmt.Fprintf(os.Stderr, "analyzer: excluded (%s): %s\n", why, m.String())
			}
			continue
		}
		file, obj := "", ""
		if m.Resource != nil {
			obj = m.Resource.Origin.FriendlyName()
			if ref := m.Resource.Origin.Reference(); ref != nil {
				file, _, _ = strings.Cut(ref.String(), ":")
				if file == maasGatewayReader {
					file = ""
				}
			}
		}
		out = append(out, localProblem{file, obj, fmt.Sprintf("istioctl analyze %s [%s]: %s",
			m.Type.Level(), m.Type.Code(), fmt.Sprintf(m.Type.Template(), m.Parameters...))})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].message < out[j].message })
	return out
}
