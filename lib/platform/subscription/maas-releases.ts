import type { ReleaseTraits } from './release-traits';

const MAAS = 'opendatahub-io/models-as-a-service';
const IPP = 'ai-gateway-payload-processing';
const LEGACY_ONLY = 'its payload processor watches only the legacy maas.opendatahub.io ExternalModel and has no inference.opendatahub.io '
  + 'ExternalProvider or ExternalModel, which is what the library emits';

/**
 * The MaaS releases the subscription platform knows, oldest first. Each was read
 * at the commits named; the support tables of README.md and docs/current-maas.md are written from this list.
 */
export const MAAS_RELEASES: readonly ReleaseTraits[] = [
  {
    release: 'rhoai-3.4',
    name: 'Red Hat OpenShift AI 3.4',
    maas: `${MAAS} release-3.4 f6c3f2f895b182d464f414005e692448ea190cd4`,
    payloadProcessor: `red-hat-data-services/${IPP} rhoai-3.4 b4ca4d1bbbcc1c35f165e54d1ac37cba57b857b2`,
    refused: `Red Hat OpenShift AI 3.4 ships no inference.opendatahub.io CRDs: ${LEGACY_ONLY}`,
    splitWeights: 'equal', splitWeightsWhy: '', targetModels: 'model-id', targetModelsWhy: '', authTypes: [],
  },
  {
    release: 'rhoai-3.5-ea.1',
    name: 'Red Hat OpenShift AI 3.5 EA1',
    maas: `${MAAS} (no 3.5 branch; the payload processor branch is the release's)`,
    payloadProcessor: `red-hat-data-services/${IPP} rhoai-3.5-ea.1 58e2d92316dfbe529a8b5df440b5458de7b05a1a`,
    refused: `Red Hat OpenShift AI 3.5 EA1: ${LEGACY_ONLY}`,
    splitWeights: 'equal', splitWeightsWhy: '', targetModels: 'model-id', targetModelsWhy: '', authTypes: [],
  },
  {
    release: 'odh-2.0',
    name: 'Open Data Hub MaaS 2.0',
    maas: `${MAAS} v2.0.x 4ae6a0c2 through main c0639b1b9baecf95fb836e00ba3f79178833781b (the same inference.opendatahub.io CRDs)`,
    payloadProcessor: `quay.io/opendatahub/odh-ai-gateway-payload-processing:odh-stable (a floating tag), read at ${IPP} main 3523334701a6e7d57e614dd9483a47612e69c226`,
    splitWeights: 'any',
    splitWeightsWhy: '',
    targetModels: 'model-id',
    targetModelsWhy: 'its HTTPRoute matches each provider on X-Gateway-Model-Name equal to that provider\'s targetModel, and that header keeps the id the client sent '
      + `(${IPP} pkg/controller/externalmodel/reconciler.go buildHTTPRoute, pkg/plugins/model-provider-resolver/plugin.go ProcessRequest @3523334)`,
    authTypes: ['apikey', 'sigv4', 'oauth2'],
  },
];
