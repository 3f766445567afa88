// Command kuadrant lets Authorino's own code decide who is let in on every HTTPRoute of a
// synthesized app that hangs off the MaaS gateway, and checks the decisions.
//
//	kuadrant --shared /work/shared <appdir> [<appdir>...]
//
// stdout: one JSON object per line (problem, decision, checked); stderr: notes.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
)

func main() {
	shared := flag.String("shared", "/work/shared", "the shared folder (reference/maas-tier-era is read from it)")
	ns := flag.String("authorino-namespace", "kuadrant-system", "namespace of the AuthConfigs (and of the Secrets Authorino reads)")
	host := flag.String("host", "maas.apps.example.com", "request host")
	strict := flag.Bool("strict-headers", false, "do not credit an EnvoyFilter on the MaaS gateway with handling the forwarded MaaS token")
	runs := flag.Int("runs", 4, "Authorino checks per route and identity (the worst answer is kept)")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: kuadrant --shared <dir> <appdir> [<appdir>...]")
		os.Exit(2)
	}
	ref, err := loadReference(*shared)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kuadrant:", err)
		os.Exit(2)
	}
	opt := options{AuthorinoNamespace: *ns, Host: *host, StrictHeaders: *strict, Runs: *runs}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	failed := false
	for _, app := range flag.Args() {
		out, err := checkApp(app, ref, opt)
		if err != nil {
			fmt.Fprintln(os.Stderr, "kuadrant:", err)
			failed = true
			continue
		}
		for _, p := range out.Problems {
			_ = enc.Encode(p)
		}
		for _, d := range out.Decisions {
			_ = enc.Encode(d)
		}
		_ = enc.Encode(out.Checked)
		for _, n := range out.Notes {
			fmt.Fprintln(os.Stderr, "note:", n)
		}
	}
	if failed {
		os.Exit(2)
	}
}
