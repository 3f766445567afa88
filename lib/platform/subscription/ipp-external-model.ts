import { Construct, type IConstruct } from 'constructs';
import { ExternalModel as ExternalModelResource } from '../../../imports/inference.opendatahub.io';
import { MaaSModelRef, MaaSModelRefSpecModelRefKind } from '../../../imports/maas.opendatahub.io';
import { inputError } from '../../internal/errors';
import { MaasProviderType } from '../../core/maas-provider-type';
import { ProviderEndpoint } from '../../providers/provider-endpoint';
import { laterReleaseFor, type ReleaseTraits } from './release-traits';

/**
 * Most providers of one model. The payload processor turns an ExternalModel into
 * one HTTPRoute with two rules per provider plus two fallbacks, and an HTTPRoute
 * holds at most 16 rules (Gateway API `spec.rules` maxItems), so 2n + 2 <= 16.
 */
export const MAX_MODEL_ROUTES = 7;
/** Highest weight of a provider ref. */
export const MAX_ROUTE_WEIGHT = 100;
/** MaaSModelRef annotation whose value maas-api shows as the model's display name in `/v1/models`. */
export const DISPLAY_NAME_ANNOTATION = 'openshift.io/display-name';

/** One provider serving a model, as {@link emitIppExternalModel} takes it. */
export interface IppModelRoute {
  /** Name of the ExternalProvider object. */
  readonly providerObjectName: string;
  /** The provider's name as the user gave it (for messages). */
  readonly providerName: string;
  /** The provider's endpoint (API format and path). */
  readonly endpoint: ProviderEndpoint;
  /** Model id at the provider. */
  readonly targetModel: string;
  /** Relative share of requests (0 disables the route). */
  readonly weight: number;
}

/** Inputs of {@link emitIppExternalModel}. */
export interface IppExternalModelInput {
  /** Client-facing model id: the ExternalModel and MaaSModelRef name. */
  readonly modelId: string;
  /** Namespace of the model, its providers and its MaaSModelRef. */
  readonly namespace: string;
  /** The providers serving it. */
  readonly routes: readonly IppModelRoute[];
  /** Name MaaS shows for the model, when given. */
  readonly displayName?: string;
}

/** Checks the routes of one model: count, weights, target models and one route per provider, for the release's payload processor. */
export function checkModelRoutes(scope: IConstruct, modelId: string, routes: readonly IppModelRoute[], traits: ReleaseTraits): void {
  if (routes.length < 1 || routes.length > MAX_MODEL_ROUTES) {
    throw inputError(scope, `provider count of model "${modelId}"`, routes.length,
      `give 1 to ${MAX_MODEL_ROUTES} providers: the payload processor's HTTPRoute takes two rules per provider plus two, and Gateway API allows 16`);
  }
  const providers = new Set<string>();
  for (const route of routes) {
    if (providers.has(route.providerName)) {
      throw inputError(scope, `provider of model "${modelId}"`, route.providerName, 'list each provider once; give it the combined weight');
    }
    providers.add(route.providerName);
    if (!Number.isInteger(route.weight) || route.weight < 0 || route.weight > MAX_ROUTE_WEIGHT) {
      throw inputError(scope, `weight of provider "${route.providerName}" for model "${modelId}"`, route.weight,
        `give a whole number from 0 (no traffic) to ${MAX_ROUTE_WEIGHT}`);
    }
    if (typeof route.targetModel !== 'string' || route.targetModel.length === 0 || route.targetModel.length > 253 || route.targetModel.trim() !== route.targetModel) {
      throw inputError(scope, `target model of provider "${route.providerName}"`, route.targetModel, 'give the model id at the provider (1 to 253 characters, no surrounding white space)');
    }
  }
  if (routes.every((route) => route.weight === 0)) {
    throw inputError(scope, `weights of model "${modelId}"`, routes.map((r) => r.weight), 'give at least one provider a weight above 0');
  }
  if (traits.targetModels === 'model-id') {
    const other = routes.find((r) => r.targetModel !== modelId);
    if (other) {
      throw inputError(scope, `target model of provider "${other.providerName}" for model "${modelId}"`, other.targetModel,
        `${traits.name} routes a model only when its provider knows it by the model's own id (${traits.targetModelsWhy}); `
        + `serve it as model "${other.targetModel}" if that is a valid model id, or have the provider serve it under "${modelId}" (vLLM: --served-model-name)`
        + laterReleaseFor(traits, (r) => r.targetModels === 'any'));
    }
  }
  if (routes.length === 1) return;
  const live = routes.filter((route) => route.weight > 0);
  if (traits.splitWeights === 'equal' && new Set(live.map((r) => r.weight)).size > 1) {
    throw inputError(scope, `weights of model "${modelId}"`, routes.map((r) => r.weight),
      `${traits.name} splits a model only over equal weights (${traits.splitWeightsWhy}); give every provider of the model the same weight, or 0 to turn one off${laterReleaseFor(traits, (r) => r.splitWeights === 'any')}`);
  }
}

/**
 * Emits a model on current MaaS: an `ExternalModel` (`inference.opendatahub.io`)
 * named by the client-facing id and listing its providers with weights, and the
 * `MaaSModelRef` that puts it in the MaaS catalog. The provider's own id goes to
 * each ref's `targetModel`; `spec.modelName` is never set, since MaaS lists and
 * meters by the object name while the payload processor would resolve `modelName`.
 */
export function emitIppExternalModel(scope: Construct, input: IppExternalModelInput): void {
  new ExternalModelResource(scope, 'ExternalModel', {
    metadata: { name: input.modelId, namespace: input.namespace },
    spec: {
      externalProviderRefs: input.routes.map((route) => ({
        ref: { name: route.providerObjectName },
        targetModel: route.targetModel,
        ...apiOf(route.endpoint),
        weight: route.weight,
      })),
    },
  });
  new MaaSModelRef(scope, 'ModelRef', {
    metadata: {
      name: input.modelId,
      namespace: input.namespace,
      annotations: input.displayName === undefined ? undefined : { [DISPLAY_NAME_ANNOTATION]: input.displayName },
    },
    spec: { modelRef: { kind: MaaSModelRefSpecModelRefKind.EXTERNAL_MODEL, name: input.modelId } },
  });
}

/** The provider's API format and the path of its chat endpoint. */
function apiOf(endpoint: ProviderEndpoint): { apiFormat: string; path: string } {
  if (endpoint.maasProviderType === MaasProviderType.ANTHROPIC) return { apiFormat: 'messages', path: '/v1/messages' };
  return { apiFormat: 'openai-chat', path: `${endpoint.apiBasePath}chat/completions` };
}
