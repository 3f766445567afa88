'use strict';
// The checkers `npm run verify` runs, in order. Each is a Go module under
// verify/<module>/ whose go.mod pins the upstream code it runs; `args` select
// the upstream behaviour a run models (one entry per supported version).
const CHECKERS = [
  // kube-apiserver admission: structural schema, pruning, defaulting, CEL rules
  { name: 'admission', module: 'admission', args: [] },
  // istiod's Gateway API translation and Envoy config, with Kuadrant's wasm filter as 1.4 and 1.5 install it;
  // istiod code of the release-1.31 line (the proxy serves no 1.26 or 1.27 module), EnvoyFilter targetRefs
  // ignored as before 1.27 (OpenShift 4.19 and 4.20) unless --istio-semantics 1.27
  { name: 'istio-kuadrant-1.4', module: 'istio', args: ['--kuadrant', '1.4'], dumps: true },
  { name: 'istio-kuadrant-1.5', module: 'istio', args: ['--kuadrant', '1.5'], dumps: true },
  { name: 'istio-1.27-kuadrant-1.5', module: 'istio', args: ['--kuadrant', '1.5', '--istio-semantics', '1.27'], dumps: true },
  // Authorino's evaluation of every MaaS-gateway route's effective AuthPolicy on representative identities;
  // it models the tier-based gateway's AuthPolicy, so it reads each app as the library emitted it, without
  // the payload processor's routes (current MaaS protects those with policies of its own)
  { name: 'kuadrant', module: 'kuadrant', args: [], withPayloadProcessor: false },
];

module.exports = { CHECKERS };
