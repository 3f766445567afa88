'use strict';
// The pinned upstream CRDs this project builds against. The files themselves are
// not part of the repository: `npm run import` reads local copies from CRDS_DIR
// (default ../shared/crds) laid out as <folder>/<file>, and `base` says where each
// one comes from upstream so anybody can fetch the same bytes. `typed` is true
// (typed classes for every file), false (schemas only) or the files to type.
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
    // current (subscription-era) MaaS: the payload processor's canonical kinds
    folder: 'maas',
    group: 'inference.opendatahub.io',
    base: `${RAW}/opendatahub-io/models-as-a-service/c0639b1b9baecf95fb836e00ba3f79178833781b/deployment/base/maas-controller/crd/bases`,
    files: [
      'inference.opendatahub.io_externalmodels.yaml',
      'inference.opendatahub.io_externalproviders.yaml',
    ],
    typed: true,
  },
  {
    // every maas.opendatahub.io kind is validated; only the emitted ones are typed
    folder: 'maas',
    group: 'maas.opendatahub.io',
    base: `${RAW}/opendatahub-io/models-as-a-service/c0639b1b9baecf95fb836e00ba3f79178833781b/deployment/base/maas-controller/crd/bases`,
    files: [
      'maas.opendatahub.io_maasauthpolicies.yaml',
      'maas.opendatahub.io_maasmodelrefs.yaml',
      'maas.opendatahub.io_maassubscriptions.yaml',
      'maas.opendatahub.io_externalmodels.yaml',
    ],
    typed: [
      'maas.opendatahub.io_maasauthpolicies.yaml',
      'maas.opendatahub.io_maasmodelrefs.yaml',
      'maas.opendatahub.io_maassubscriptions.yaml',
    ],
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
