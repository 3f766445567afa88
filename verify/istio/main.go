// Command istio runs Istio's own control-plane code (pilot's fake discovery
// server, the kube Gateway API controller and the offline analyzers) on the
// manifests of a cdk8s-maas-egress app, and reports what istiod would do with
// them at runtime: Gateway API status, Envoy routes to missing clusters,
// DestinationRules and EnvoyFilters that apply nowhere.
//
//	istio --shared /work/shared [--kuadrant 1.4|1.5] [--istio-semantics 1.26|1.27] [--dump <dir>] <appdir>...
//
// Output: one JSON object per line on stdout ({"type":"problem",...} and
// {"type":"checked",...}). Exit status 0 when the apps were checked (problems
// are data), 2 on usage or I/O errors.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	// Must stay imported: sets OpenShift's pilot environment before Istio's
	// packages initialize (see the package doc).
	_ "github.com/cdk8s-maas-egress/verify/istio/internal/openshiftenv"
	"github.com/cdk8s-maas-egress/verify/report"
	"istio.io/istio/pkg/log"
)

func istioCode() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "istio.io/istio" {
				if d.Replace != nil {
					return d.Path + "@" + d.Replace.Version
				}
				return d.Path + "@" + d.Version
			}
		}
	}
	return "istio.io/istio@unknown"
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("istio", flag.ContinueOnError)
	fs.SetOutput(stderr)
	shared := fs.String("shared", "", "path of the shared/ directory (reference MaaS gateway)")
	kuadrant := fs.String("kuadrant", "1.5", "Kuadrant version whose wasm filter is added to the MaaS gateway: 1.4 (WasmPlugin) or 1.5 (EnvoyFilter)")
	semantics := fs.String("istio-semantics", "1.26", "istiod version whose EnvoyFilter targetRefs handling applies: 1.26 (ignored) or 1.27 (honoured)")
	dump := fs.String("dump", "", "directory to write <app>.json summaries of the generated Envoy config")
	verbose := fs.Bool("v", false, "log istiod's output to stderr")
	dumpRaw := fs.String("dump-raw", "", "directory to write the full generated xDS (listeners, routes, clusters) of each proxy as JSON")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *shared == "" || fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: istio --shared <dir> [--kuadrant 1.4|1.5] [--istio-semantics 1.26|1.27] [--dump <dir>] <appdir>...")
		return 2
	}
	if *kuadrant != "1.4" && *kuadrant != "1.5" {
		fmt.Fprintln(stderr, "--kuadrant must be 1.4 or 1.5")
		return 2
	}
	if *semantics != "1.26" && *semantics != "1.27" {
		fmt.Fprintln(stderr, "--istio-semantics must be 1.26 or 1.27")
		return 2
	}
	if !*verbose {
		quiet()
	}
	setupFeatures()
	opts := options{Shared: *shared, Kuadrant: *kuadrant, Semantics: *semantics, Verbose: *verbose, DumpRaw: *dumpRaw}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	code := 0
	for _, dir := range fs.Args() {
		res := checkApp(strings.TrimRight(dir, "/"), opts)
		for _, p := range res.Problems {
			_ = enc.Encode(p)
		}
		_ = enc.Encode(report.Checked{Type: "checked", Checker: "istio", App: res.App, Objects: res.Checked})
		if *dump != "" && res.Summary != nil {
			if err := writeDump(*dump, res); err != nil {
				fmt.Fprintln(stderr, err)
				code = 2
			}
		}
	}
	return code
}

func writeDump(dir string, res appResult) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(res.Summary, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, filepath.Base(res.App)+".json"), append(b, '\n'), 0o644)
}

// quiet turns istiod's logging down to errors on stderr (it logs every push).
func quiet() {
	o := log.DefaultOptions()
	o.SetDefaultOutputLevel(log.OverrideScopeName, log.NoneLevel)
	o.OutputPaths = []string{"stderr"}
	o.ErrorOutputPaths = []string{"stderr"}
	_ = log.Configure(o)
}
