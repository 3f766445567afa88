// The Go apps of npm run test:languages. The library's Go package and cdk8s's
// are the ones jsii-pacmak generates from the npm packages of this checkout into
// build/languages/go (scripts/cross-language.js): cdk8s's published Go module is
// not served by the Go module proxy that this machine reaches, and the
// library's is not published. The jsii runtime and constructs come from the
// proxy, at the versions those generated modules require.
module maas-egress.test/languages

go 1.25.0

require (
	example.invalid/cdk8s-maas-egress/maasegress v0.1.0
	github.com/aws/jsii-runtime-go v1.140.0
	github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2 v2.70.106
)

require (
	github.com/Masterminds/semver/v3 v3.5.0 // indirect
	github.com/aws/constructs-go/constructs/v10 v10.8.1 // indirect
	github.com/fatih/color v1.19.0 // indirect
	github.com/mattn/go-colorable v0.1.14 // indirect
	github.com/mattn/go-isatty v0.0.24 // indirect
	github.com/yuin/goldmark v1.7.16 // indirect
	golang.org/x/lint v0.0.0-20241112194109-818c5a804067 // indirect
	golang.org/x/mod v0.39.0 // indirect
	golang.org/x/sync v0.22.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
	golang.org/x/telemetry v0.0.0-20260811182544-a038080d80e5 // indirect
	golang.org/x/tools v0.49.0 // indirect
	golang.org/x/tools/cmd/godoc v0.1.0-deprecated // indirect
	golang.org/x/tools/godoc v0.1.0-deprecated // indirect
)

replace (
	example.invalid/cdk8s-maas-egress/maasegress => ../../../build/languages/go/maasegress
	github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2 => ../../../build/languages/go/cdk8s
)
