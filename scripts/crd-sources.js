'use strict';
// The pinned upstream CRDs this project builds against. The files themselves are
// not part of the repository: `npm run import` reads local copies from CRDS_DIR
// (default ../shared/crds) laid out as <folder>/<file>, and `url` says where each
// one comes from upstream so anybody can fetch the same bytes.
const path = require('path');

const RAW = 'https://raw.githubusercontent.com';

const GROUPS = [
  {
    folder: 'gateway-api',
    group: 'gateway.networking.k8s.io',
    base: `${RAW}/kubernetes-sigs/gateway-api/v1.2.1/config/crd/standard`,
    files: [
      'gateway.networking.k8s.io_gatewayclasses.yaml',
      'gateway.networking.k8s.io_gateways.yaml',
      'gateway.networking.k8s.io_httproutes.yaml',
      'gateway.networking.k8s.io_referencegrants.yaml',
    ],
    typed: true,
  },
  {
    folder: 'wg-ai-gateway',
    group: 'ainetworking.prototype.x-k8s.io',
    base: `${RAW}/kubernetes-sigs/wg-ai-gateway/548475f5531504f54c62ddf2719ee5151dba2550/prototypes/backend-control-plane/backend/k8s/crds`,
    files: [
      'ainetworking.prototype.x-k8s.io_backends.yaml',
      'ainetworking.prototype.x-k8s.io_xbackenddestinations.yaml',
    ],
    typed: true,
  },
  {
    folder: 'kuadrant',
    group: 'kuadrant.io',
    base: `${RAW}/Kuadrant/kuadrant-operator/v1.5.2/config/crd/bases`,
    files: [
      'kuadrant.io_authpolicies.yaml',
      'kuadrant.io_ratelimitpolicies.yaml',
      'kuadrant.io_tokenratelimitpolicies.yaml',
    ],
    typed: true,
  },
  {
    folder: 'istio',
    group: 'networking.istio.io',
    // upstream ships one generated file; the local copies are split per kind
    base: `${RAW}/istio/api/v1.30.3/kubernetes/customresourcedefinitions.gen.yaml`,
    files: [
      'envoyfilters.networking.istio.io.yaml',
      'serviceentries.networking.istio.io.yaml',
      'destinationrules.networking.istio.io.yaml',
    ],
    typed: true,
  },
  {
    folder: 'external-secrets',
    group: 'external-secrets.io',
    base: `${RAW}/external-secrets/external-secrets/v2.9.0/config/crds/bases`,
    files: ['external-secrets.io_externalsecrets.yaml'],
    typed: true,
  },
  {
    // 2.7 MB CRD: emitted through ApiObject, validated by schema only
    folder: 'kserve',
    group: 'serving.kserve.io',
    base: `${RAW}/kserve/kserve/aaac4e294dae2c7b1aa1886447793f3aa1c30912/config/crd/full/llmisvc`,
    files: ['serving.kserve.io_llminferenceservices.yaml'],
    typed: false,
  },
];

function crdsDir() {
  return path.resolve(process.env.CRDS_DIR || path.join(__dirname, '..', '..', 'shared', 'crds'));
}

module.exports = { GROUPS, crdsDir };
