import { Construct, IConstruct } from 'constructs';
import { ExternalModel as ExternalModelResource } from '../../../imports/inference.opendatahub.io';
import { MaaSModelRef, MaaSModelRefSpecModelRefKind } from '../../../imports/maas.opendatahub.io';
import { inputError } from '../../internal/errors';
import { MaasProviderType } from '../../providers/maas-provider-type';
import { ProviderEndpoint } from '../../providers/provider-endpoint';
import { modelResourceName } from './model-resource-name';

/** Most provider refs an ExternalModel takes. */
export const MAX_MODEL_ROUTES = 64;
/** Highest weight of a provider ref. */
export const MAX_ROUTE_WEIGHT = 100;

/** One provider serving a model, as {@link emitIppExternalModel} takes it. */
export interface IppModelRoute {
  /** Name of the ExternalProvider. */
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
  /** Client-facing model id (the body's `model`). */
  readonly modelId: string;
  /** Namespace of the model, its providers and its MaaSModelRef. */
  readonly namespace: string;
  /** The providers serving it. */
  readonly routes: readonly IppModelRoute[];
}

/** Checks the routes of one model: count, weights, target models and one route per provider. */
export function checkModelRoutes(scope: IConstruct, modelId: string, routes: readonly IppModelRoute[]): void {
  if (routes.length < 1 || routes.length > MAX_MODEL_ROUTES) {
    throw inputError(scope, `route count of model "${modelId}"`, routes.length, `give 1 to ${MAX_MODEL_ROUTES} providers (an ExternalModel's limit)`);
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
}

/**
 * Emits a model on current MaaS: an `ExternalModel` (`inference.opendatahub.io`)
 * listing its providers with weights, and the `MaaSModelRef` that puts it in the
 * MaaS catalog. Returns the name both carry.
 */
export function emitIppExternalModel(scope: Construct, input: IppExternalModelInput): string {
  checkModelRoutes(scope, input.modelId, input.routes);
  const name = modelResourceName(input.modelId);
  new ExternalModelResource(scope, 'ExternalModel', {
    metadata: { name, namespace: input.namespace },
    spec: {
      modelName: input.modelId === name ? undefined : input.modelId,
      externalProviderRefs: input.routes.map((route) => ({
        ref: { name: route.providerName },
        targetModel: route.targetModel,
        ...apiOf(route.endpoint),
        weight: route.weight,
      })),
    },
  });
  new MaaSModelRef(scope, 'ModelRef', {
    metadata: { name, namespace: input.namespace },
    spec: { modelRef: { kind: MaaSModelRefSpecModelRefKind.EXTERNAL_MODEL, name } },
  });
  return name;
}

/** The provider's API format and the path of its chat endpoint. */
function apiOf(endpoint: ProviderEndpoint): { apiFormat: string; path: string } {
  if (endpoint.maasProviderType === MaasProviderType.ANTHROPIC) return { apiFormat: 'messages', path: '/v1/messages' };
  return { apiFormat: 'openai-chat', path: `${endpoint.apiBasePath}chat/completions` };
}
