import type { ExternalProvider } from '../constructs/external-provider';
import type { TierTokenBudget } from '../constructs/tier-token-budget';
import type { UnifiedModelEndpoint } from '../constructs/unified-model-endpoint';
import type { ExternalModelRegistry } from './tier-based/external-model-registry';
import type { DataPlaneBinding } from '../planes/data-plane-binding';
import type { SharedModelOptions } from '../constructs/model-route';

/**
 * What a MaaS platform emits for the constructs of one egress gateway. The
 * constructs validate and hold the intent (providers, models, budgets); the
 * realization turns it into the objects that platform consumes.
 */
export interface PlatformRealization {
  /** The data plane the providers are reached through, when the platform uses the library's (tier-based). */
  readonly plane?: DataPlaneBinding;
  /** The model registry the MaaS API lists, when the platform reads one. */
  readonly registry?: ExternalModelRegistry;
  /** Emits what serves `provider`; called once from its constructor, after the gateway registered it. */
  addProvider(provider: ExternalProvider): void;
  /** Budgets the traffic of `provider` per tier as `budget` says. */
  addProviderBudget(budget: TierTokenBudget, provider: ExternalProvider): void;
  /** Emits one model served by several of the gateway's providers with weights, or throws when the platform cannot split traffic. */
  addSharedModel(modelId: string, options: SharedModelOptions): void;
  /** Emits a unified endpoint's objects, or throws naming it when the platform has no equivalent. */
  addUnifiedEndpoint(endpoint: UnifiedModelEndpoint): void;
}
