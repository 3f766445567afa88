// Command admission judges synthesized manifests the way the Kubernetes API
// server of OpenShift 4.20 (Kubernetes 1.33) judges them on
// `kubectl apply --dry-run=server --validate=strict`, without a cluster.
//
// # What it proves
//
// Every object of every <appdir> goes through the same library code the
// kube-apiserver runs on a create request, pinned at the release OpenShift 4.20
// ships (see the constants below; go.mod pins them, go.sum locks them):
//
// Custom resources (kinds of the CRDs under --shared/crds, searched
// recursively):
//   - the kind must be served: group+kind must name a pinned CRD and the
//     apiVersion one of its served versions, or the server answers
//     "no matches for kind";
//   - the CRD is defaulted and its per-version schema converted to the
//     internal apiextensions types exactly like the CRD handler does
//     (customresource_handler.go), then turned into a structural schema
//     (schema.NewStructural, defaulting.PruneDefaults);
//   - decoding: ObjectMeta coercion (schema/objectmeta), pruning
//     (schema/pruning.PruneWithOptions tracking unknown field paths),
//     non-nullable null removal, then defaulting (schema/defaulting.Default);
//     the CEL programs of a version are compiled on first use;
//     every pruned field is reported: the server drops it silently, and under
//     --validate=strict it rejects the request;
//   - create: rest.BeforeCreate with the real CR strategy of
//     k8s.io/apiextensions-apiserver/pkg/registry/customresource: metadata
//     validation (DNS-subdomain names, labels, annotations incl. the 256 KiB
//     limit), OpenAPI v3 validation (validation.NewSchemaValidator), embedded
//     ObjectMeta, x-kubernetes-list-type map/set invariants and the CEL
//     x-kubernetes-validations (schema/cel.NewValidator(s, true,
//     PerCallLimit).Validate with the runtime cost budget), scale subresource
//     checks; status is dropped when the CRD has a status subresource.
//
// Built-in kinds (every kind of the k8s.io/kubernetes legacy scheme that has a
// REST strategy in k8s.io/kubernetes/pkg/registry and whose version is served
// by default in 1.33):
//   - strict decoding into the versioned k8s.io/api type (unknown or
//     duplicate fields, wrong types), defaulting with the kube-apiserver's
//     defaulters and conversion to the internal type with the legacy scheme,
//     as the create handler's decoder does;
//   - rest.BeforeCreate with the real registry strategy
//     (PrepareForCreate, pkg/apis/<group>/validation, ObjectMeta validation)
//     and the warnings the strategy emits.
//
// Both paths: errors are reported with the prefix "rejects:" (one line per
// cause of the 422 Invalid status), data the server silently drops with "the
// API server drops", and the warnings it would return (CRD version deprecation
// warnings, strategy warnings) with "warns:". A namespaced kind without
// metadata.namespace is reported (kubectl would place it in whatever
// namespace the kubeconfig context names; it is judged in "default");
// metadata.namespace on a cluster-scoped kind is reported (the server drops
// it). The kubectl.kubernetes.io/last-applied-configuration annotation that
// client-side `kubectl apply` adds is simulated, so the 256 KiB annotation
// limit is judged as on a real apply. Objects of any other kind, and of
// versions not served, are reported as "no matches for kind".
//
// # Versions
//
// Kubernetes 1.33 (OpenShift 4.20): k8s.io/apiextensions-apiserver,
// k8s.io/apiserver, k8s.io/apimachinery, k8s.io/api and every other staging
// module at v0.33.13 (replace directives, because k8s.io/kubernetes requires
// them at v0.0.0), k8s.io/kubernetes v1.33.13. The "consumer" field names
// k8s.io/apiextensions-apiserver for custom resources and unknown kinds and
// k8s.io/kubernetes for built-in kinds. TestPinnedVersions checks the
// constants against the linked modules.
//
// # What it does not prove
//
// Admission plugins and webhooks (OpenShift SCC, NamespaceLifecycle — the
// namespaces are not created by a dry run —, ResourceQuota, LimitRanger,
// the Gateway API / Kuadrant / Istio / KServe / MaaS / external-secrets
// validating webhooks and controllers), RBAC escalation checks, conflicts with
// objects already in a cluster, OpenShift-only API groups (route.openshift.io,
// ...), CRD conversion webhooks, update (ratcheting) validation.
//
// # Usage
//
//	go build -o admission . && admission --shared /work/shared <appdir> [<appdir>...]
//
// Each <appdir> holds YAML files (every *.yaml/*.yml except kustomization.yaml,
// several documents per file allowed). Output: one JSON object per line on
// stdout, sorted by app, file, object, message:
//
//	{"type":"problem","checker":"admission","app":..,"file":..,"object":"<Kind> <ns>/<name>","consumer":..,"message":..}
//	{"type":"checked","checker":"admission","app":..,"objects":N}
//
// Exit status: 0 no problems, 1 problems, 2 usage or internal error.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/cdk8s-maas-egress/verify/report"
)

// Pinned versions. A test checks them against the module build info.
const (
	// KubernetesMinor is the Kubernetes release OpenShift 4.20 ships.
	KubernetesMinor = "1.33"
	// StagingVersion is the version of k8s.io/apiextensions-apiserver,
	// k8s.io/apiserver, k8s.io/apimachinery and k8s.io/api (and of every
	// other k8s.io staging module, through replace directives).
	StagingVersion = "v0.33.13"
	// KubernetesVersion is the k8s.io/kubernetes module version whose
	// registry strategies and validation judge the built-in kinds.
	KubernetesVersion = "v1.33.13"

	checkerName = "admission"
)

var (
	// ConsumerCRD names the code that judges custom resources.
	ConsumerCRD = fmt.Sprintf("kube-apiserver %s (k8s.io/apiextensions-apiserver %s)", KubernetesMinor, StagingVersion)
	// ConsumerBuiltin names the code that judges built-in kinds.
	ConsumerBuiltin = fmt.Sprintf("kube-apiserver %s (k8s.io/kubernetes %s)", KubernetesMinor, KubernetesVersion)
)

type problemLine = report.Problem

type checkedLine = report.Checked

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("admission", flag.ContinueOnError)
	fs.SetOutput(stderr)
	shared := fs.String("shared", "", "directory holding crds/ (the pinned upstream CRDs)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: admission --shared <shared dir> <appdir> [<appdir>...]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *shared == "" || fs.NArg() == 0 {
		fs.Usage()
		return 2
	}

	crds, err := LoadCRDs(*shared)
	if err != nil {
		fmt.Fprintf(stderr, "admission: %v\n", err)
		return 2
	}
	j := NewJudge(crds)

	apps := append([]string(nil), fs.Args()...)
	sort.Strings(apps)
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	found := false
	for _, app := range apps {
		problems, n, err := j.CheckApp(app)
		if err != nil {
			fmt.Fprintf(stderr, "admission: %v\n", err)
			return 2
		}
		for _, p := range problems {
			found = true
			if err := enc.Encode(problemLine{Type: "problem", Checker: checkerName, App: app, File: p.File, Object: p.Object, Consumer: p.Consumer, Message: p.Message}); err != nil {
				fmt.Fprintf(stderr, "admission: %v\n", err)
				return 2
			}
		}
		if err := enc.Encode(checkedLine{Type: "checked", Checker: checkerName, App: app, Objects: n}); err != nil {
			fmt.Fprintf(stderr, "admission: %v\n", err)
			return 2
		}
	}
	if found {
		return 1
	}
	return 0
}
