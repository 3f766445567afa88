'use strict';
// Runs in the consumer app: reports how the installed package behaves, as JSON,
// for `npm run test:package` to assert on.
const { Manifests } = require('cdk8s-maas-egress');

const badPolicy = {
  apiVersion: 'kuadrant.io/v1',
  kind: 'AuthPolicy',
  metadata: { name: 'probe', namespace: 'probe' },
  spec: { targetRef: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'probe' }, unknownField: true },
};

let deepImport = 'allowed';
try {
  require('cdk8s-maas-egress/build/lib/index');
} catch (error) {
  deepImport = error.code;
}

console.log(JSON.stringify({ schemaProblems: Manifests.problems([badPolicy]), deepImport }));
