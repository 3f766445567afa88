import type { IDataPlaneBinding } from './data-plane-binding';
import type { IEgressGateway } from './egress-gateway';
import type { IExternalProvider } from './external-provider';
import type { IModelRegistry } from './model-registry';
import type { SharedModelOptions } from './model-route';
import type { ITierTokenBudget } from './tier-token-budget';
import type { IUnifiedModelEndpoint } from './unified-model-endpoint';

/**
 * What a MaaS platform emits for the constructs of one egress gateway. The
 * constructs validate and hold the intent (providers, models, budgets); the
 * realization turns it into the objects that platform consumes.
 */
export interface IPlatformRealization {
  /**
   * The data plane the providers are reached through.
   * @default none: the platform reaches providers by itself
   */
  readonly plane?: IDataPlaneBinding;
  /**
   * The model registry the MaaS API lists.
   * @default none: the platform lists models by itself
   */
  readonly registry?: IModelRegistry;
  /** Emits what serves `provider`; called once from its constructor, after the gateway registered it. */
  addProvider(provider: IExternalProvider): void;
  /** Budgets the traffic of `provider` per tier as `budget` says. */
  addProviderBudget(budget: ITierTokenBudget, provider: IExternalProvider): void;
  /** Emits one model served by several of the gateway's providers with weights, or throws when the platform cannot split traffic. */
  addSharedModel(modelId: string, options: SharedModelOptions): void;
  /** Emits a unified endpoint's objects, or throws naming it when the platform has no equivalent. */
  addUnifiedEndpoint(endpoint: IUnifiedModelEndpoint): void;
}

/** Makes a platform's realization for each egress gateway (`MaasPlatform.custom`). */
export interface IPlatformRealizer {
  /** Emits the platform's gateway-level objects under `egress` and returns what serves its providers, budgets and endpoints. */
  realize(egress: IEgressGateway): IPlatformRealization;
}
